// userland/usrinit/shell_waiter.cpp — shell_waiter.hpp.
#include "shell_waiter.hpp"

#include <sys/procmgr.ipc.hpp>
#include <vesta/ipc/syscall_transport.hpp>

namespace usrinit {

using namespace vesta;
using namespace vesta::user;

namespace {

// What a waiter thread shares with the main thread.
struct Shared {
    uint64_t pid = 0;                         // written by the main thread before it signals `go`
    ipc::Result<int64_t> result = int64_t{0}; // written by the thread before `finished`
    uint32_t finished = 0;                    // 1: result is there (release / acquire)
};
Shared shared[ShellWaiter::kMaxWaiters];

// The thread's cspace: spawn puts its Task and the Console in slots 0 and 1.
constexpr uint64_t kProcmgr = 2, kGo = 3, kDone = 4;

template <size_t Index>
[[noreturn]] void waiter_main(uint64_t ipc_buffer_address) {
    ipc::SyscallTransport transport(reinterpret_cast<IpcBuffer*>(ipc_buffer_address));
    Shared& mine = shared[Index];
    for (;;) {
        syscall(Syscall::Wait, kGo);
        mine.result = proto::sys::procmgr::wait(transport, kProcmgr, mine.pid);
        __atomic_store_n(&mine.finished, 1, __ATOMIC_RELEASE);
        syscall(Syscall::Signal, kDone);
    }
}

constexpr void (*kEntries[ShellWaiter::kMaxWaiters])(uint64_t) = {&waiter_main<0>, &waiter_main<1>};

} // namespace

Error ShellWaiter::start(size_t index, uint64_t procmgr, uint64_t done) {
    if (index >= kMaxWaiters) return Error::InvalidArgument;
    index_ = index;
    uint64_t stack = 0, stack_page = kNoSlot;
    if (const Error e = map_new_pages(2, rights::kRead | rights::kWrite, &stack, &stack_page); e != Error::None)
        return e;
    if (const Error e = create(ObjectType::Notification, 0, &go_); e != Error::None) return e;
    SpawnOptions options;
    options.vspace = runtime.vspace;
    options.cspace_slots = 8;
    options.entry = reinterpret_cast<uint64_t>(kEntries[index]);
    options.stack_top = thread_stack_top(stack, 2 * kPageSize);
    options.name = "usrinit-waiter";
    Spawned thread{};
    if (const Error e = spawn_thread(options, &thread); e != Error::None) return e;
    if (const Error e = give(thread, kProcmgr, procmgr, rights::kWrite | rights::kGrant); e != Error::None) return e;
    if (const Error e = give(thread, kGo, go_, rights::kRead); e != Error::None) return e;
    if (const Error e = give(thread, kDone, done, rights::kWrite); e != Error::None) return e;
    return user::start(thread);
}

void ShellWaiter::wait_for(uint64_t pid) {
    shared[index_].pid = pid;
    __atomic_store_n(&shared[index_].finished, 0, __ATOMIC_RELEASE);
    syscall(Syscall::Signal, go_);
}

bool ShellWaiter::take(ipc::Result<int64_t>* result) {
    if (__atomic_load_n(&shared[index_].finished, __ATOMIC_ACQUIRE) == 0) return false;
    *result = shared[index_].result;
    __atomic_store_n(&shared[index_].finished, 0, __ATOMIC_RELEASE);
    return true;
}

} // namespace usrinit
