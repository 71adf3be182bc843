// kernel/syscall/fast_path.hpp — the IPC fast path (docs/design.md, "The IPC
// fast path and the general path").
#pragma once

#include <cpu.hpp>

namespace vesta {

// Call to an endpoint with a receiver waiting, and ReplyRecv answering a
// caller with no sender waiting, for small messages (≤ 4 words, no
// capabilities), when the task that runs next is the partner; and Yield when
// nothing of equal or higher priority is ready: does the whole syscall and
// returns true. Otherwise changes nothing and returns false (the
// general path handles it). The outcome is exactly the general path's.
bool try_fast_path(Cpu& cpu, Task& task, uint64_t number);

} // namespace vesta
