// arch/aarch64/kernel/mmu.cpp — what the aarch64 user page tables do not
// share with the other backends (include/arch/backend/mmu.hpp): ASIDs, the
// switch of TTBR0, and leaving a table that is about to be freed.
#include <arch/mmu.hpp>
#include <console.hpp>
#include <cpu.hpp>

#include "per_cpu.hpp"

namespace vesta::aarch64 {

AddressSpaceTags address_space_tags; // 8 KiB of bitmap, in the kernel image

namespace {

bool tags_enabled = false;

constexpr uint64_t kTcrAsid16 = uint64_t{1} << 36; // TCR_EL1.AS: 16-bit ASIDs

uint64_t asid_operand(uint32_t number) { return uint64_t{number} << 48; }

} // namespace

void switch_user_table_slowly(PerCpu& here, arch::PageTable& table) {
    const uint64_t root = table.root();
    const AddressSpaceTags::Activation tag = address_space_tags.activate(table.tag(), here.cpu->index);
    // A number newly given to this space: what its last holder left goes, on every CPU.
    if (tag.fresh) asm volatile("tlbi aside1is, %0\n\tdsb ish" ::"r"(asid_operand(tag.number)) : "memory");
    asm volatile("msr ttbr0_el1, %0\n\tisb" ::"r"(root | asid_operand(tag.number)) : "memory");
}

} // namespace vesta::aarch64

namespace vesta::arch {

void enable_tlb_tags(bool wanted, uint32_t limit) {
    uint64_t features = 0;
    asm volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(features));
    const uint32_t bits = ((features >> 4) & 0xf) == 2 ? 16 : 8; // ASIDBits
    if (!wanted) {
        print("tlb tags: off (no-tlb-tags): every address-space switch drops the user translations\n");
        return;
    }
    if (bits == 16) {
        uint64_t tcr = 0;
        asm volatile("mrs %0, tcr_el1" : "=r"(tcr));
        // No user translation is cached under the old ASID size that matters
        // (TTBR0 holds the empty table): flush all after the change anyway.
        asm volatile("msr tcr_el1, %0\n\tisb\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" ::"r"(tcr | aarch64::kTcrAsid16)
                     : "memory");
    }
    const uint32_t count = limit != 0 && limit < (uint32_t{1} << bits) ? limit : uint32_t{1} << bits;
    aarch64::address_space_tags.initialise(count, 1);
    aarch64::this_cpu().active_tag = aarch64::address_space_tags.active_slot(0);
    aarch64::tags_enabled = true;
    print("tlb tags: {}-bit ASIDs ({} address spaces before a new generation{})\n", bits, count - 1,
          count < (uint32_t{1} << bits) ? ", tlb-tags=N" : "");
}

void Arm64UserPaging::deactivate(uint64_t root, SpaceTag& tag) {
    aarch64::PerCpu& cpu = aarch64::this_cpu();
    if (cpu.active_root == root) { // never free the tables in TTBR0
        aarch64::write_ttbr0(cpu.empty_root);
        cpu.active_root = cpu.empty_root;
    }
    if (aarch64::tags_enabled) {
        if (AddressSpaceTags::number(tag) == 0) return; // it never ran: nothing cached
        // Drop its translations and walks before the tables' pages are reused.
        asm volatile("dsb ishst\n\ttlbi aside1is, %0\n\tdsb ish\n\tisb" ::"r"(
                         aarch64::asid_operand(AddressSpaceTags::number(tag)))
                     : "memory");
        aarch64::address_space_tags.release(tag);
    } else {
        // Untagged: drop every cached user translation and walk.
        asm volatile("dsb ishst\n\ttlbi vmalle1is\n\tdsb ish\n\tisb" ::: "memory");
    }
}

} // namespace vesta::arch
