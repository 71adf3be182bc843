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
// ready: does the whole syscall and returns true. Otherwise changes nothing
// and returns false (the general path handles it). The outcome is exactly
// the general path's, scheduling included (cpu.current is what schedule()
// would choose).
//
// For the backends' short exit: when it returns true and cpu.current is
// still `task`, only r0..r7 of its context changed (never its address
// space, FPU state or other registers), so the thread may return to user
// mode without a full context load.
bool try_fast_path(Cpu& cpu, Task& task, uint64_t number);

} // namespace vesta
