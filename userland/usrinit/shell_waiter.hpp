// userland/usrinit/shell_waiter.hpp — a thread of usrinit that waits for one
// shell to end, so that usrinit can keep two shells (serial0 and console0)
// and restart whichever ends (docs/shell.md, "How it works").
//
// procmgr.wait blocks its caller until the process ends; usrinit's main
// thread cannot block on two of them at once. Each ShellWaiter is a thread
// in usrinit's address space with its own cspace (procmgr, its `go` and
// `sleep` notifications, the main thread's notification) and IPC buffer.
// Protocol: the main thread calls wait_for(pid) (stores the pid, signals
// `go`); the thread calls procmgr.wait(pid), stores the result, sets the
// `finished` flag (release) and signals the main thread's notification;
// the main thread collects it with take() (acquire) and may call
// wait_for() again. Only the main thread prints, spawns or touches
// usrinit's runtime (the thread uses only its own slots and IPC buffer).
#pragma once

#include <stdint.h>

#include <user/runtime.hpp>
#include <vesta/ipc/status.hpp>

namespace usrinit {

class ShellWaiter {
public:
    static constexpr size_t kMaxWaiters = 2;

    // Starts waiter number `index` (< kMaxWaiters, each used once).
    // `procmgr`: the sys::procmgr endpoint; `done`: the main thread's
    // notification (the thread gets Write). Errors: the stack's, the
    // notification's and the thread's creation.
    vesta::Error start(size_t index, uint64_t procmgr, uint64_t done);
    // Makes the thread wait for `pid`.
    void wait_for(uint64_t pid);
    // The result of the last wait_for once the process ended (procmgr.wait's:
    // the exit status or its error); false while it runs.
    bool take(vesta::ipc::Result<int64_t>* result);

private:
    size_t index_ = 0;
    uint64_t go_ = vesta::kNoSlot;
};

} // namespace usrinit
