// arch/x86_64/kernel/per_cpu.hpp — what each CPU keeps for the trap and
// syscall paths, reached through %gs in the kernel (KERNEL_GS_BASE swaps it in
// on entry from user mode). Offsets are used by entry.S.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "cpu.hpp"
#include "kernel_stacks.hpp"
#include <arch/context.hpp>
#include <arch/mmu.hpp>

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
    uint64_t* active_tag;         // address_space_tags.active_slot(this CPU); null without PCIDs
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
// Runs cpu.current in user mode (or idles); never returns. entry.S calls it
// by its mangled name when the fast path switched threads.
[[noreturn]] void resume(Cpu& cpu);

inline void write_cr3(uint64_t value) { asm volatile("mov %0, %%cr3" ::"r"(value) : "memory"); }

// CR3 bit 63 with CR4.PCIDE: keep the PCID's cached translations.
inline constexpr uint64_t kCr3NoFlush = uint64_t{1} << 63;

extern AddressSpaceTags address_space_tags; // mmu.cpp

// The rest of switch_user_table (mmu.cpp): a space without a PCID of the
// current generation.
void switch_user_table_slowly(PerCpu& here, arch::PageTable& table, uint64_t root);

// Makes `table` (whose root is `root`) the user address space of this CPU:
// its PCID (assigned and flushed as AddressSpaceTags says) and root in CR3. Inline for the common case, a space that
// keeps its PCID. Without PCIDs here.active_tag is null.
inline void switch_user_table(PerCpu& here, arch::PageTable& table, uint64_t root) {
    here.active_root = root;
    if (!here.active_tag) return write_cr3(root); // no PCIDs: the user half is flushed
    uint32_t pcid = 0;
    if (!address_space_tags.activate_current(table.tag(), here.active_tag, &pcid))
        return switch_user_table_slowly(here, table, root);
    write_cr3(root | pcid | kCr3NoFlush);
}

// Sets up SYSCALL/SYSRET, the per-CPU area, FPU/SSE control bits, SMEP/SMAP
// where available. Called once per CPU after initialise_cpu.
void initialise_user_support(PerCpu& here, CpuTables& tables, uint64_t kernel_root);
// A secondary CPU's SYSCALL/SYSRET MSRs and FPU, as on the boot CPU.
void initialise_secondary_user_support();
// Points GS (and so this_cpu()) at `here`.
void set_per_cpu(PerCpu& here);

// Dispatch of a kernel-mode trap (exceptions.cpp).
[[noreturn]] void report_kernel_exception(const arch::UserContext& frame);

} // namespace vesta::x86_64
