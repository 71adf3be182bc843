// kernel/entry.hpp — the ways into the kernel. Each backend's trap code saves
// the user registers into cpu.current->context, calls one of these, then
// resumes cpu.current (idling when it is null). Each runs to completion and
// ends by choosing the next task (schedule()).
#pragma once

#include <cpu.hpp>
#include <syscall/fast_path.hpp>

namespace vesta {

// The current task made a syscall (number and arguments in its context):
// the fast path when it applies, else the general path.
void handle_syscall(Cpu& cpu);
// The two halves, for backends that want the hot path one call deep:
// the fast path alone (kernel/syscall/fast_path.hpp) says whether it did the
// whole syscall; when it changed nothing (NotTaken) the general path must run.
// SameThread: the backend may take a short exit (fast_path.hpp).
inline FastPath handle_fast_syscall(Cpu& cpu) {
    Task& task = *cpu.current;
    return try_fast_path(cpu, task, task.context.syscall_number());
}
void handle_general_syscall(Cpu& cpu);
// A timer tick: advance time, expire timeouts, account the time slice.
void handle_timer_tick(Cpu& cpu);
// A device interrupt on line `irq` (the backend has acknowledged the controller).
void handle_interrupt(Cpu& cpu, uint32_t irq);
// The current task faulted.
void handle_fault(Cpu& cpu, FaultKind kind, uint64_t address, uint64_t detail);

} // namespace vesta
