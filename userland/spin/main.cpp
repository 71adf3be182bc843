// userland/spin — keeps a CPU busy, for a person to watch and stop from the
// shell (docs/shell.md). `spin` spins until it is killed (Ctrl-C or
// `kill`); `spin N` spins for N seconds (1 to 3600) and exits with status 0:
// a second thread spins while the first sleeps N seconds in Poll and then
// ends the process (its Exit ends every thread: sysinit deletes the pool).
// A bad N is a message and status 2.
#include <user/runtime.hpp>

using namespace vesta;
using namespace vesta::user;

namespace {

constexpr uint64_t kTicksPerSecond = 100; // the scheduler's 10 ms tick
constexpr uint64_t kMaxSeconds = 3600;

[[noreturn]] void spin_forever(uint64_t) {
    for (volatile uint64_t counter = 0;; counter = counter + 1) {
    }
}

// N from "N": 1 to kMaxSeconds, or 0 for anything else.
uint64_t seconds_of(const char* text) {
    uint64_t value = 0;
    if (!text || !*text) return 0;
    for (; *text; ++text) {
        if (*text < '0' || *text > '9') return 0;
        value = value * 10 + static_cast<uint64_t>(*text - '0');
        if (value > kMaxSeconds) return 0;
    }
    return value;
}

Error start_spinner() {
    uint64_t stack = 0, stack_page = 0;
    if (const Error e = map_new_pages(2, rights::kRead | rights::kWrite, &stack, &stack_page); e != Error::None)
        return e;
    SpawnOptions options;
    options.vspace = runtime.vspace;
    options.cspace_slots = 4;
    options.priority = 1; // a thread may not run above its process's priority; the lowest always works
    options.entry = reinterpret_cast<uint64_t>(&spin_forever);
    options.stack_top = thread_stack_top(stack, 2 * kPageSize);
    options.name = "spin-thread";
    Spawned thread{};
    if (const Error e = spawn(nullptr, 0, options, &thread); e != Error::None) return e;
    return start(thread);
}

} // namespace

void main(uint64_t) {
    if (argument_count() > 2) {
        out("spin: too many arguments (usage: spin [seconds])\n");
        exit(2);
    }
    if (argument_count() < 2) {
        out("spin: spinning until stopped (Ctrl-C)\n");
        spin_forever(0);
    }
    const uint64_t seconds = seconds_of(argument(1));
    if (seconds == 0) {
        out("spin: '{}' is not a number of seconds from 1 to {}\n", argument(1), kMaxSeconds);
        exit(2);
    }
    if (const Error e = start_spinner(); e != Error::None) {
        out("spin: cannot start the spinning thread: {}\n", error_name(e));
        exit(1);
    }
    out("spin: spinning for {} s\n", seconds);
    uint64_t sleep = kNoSlot;
    if (create(ObjectType::Notification, 0, &sleep) != Error::None) exit(1);
    runtime.ipc_buffer->poll[0] = sleep; // never signalled: Poll returns after its timeout
    syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, seconds * kTicksPerSecond);
    out("spin: done\n");
}
