// arch/x86_64/kernel/mmu.cpp — what the x86_64 user page tables do not share
// with the other backends (include/arch/backend/mmu.hpp): the kernel half,
// PCIDs, the switch of CR3, and leaving a table that is about to be freed.
#include <arch/mmu.hpp>
#include <arch/physical_memory.hpp>
#include <arch/x86_64/instructions.hpp>
#include <console.hpp>
#include <cpu.hpp>

#include "control_registers.hpp"
#include "per_cpu.hpp"

namespace vesta::x86_64 {

AddressSpaceTags address_space_tags; // in the kernel image

namespace {

bool tags_enabled = false;
bool have_invpcid = false;
constexpr uint32_t kPcidCount = 4096; // CR3[11:0]

// INVPCID type 0: the translations of `address` under `pcid` (SDM vol. 2, INVPCID).
void invalidate_in(uint32_t pcid, uint64_t address) {
    struct {
        uint64_t pcid, address;
    } descriptor{pcid, address};
    asm volatile("invpcid %0, %1" ::"m"(descriptor), "r"(uint64_t{0}) : "memory");
}

} // namespace

void switch_user_table_slowly(PerCpu& here, arch::PageTable& table, uint64_t root) {
    const AddressSpaceTags::Activation tag = address_space_tags.activate(table.tag(), here.cpu->index);
    // A number newly given to this space: loading it without the no-flush
    // bit drops what its last holders left (one CPU: that is every CPU).
    write_cr3(root | tag.number | (tag.fresh ? 0 : kCr3NoFlush));
}

} // namespace vesta::x86_64

namespace vesta::arch {
namespace {
uint64_t kernel_root = 0;
} // namespace

void set_kernel_page_table(uint64_t physical) { kernel_root = physical; }

void X86UserPaging::share_kernel_half(uint64_t* root) {
    const auto* kernel = static_cast<const uint64_t*>(physical_to_virtual(kernel_root));
    for (size_t i = kUserRootEntries; i < 512; ++i) root[i] = kernel[i];
}

void enable_tlb_tags(bool wanted, uint32_t limit) {
    const bool pcid = (x86_64::cpuid(1).ecx & (1u << 17)) != 0;
    x86_64::have_invpcid = x86_64::cpuid(0).eax >= 7 && (x86_64::cpuid(7, 0).ebx & (1u << 10)) != 0;
    if (!wanted) {
        print("tlb tags: off (no-tlb-tags): every address-space switch flushes the user translations\n");
        return;
    }
    if (!pcid) {
        print("tlb tags: none (the CPU lacks PCID): every address-space switch flushes the user translations\n");
        return;
    }
    x86_64::enable_pcids(); // CR3 holds the kernel's PML4 under PCID 0
    const uint32_t count = limit != 0 && limit < x86_64::kPcidCount ? limit : x86_64::kPcidCount;
    x86_64::address_space_tags.initialise(count, 1);
    x86_64::this_cpu().active_tag = x86_64::address_space_tags.active_slot(0);
    x86_64::tags_enabled = true;
    print("tlb tags: PCIDs ({} address spaces before a new generation{}){}\n", count - 1,
          count < x86_64::kPcidCount ? ", tlb-tags=N" : "", x86_64::have_invpcid ? ", INVPCID" : "");
}

void X86UserPaging::entry_removed(uint64_t address, uint64_t root, SpaceTag& tag) {
    // Untagged, or the space in CR3: its translations are the current PCID's.
    if (!x86_64::tags_enabled || x86_64::this_cpu().active_root == root) {
        asm volatile("invlpg (%0)" ::"r"(address) : "memory");
        return;
    }
    if (AddressSpaceTags::number(tag) == 0) return; // it never ran: nothing cached
    if (x86_64::have_invpcid) {
        x86_64::invalidate_in(AddressSpaceTags::number(tag), address);
        return;
    }
    // No way to reach another PCID's entry: give the number up; whoever gets
    // it next (this space included) has it flushed first.
    x86_64::address_space_tags.release(tag);
}

void X86UserPaging::deactivate(uint64_t root, SpaceTag& tag) {
    x86_64::PerCpu& cpu = x86_64::this_cpu();
    if (cpu.active_root == root) { // never free the tables in CR3
        x86_64::write_cr3(kernel_root);
        cpu.active_root = kernel_root;
    }
    // Its translations under its PCID stay until the number is given out again (then flushed).
    if (x86_64::tags_enabled) x86_64::address_space_tags.release(tag);
}

} // namespace vesta::arch
