// arch/x86_64/kernel/mmu.cpp — what the x86_64 user page tables do not share
// with the other backends (include/arch/backend/mmu.hpp): the kernel half
// and leaving a table that is about to be freed.
#include <arch/mmu.hpp>
#include <arch/physical_memory.hpp>

#include "per_cpu.hpp"

namespace vesta::arch {
namespace {
uint64_t kernel_root = 0;
} // namespace

void set_kernel_page_table(uint64_t physical) { kernel_root = physical; }

void X86UserPaging::share_kernel_half(uint64_t* root) {
    const auto* kernel = static_cast<const uint64_t*>(physical_to_virtual(kernel_root));
    for (size_t i = kUserRootEntries; i < 512; ++i) root[i] = kernel[i];
}

void X86UserPaging::deactivate(uint64_t root) {
    x86_64::PerCpu& cpu = x86_64::this_cpu();
    if (cpu.active_root == root) { // never free the tables in CR3
        x86_64::write_cr3(kernel_root);
        cpu.active_root = kernel_root;
    }
}

} // namespace vesta::arch
