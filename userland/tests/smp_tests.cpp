// userland/tests/smp_tests.cpp — several CPUs (docs/smp.md): Task.SetAffinity
// and its refusals, call/reply and notifications between CPUs, tasks running
// in parallel and moved by affinity, one cspace changed from two CPUs at
// once, the TLB shootdown (a thread on CPU 1 reading a page faults once CPU 0
// has unmapped it), and the reschedule IPI waking an idle CPU at once. On one CPU each test checks the refusal instead.
// The runner runs at priority 100 on CPU 0.
#include "fuzz.hpp"
#include "suite.hpp"

namespace suite {

namespace {

struct Shared {
    volatile uint64_t counter;
    volatile uint64_t done;
    volatile uint64_t failures;
    volatile uint64_t value;
};
Shared shared;

constexpr uint64_t kEp = 2, kOther = 3, kReplySlot = 4;

Error set_affinity(uint64_t task, uint64_t cpu, uint64_t* previous = nullptr) {
    const InvokeResult r = invoke(task, TaskLabel::SetAffinity, cpu);
    if (previous) *previous = r.words[0];
    return r.error;
}

// CPU 1 runs tasks: the runner can move there (and it comes back at once).
bool second_cpu() {
    static int known = -1;
    if (known < 0) {
        uint64_t previous = 99;
        const Error error = set_affinity(slot::kTask, 1, &previous);
        known = error == Error::None ? 1 : 0;
        if (known) (void)set_affinity(slot::kTask, 0);
    }
    return known == 1;
}

// A thread homed on CPU 1 (not started).
Thread thread_on_second(void (*entry)(uint64_t), uint64_t argument, uint8_t priority = 100,
                        uint64_t fault_endpoint = kNoSlot) {
    Thread t = make_thread(entry, argument, priority, fault_endpoint);
    if (t.ok && set_affinity(t.spawned.task, 1) != Error::None) t.ok = false;
    return t;
}

bool affinity_errors() {
    EXPECT_ERROR(set_affinity(slot::kTask, 64), Error::OutOfRange);
    EXPECT_ERROR(set_affinity(slot::kTask, ~uint64_t{0}), Error::OutOfRange);
    EXPECT_ERROR(invoke(slot::kTask, TaskLabel::SetAffinity).error, Error::InvalidArgument);
    uint64_t previous = 99;
    EXPECT_OK(set_affinity(slot::kTask, 0, &previous)); // where it is
    EXPECT(previous == 0);
    if (!second_cpu()) {
        const Error error = set_affinity(slot::kTask, 1);
        EXPECT(error == Error::OutOfRange || error == Error::NotSupported);
    }
    return true;
}

bool runner_moves_and_back() {
    if (!second_cpu()) return true; // affinity_errors checked the refusal
    uint64_t previous = 99;
    EXPECT_OK(set_affinity(slot::kTask, 1, &previous));
    EXPECT(previous == 0);
    for (int i = 0; i < 5; ++i) syscall(Syscall::Yield, 0); // runs on CPU 1 now
    sleep_ticks(1);
    EXPECT_OK(set_affinity(slot::kTask, 0, &previous));
    EXPECT(previous == 1);
    return true;
}

// Serves `calls` calls on kEp: replies word 0 + 1.
void server(uint64_t calls) {
    SyscallResult m = syscall(Syscall::Recv, kEp, {}, 0, 0, 0, 0, kReplySlot);
    for (uint64_t i = 0;; ++i) {
        shared.done = shared.done + 1;
        if (i + 1 == calls) {
            syscall(Syscall::Reply, 0, MessageTag::make(0, 1, 0), m.words[0] + 1, 0, 0, 0, kReplySlot);
            break;
        }
        m = syscall(Syscall::ReplyRecv, kEp, MessageTag::make(0, 1, 0), m.words[0] + 1, 0, 0, 0, kReplySlot);
    }
    thread_exit();
}

bool cross_cpu_call_reply() {
    if (!second_cpu()) return true;
    constexpr uint64_t kCalls = 50;
    const uint64_t ep = make(ObjectType::Endpoint);
    const uint64_t reply = make(ObjectType::Reply);
    Thread t = thread_on_second(server, kCalls);
    EXPECT(t.ok);
    EXPECT_OK(give_thread(t, kEp, ep));
    EXPECT_OK(give_thread(t, kReplySlot, reply));
    EXPECT_OK(start_thread(t));
    for (uint64_t i = 0; i < kCalls; ++i) {
        const SyscallResult m = syscall(Syscall::Call, ep, MessageTag::make(3, 1, 0), i * 7);
        EXPECT_OK(m.error);
        EXPECT(m.words[0] == i * 7 + 1);
    }
    EXPECT(shared.done == kCalls);
    return true;
}

// Call/reply with the server on CPU 1 and both CPUs idle while the other
// works: each call wakes CPU 1, each reply CPU 0, by the reschedule IPI.
// Without it a CPU would notice only at its next tick, so kCalls round trips
// would take at least kCalls - 1 ticks (the runner is woken once per call,
// each time by a later tick of CPU 0); with it a round trip takes
// microseconds. Where the guest clock is exact (suite-exact-clock=1, QEMU
// -icount) they must take under half of that bound.
bool idle_cpus_woken_at_once() {
    if (!second_cpu()) return true;
    constexpr uint64_t kCalls = 40;
    const uint64_t ep = make(ObjectType::Endpoint);
    const uint64_t reply = make(ObjectType::Reply);
    Thread t = thread_on_second(server, kCalls + 1);
    EXPECT(t.ok);
    EXPECT_OK(give_thread(t, kEp, ep));
    EXPECT_OK(give_thread(t, kReplySlot, reply));
    EXPECT_OK(start_thread(t));
    EXPECT_OK(syscall(Syscall::Call, ep, MessageTag::make(3, 1, 0), 0).error); // the server's first run
    const uint64_t start = cycle_counter();
    for (uint64_t i = 1; i <= kCalls; ++i) {
        const SyscallResult m = syscall(Syscall::Call, ep, MessageTag::make(3, 1, 0), i);
        EXPECT_OK(m.error);
        EXPECT(m.words[0] == i + 1);
    }
    const uint64_t cycles = cycle_counter() - start;
    if (!parameters.exact_tick_microseconds || !parameters.counter_frequency) return true;
    const uint64_t us = cycles * 1000000 / parameters.counter_frequency;
    const uint64_t bound = (kCalls - 1) * parameters.exact_tick_microseconds;
    if (2 * us >= bound) {
        static char why[128];
        print_to(why, sizeof(why), "{} cross-CPU round trips took {} us; without IPIs they take at least {} us", kCalls,
                 us, bound);
        return fail(why, __LINE__);
    }
    return true;
}

// Waits on kOther `rounds` times, counting each wake-up.
void waiter(uint64_t rounds) {
    for (uint64_t i = 0; i < rounds; ++i) {
        if (syscall(Syscall::Wait, kOther).error != Error::None) shared.failures = shared.failures + 1;
        shared.counter = shared.counter + 1;
    }
    thread_exit();
}

bool cross_cpu_notification() {
    if (!second_cpu()) return true;
    constexpr uint64_t kRounds = 20;
    const uint64_t note = make(ObjectType::Notification);
    Thread t = thread_on_second(waiter, kRounds);
    EXPECT(t.ok);
    EXPECT_OK(give_thread(t, kOther, note));
    EXPECT_OK(start_thread(t));
    for (uint64_t i = 0; i < kRounds; ++i) {
        EXPECT_OK(syscall(Syscall::Signal, note).error);
        EXPECT(wait_until([&] { return shared.counter == i + 1; }, 300));
    }
    EXPECT(shared.failures == 0);
    return true;
}

[[noreturn]] void spinner(uint64_t) {
    for (;;) shared.counter = shared.counter + 1;
}

// Busy-waits (no syscall: the runner keeps CPU 0) up to `ms` for `condition`.
template <class Condition>
bool busy_until(Condition condition, uint64_t ms) {
    const uint64_t start = cycle_counter();
    for (;;) {
        if (condition()) return true;
        if (elapsed_ms(start, cycle_counter()) >= ms) return condition();
    }
}

bool parallel_then_moved_back() {
    if (!second_cpu()) return true;
    // Below the runner: on CPU 0 it could not run while the runner spins.
    Thread t = thread_on_second(spinner, 0, 50);
    EXPECT(t.ok);
    EXPECT_OK(start_thread(t));
    const uint64_t before = shared.counter;
    EXPECT(busy_until([&] { return shared.counter > before + 1000; }, 5000)); // it runs beside us
    uint64_t previous = 99;
    EXPECT_OK(set_affinity(t.spawned.task, 0, &previous)); // taken off CPU 1 while running there
    EXPECT(previous == 1);
    const uint64_t moved = shared.counter;
    EXPECT(!busy_until([&] { return shared.counter != moved; }, 300)); // now it waits for CPU 0
    sleep_ticks(2);                                                    // ... which it gets when we sleep
    EXPECT(shared.counter != moved);
    EXPECT_OK(invoke(t.spawned.task, TaskLabel::Suspend).error);
    return true;
}

// Copies the capability in its own slot kEp into the shared cspace (kOther)
// and deletes the copy, `rounds` times.
void copier(uint64_t rounds) {
    for (uint64_t i = 0; i < rounds; ++i) {
        const InvokeResult copy = invoke(kOther, CapabilitySpaceLabel::Copy, kAnySlot, kEp, rights::kAll, i + 1);
        if (copy.error != Error::None) {
            shared.failures = shared.failures + 1;
            continue;
        }
        if (invoke(kOther, CapabilitySpaceLabel::Delete, copy.words[0]).error != Error::None)
            shared.failures = shared.failures + 1;
    }
    shared.done = shared.done + 1;
    thread_exit();
}

bool concurrent_cspace_copy_delete() {
    if (!second_cpu()) return true;
    constexpr uint64_t kRounds = 200;
    const uint64_t ep = make(ObjectType::Endpoint);
    Thread a = thread_on_second(copier, kRounds);
    Thread b = make_thread(copier, kRounds);
    EXPECT(a.ok && b.ok);
    EXPECT_OK(give_thread(a, kEp, ep));
    EXPECT_OK(give_thread(b, kEp, ep));
    EXPECT_OK(give_thread(a, kOther, runtime.cspace));
    EXPECT_OK(give_thread(b, kOther, runtime.cspace));
    const uint64_t pages = free_pages();
    EXPECT_OK(start_thread(a));
    EXPECT_OK(start_thread(b));
    EXPECT(wait_until([&] { return shared.done == 2; }, 2000));
    EXPECT(shared.failures == 0);
    EXPECT(free_pages() == pages); // every copy was deleted
    uint64_t type = 0;
    EXPECT_OK(cap_info(ep, &type));
    EXPECT(type == uint64_t(ObjectType::Endpoint));
    return true;
}

// Reads the word at `address` for ever, counting the reads.
[[noreturn]] void reader(uint64_t address) {
    for (;;) {
        shared.value = *reinterpret_cast<volatile uint64_t*>(address);
        shared.counter = shared.counter + 1;
    }
}

bool tlb_shootdown() {
    if (!second_cpu()) return true;
    constexpr uint64_t kAddress = 0x0000'3200'0000'0000; // used by no other test
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_OK(invoke(runtime.vspace, VirtualSpaceLabel::Map, page, kAddress, rights::kRead | rights::kWrite).error);
    *reinterpret_cast<volatile uint64_t*>(kAddress) = 0x5eed;
    const uint64_t endpoint = make(ObjectType::Endpoint);
    uint64_t badged = kNoSlot;
    EXPECT_OK(copy_cap(endpoint, rights::kWrite | rights::kGrant, kTestFaultBadge, &badged));
    Thread t = thread_on_second(reader, kAddress, 100, badged);
    EXPECT(t.ok);
    EXPECT_OK(start_thread(t));
    EXPECT(wait_until([&] { return shared.counter > 100; }, 300)); // reading on CPU 1
    EXPECT(shared.value == 0x5eed);
    EXPECT_OK(invoke(runtime.vspace, VirtualSpaceLabel::Unmap, page).error);
    // From here CPU 1 cannot use the old translation: its next read faults.
    runtime.ipc_buffer->poll[0] = endpoint;
    if (syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, 300).error != Error::None) {
        // No fault: tell a stale translation (it still reads) from a thread that does not run.
        const uint64_t before = shared.counter;
        sleep_ticks(5);
        EXPECT(shared.counter == before); // it still reads the unmapped page
        return fail("the reader neither faulted nor ran", __LINE__);
    }
    const uint64_t reply = make(ObjectType::Reply);
    const SyscallResult m = syscall(Syscall::Recv, endpoint, {}, 0, 0, 0, 0, reply);
    EXPECT_OK(m.error);
    EXPECT(m.badge == kTestFaultBadge);
    EXPECT(static_cast<FaultKind>(m.tag.label()) == FaultKind::PageFault);
    EXPECT(m.words[0] == kAddress);
    return true;
}

} // namespace

extern const Test kSmpTests[] = {
    {"smp.affinity_errors", affinity_errors},
    {"smp.runner_moves_and_back", runner_moves_and_back},
    {"smp.cross_cpu_call_reply", cross_cpu_call_reply},
    {"smp.idle_cpus_woken_at_once", idle_cpus_woken_at_once},
    {"smp.cross_cpu_notification", cross_cpu_notification},
    {"smp.parallel_then_moved_back", parallel_then_moved_back},
    {"smp.concurrent_cspace_copy_delete", concurrent_cspace_copy_delete},
    {"smp.tlb_shootdown", tlb_shootdown},
    {"smp.stateful_fuzzer_every_cpu", stateful_fuzzer_every_cpu, 6000, 600, kEveryCpuFuzzPoolPages},
};
extern const size_t kSmpTestCount = sizeof(kSmpTests) / sizeof(kSmpTests[0]);

} // namespace suite
