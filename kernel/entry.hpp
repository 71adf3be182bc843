// kernel/entry.hpp — the ways into the kernel. Each backend's trap code saves
// the user registers into cpu.current->context, calls one of these, then
// resumes cpu.current (idling when it is null). Each runs to completion and
// ends by choosing the next task (schedule()).
#pragma once

#include <cpu.hpp>

namespace vesta {

// The current task made a syscall (number and arguments in its context).
void handle_syscall(Cpu& cpu);
// A timer tick: advance time, expire timeouts, account the time slice.
void handle_timer_tick(Cpu& cpu);
// A device interrupt on line `irq` (the backend has acknowledged the controller).
void handle_interrupt(Cpu& cpu, uint32_t irq);
// The current task faulted.
void handle_fault(Cpu& cpu, FaultKind kind, uint64_t address, uint64_t detail);

} // namespace vesta
