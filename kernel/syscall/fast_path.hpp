// kernel/syscall/fast_path.hpp — the IPC fast path (docs/design.md, "The IPC
// fast path and the general path").
#pragma once

#include <cpu.hpp>

namespace vesta {

// Call to an endpoint with a receiver waiting, and ReplyRecv answering a
// caller with no sender waiting, for small messages (≤ 4 words, no
// capabilities), when the task that runs next is the partner; Signal (no
// pollers to wake; a waiter of higher priority runs at once, one of lower or
// equal priority is made ready); Wait (bits pending, or block and run the
// highest ready task); and Yield when nothing of equal or higher priority is
// ready: does the whole syscall (SameThread or Switched). Otherwise changes
// nothing and returns NotTaken (the general path handles it). The outcome is exactly
// the general path's, scheduling included (cpu.current is what schedule()
// would choose).
//
// For the backends' short exit: SameThread means cpu.current is still
// `task` and only r0..r7 of its context changed (never its address space,
// FPU state or other registers), so the thread may return to user mode
// without a full context load.
// int: the whole register is defined for the assembly; SameThread is 0 so
// that the entry stubs test for it in one instruction.
enum class FastPath : int {
    SameThread = 0, // done; `task` runs on with only r0..r7 changed (the short exit)
    NotTaken = 1,   // nothing changed: the general path must run
    Switched = 2,   // done; cpu.current is another task (or none)
};
// With C linkage for the backends' syscall entry (assembly), which calls it
// straight away with cpu, cpu.current and the number.
extern "C" FastPath vesta_fast_syscall(Cpu& cpu, Task& task, uint64_t number);
inline FastPath try_fast_path(Cpu& cpu, Task& task, uint64_t number) { return vesta_fast_syscall(cpu, task, number); }

// Offsets the entry assembly uses.
static_assert(offsetof(Cpu, current) == 16);

} // namespace vesta
