// arch/aarch64/kernel/mmu.cpp — what the aarch64 user page tables do not
// share with the other backends (include/arch/backend/mmu.hpp): leaving a
// table that is about to be freed.
#include <arch/mmu.hpp>

#include "per_cpu.hpp"

namespace vesta::arch {

void Arm64UserPaging::deactivate(uint64_t root) {
    aarch64::PerCpu& cpu = aarch64::this_cpu();
    if (cpu.active_root == root) { // never free the tables in TTBR0
        aarch64::write_ttbr0(cpu.empty_root);
        cpu.active_root = cpu.empty_root;
    }
    // No ASIDs yet: drop every cached user translation and walk before the
    // tables' pages are reused.
    asm volatile("dsb ishst\n\ttlbi vmalle1is\n\tdsb ish\n\tisb" ::: "memory");
}

} // namespace vesta::arch
