// arch/aarch64/kernel/per_cpu.hpp — what each CPU keeps for the exception
// paths, reached through TPIDR_EL1. Offsets used by entry.S.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <arch/context.hpp>
#include <arch/mmu.hpp>

#include "kernel_stacks.hpp"

namespace vesta {
struct Cpu;
struct CpuRecord;
} // namespace vesta

namespace vesta::aarch64 {

struct PerCpu {
    uint64_t kernel_stack_top;    // 0: stacks.kernel.top
    uint64_t emergency_stack_top; // 8: stacks.emergency.top (entry.S, on a kernel stack overflow)
    Cpu* cpu;
    arch::UserContext* fpu_owner; // whose FP/SIMD state is in the registers
    arch::UserContext* last;      // the context that ran last (TPIDR_EL0 is live for it)
    bool fp_enabled;              // CPACR_EL1.FPEN lets EL0 use FP/SIMD
    uint64_t active_root;         // TTBR0_EL1
    uint64_t* active_tag;         // address_space_tags.active_slot(this CPU)
    uint64_t empty_root;          // an empty table for TTBR0 when no vspace is active
    CpuStacks stacks;             // this CPU's kernel and emergency stacks
    bool reporting_overflow;      // on the emergency stack already: a second overflow halts
    CpuRecord* record;            // its entry in the CPU table (boot/secondary_cpus.hpp)
    uint64_t redistributor;       // GICv3: this CPU's redistributor (kernel virtual); 0 otherwise
    uint32_t gic_target;          // GICv2: this CPU interface's bit in GICD_SGIR's target list
    uint32_t local_core;          // BCM2836 local controller: this core's number (timer, mailboxes)
};
static_assert(offsetof(PerCpu, kernel_stack_top) == 0);
static_assert(offsetof(PerCpu, emergency_stack_top) == 8);
static_assert(offsetof(PerCpu, cpu) == 16);

// This CPU's PerCpu (TPIDR_EL1: set first thing by aarch64_kernel_entry on
// the boot CPU, by aarch64_secondary_start on the others).
inline PerCpu& this_cpu() {
    PerCpu* self;
    asm volatile("mrs %0, tpidr_el1" : "=r"(self));
    return *self;
}
// The boot CPU's, before TPIDR_EL1 is set.
PerCpu& boot_per_cpu();
// Runs cpu.current in EL0 (or idles); never returns.
[[noreturn]] void resume(Cpu& cpu);

// TTBR0 := `root` under ASID 0, dropping ASID 0's translations: the empty
// table, and every vspace when TLB tags are off.
inline void write_ttbr0(uint64_t root) {
    asm volatile("msr ttbr0_el1, %0\n\tisb\n\ttlbi aside1, xzr\n\tdsb ish\n\tisb" ::"r"(root) : "memory");
}

extern AddressSpaceTags address_space_tags; // mmu.cpp

// The rest of switch_user_table (mmu.cpp): a space without an ASID of the
// current generation.
void switch_user_table_slowly(PerCpu& here, arch::PageTable& table);

// Makes `table` (whose root is `root`) the user address space of this CPU:
// its ASID (assigned and flushed as AddressSpaceTags says) and root in
// TTBR0. Inline for the common case, a space that keeps its ASID; false when
// it has none of the current generation (then nothing changed: call
// switch_user_table_slowly). For resume() only: no ISB, because nothing
// before the ERET to EL0 uses TTBR0 and the ERET synchronises the context
// (SCTLR_EL1.EOS is set). With TLB tags off here.active_tag is null.
[[nodiscard]] inline bool switch_user_table(PerCpu& here, arch::PageTable& table, uint64_t root) {
    if (!here.active_tag) {
        here.active_root = root;
        write_ttbr0(root); // TLB tags off: ASID 0, flushed
        return true;
    }
    uint32_t asid = 0;
    if (!address_space_tags.activate_current(table.tag(), here.active_tag, &asid)) return false;
    here.active_root = root;
    asm volatile("msr ttbr0_el1, %0" ::"r"(root | uint64_t{asid} << 48) : "memory");
    return true;
}

} // namespace vesta::aarch64
