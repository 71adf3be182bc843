// arch/x86_64/kernel/per_cpu.hpp — what each CPU keeps for the trap and
// syscall paths, reached through %gs in the kernel (KERNEL_GS_BASE swaps it in
// on entry from user mode). Offsets are used by entry.S.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "cpu.hpp"
#include "kernel_stacks.hpp"
#include <arch/context.hpp>

namespace vesta {
struct Cpu;
struct CpuRecord;
} // namespace vesta

namespace vesta::x86_64 {

struct PerCpu {
    PerCpu* self;                 // 0
    uint64_t user_rsp;            // 8: scratch for syscall entry
    uint64_t context_top;         // 16: end of the running thread's frame (= TSS.rsp0)
    uint64_t kernel_stack_top;    // 24: stacks.kernel.top
    Cpu* cpu;                     // the portable per-CPU state
    arch::UserContext* fpu_owner; // whose x87/SSE state is in the registers
    uint64_t active_root;         // the PML4 in CR3
    uint64_t kernel_root;         // the kernel's own PML4
    CpuTables* tables;
    CpuStacks stacks;  // this CPU's kernel and interrupt stacks
    CpuRecord* record; // its entry in the CPU table (boot/secondary_cpus.hpp)
};
static_assert(offsetof(PerCpu, user_rsp) == 8);
static_assert(offsetof(PerCpu, context_top) == 16);
static_assert(offsetof(PerCpu, kernel_stack_top) == 24);
static_assert(offsetof(PerCpu, cpu) == 32);

// This CPU's PerCpu (%gs:0; the boot CPU's is set by x86_64_kernel_entry
// before anything else runs, a secondary's by x86_64_secondary_entry).
inline PerCpu& this_cpu() {
    PerCpu* self;
    asm volatile("mov %%gs:0, %0" : "=r"(self));
    return *self;
}
// The same PerCpu as a %gs-relative object, for the hot paths (resume, the
// syscall and trap entries): each field access is one %gs-relative
// instruction and needs no base register. (Clang's address space 256 is GS;
// its address 0 is valid: this CPU's PerCpu.)
using ThisCpuArea = __attribute__((address_space(256))) PerCpu;
inline ThisCpuArea& this_cpu_area() { return *reinterpret_cast<ThisCpuArea*>(uintptr_t{0}); }
// The boot CPU's, before GS is set.
PerCpu& boot_per_cpu();

inline void write_cr3(uint64_t value) { asm volatile("mov %0, %%cr3" ::"r"(value) : "memory"); }

// Sets up SYSCALL/SYSRET, the per-CPU area, FPU/SSE control bits, SMEP/SMAP
// where available. Called once per CPU after initialise_cpu.
void initialise_user_support(PerCpu& here, CpuTables& tables, uint64_t kernel_root);
// Points GS (and so this_cpu()) at `here`.
void set_per_cpu(PerCpu& here);

// Dispatch of a kernel-mode trap (exceptions.cpp).
[[noreturn]] void report_kernel_exception(const arch::UserContext& frame);

} // namespace vesta::x86_64
