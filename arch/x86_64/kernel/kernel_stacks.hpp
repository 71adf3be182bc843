// arch/x86_64/kernel/kernel_stacks.hpp — each CPU's stacks and what happens
// when one overflows.
//
// A CPU has a kernel stack (every kernel entry runs on it, from its top) and
// three interrupt stacks (TSS.IST1..3) for the double fault, NMI and machine
// check, which must not trust the stack they interrupt. Each stack lies
// directly above an unmapped guard page (lib/kernel_stack.hpp). The boot
// CPU's come from the kernel image (kernel.ld); SMP gives every further CPU
// a CpuStacks of its own.
//
// Overflow: a push or store into a guard page raises #PF; the CPU cannot
// push the #PF frame on the same exhausted stack, so the fault becomes a
// double fault, which runs on IST1 and is reported as a kernel stack
// overflow (report_stack_overflow). #PF itself has no IST: from user mode the
// CPU must build its frame in the thread's context (TSS.rsp0), and an IST
// would move every user page fault onto a shared stack.
#pragma once

#include <stdint.h>

#include <lib/kernel_stack.hpp>

namespace vesta::x86_64 {

struct CpuStacks {
    KernelStack kernel;
    KernelStack interrupt[3]; // TSS.IST1..3 (cpu.hpp kIstDoubleFault, kIstNmi, kIstMachineCheck)
};

// The boot CPU's stacks (the kernel image's stack segments). The kernel
// stack was painted by _start (entry.S) before its first use.
CpuStacks boot_cpu_stacks();

// When the fault at `fault_address` (CR2) with RSP at `stack_pointer` is one
// of this CPU's stacks running off its bottom (KernelStack::overflowed),
// prints "vesta: kernel stack overflow: …" naming the stack and the address,
// and returns true. Called at the start of double-fault and page-fault reports.
bool report_stack_overflow(uint64_t fault_address, uint64_t stack_pointer);

} // namespace vesta::x86_64
