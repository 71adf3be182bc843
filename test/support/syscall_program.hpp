// test/support/syscall_program.hpp — the stateful syscall fuzzer's engine.
//
// An input is a program: a byte string decoded into steps, each a syscall
// from one of the live tasks (with registers and IPC-buffer contents drawn
// from an alphabet of slots, labels, types, rights, sizes and nasty values),
// a timer tick, an interrupt, a fault, the supervisor answering a fault or
// exit, or the supervisor deleting a worker's whole pool. The world it runs
// in: a root task (the supervisor) and three workers, each paid by a pool the
// root owns, whose cspaces hold their own cspace, task, vspace, a lent copy of
// their pool, a shared endpoint and notification, a reply object, the next
// worker's cspace and task, and (worker 0) IRQ and I/O-port control. Tasks
// the workers make and resume take part too.
//
// After every step every kernel invariant is checked (kernel_invariants.hpp);
// at the end the supervisor deletes the pools and everything must be back in
// the boot pool. In differential mode the same program runs on a second
// kernel whose syscalls all take the general path (no fast path), and the two
// must agree after every step: task states and registers, every slot, every
// pool's free pages, the current task, the order of every run queue and of
// every endpoint's and notification's waiting tasks.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string>

namespace vesta::test {

struct ProgramOutcome {
    std::string failure; // empty: passed
    size_t steps = 0;
    size_t syscalls = 0;
    size_t results[32] = {};    // syscalls by the Error in r0 afterwards (of tasks still alive and not blocked)
    size_t fast_taken[16] = {}; // syscalls the fast path did whole, by number (the first kernel)
};

// Pages of host memory a program needs (both kernels in differential mode).
inline constexpr uint64_t kProgramPoolPages = 2048;

ProgramOutcome run_program(const uint8_t* data, size_t size, bool differential);

} // namespace vesta::test
