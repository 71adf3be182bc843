// arch/aarch64/kernel/kernel_stacks.hpp — each CPU's stacks and what happens
// when the kernel stack overflows.
//
// A CPU has a kernel stack (every kernel entry runs on it, from its top) and
// a small emergency stack on which the exception vectors report a kernel
// stack overflow. Each lies directly above an unmapped guard page
// (lib/kernel_stack.hpp), and both are 2^16-aligned with bit 16 of every SP
// on them clear (kernel.ld). The boot CPU's come from the kernel image; SMP
// gives every further CPU a CpuStacks of its own (TPIDR_EL1 -> PerCpu).
//
// Overflow: an exception taken with SP_EL1 below the kernel stack would
// fault again as soon as the vector stores registers. The EL1 vectors test
// SP first and move to the emergency stack (entry.S), which calls
// aarch64_stack_overflow: it reports "kernel stack overflow" and stops.
#pragma once

#include <stdint.h>

#include <lib/kernel_stack.hpp>

namespace vesta::aarch64 {

struct CpuStacks {
    KernelStack kernel;
    KernelStack emergency;
};

// The boot CPU's stacks (the kernel image's stack segments). The kernel
// stack was painted by _start (entry.S) before its first use.
CpuStacks boot_cpu_stacks();

// When the fault at `fault_address` (FAR) with SP at `stack_pointer` is one
// of this CPU's stacks running off its bottom (KernelStack::overflowed),
// prints "vesta: kernel stack overflow: …" and returns true.
bool report_stack_overflow(uint64_t fault_address, uint64_t stack_pointer);

} // namespace vesta::aarch64
