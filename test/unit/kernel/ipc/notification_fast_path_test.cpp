// The notification fast path (kernel/syscall/fast_path.cpp) against the
// general path: the same scripted steps on two kernels, one with fast paths
// and one without, must leave the same task states, registers, current task,
// run-queue order, notification bits and waiter order after every step; and
// the fast kernel must really have taken the fast path for each case.
#include <sstream>
#include <string>
#include <vector>

#include "kernel_fixture.hpp"

using namespace vesta;
using namespace vesta::test;

namespace {

// Root (priority 200, parks on a notification of its own first), two
// workers of priority 50 (low, low2) and one of 150 (high), all sharing the
// root cspace, and the notification they use.
struct World {
    explicit World(bool fast) {
        f.fast_path = fast;
        notification = f.create(ObjectType::Notification);
        park = f.create(ObjectType::Notification);
        low = f.spawn(50).task;
        low2 = f.spawn(50).task;
        high = f.spawn(150).task;
        tasks = {&f.root_task, low, low2, high};
    }
    KernelFixture f;
    uint64_t notification = 0;
    uint64_t park = 0;
    Task* low = nullptr;
    Task* low2 = nullptr;
    Task* high = nullptr;
    std::vector<Task*> tasks;

    long index(const Task* t) const {
        for (size_t i = 0; i < tasks.size(); ++i)
            if (tasks[i] == t) return long(i);
        return -1;
    }
    std::string snapshot() const {
        std::ostringstream text;
        text << "current " << index(f.cpu.current) << "\n";
        for (const Task* t : tasks) {
            text << "task " << index(t) << " state " << int(t->state);
            for (size_t r = 0; r < kSyscallRegisters; ++r) text << " " << t->context.argument(r);
            text << "\n";
        }
        text << "ready";
        for (size_t p = Scheduler::kPriorities; p-- > 0;) {
            const TaskQueue& queue = f.cpu.scheduler.queue(uint8_t(p));
            for (const Task* t = queue.front(); t; t = TaskQueue::next(*t)) text << " " << p << ":" << index(t);
        }
        auto& object = const_cast<KernelFixture&>(f).object<Notification>(notification);
        text << "\nbits " << object.bits << " waiters";
        for (const Task* t = object.waiters.front(); t; t = TaskQueue::next(*t)) text << " " << index(t);
        return text.str() + "\n";
    }
};

// One step: `who` (by index) makes `number` on the notification; both
// kernels must agree afterwards.
void step(World& fast, World& general, size_t who, Syscall number) {
    for (World* w : {&fast, &general}) w->f.ipc(*w->tasks[who], number, w->notification);
    INFO("task " << who << " syscall " << int(number));
    REQUIRE(fast.snapshot() == general.snapshot());
}

} // namespace

TEST_CASE("the notification fast path agrees with the general path, step by step", "[ipc][notification][fast]") {
    World fast(true), general(false);
    REQUIRE(fast.snapshot() == general.snapshot());
    constexpr size_t kLow = 1, kLow2 = 2, kHigh = 3;

    // The root parks (wait, no bits: it blocks and the highest ready task, high, runs).
    for (World* w : {&fast, &general}) w->f.ipc(w->f.root_task, Syscall::Wait, w->park);
    REQUIRE(fast.snapshot() == general.snapshot());
    REQUIRE(fast.f.cpu.current == fast.high);
    step(fast, general, kHigh, Syscall::Wait); // blocks; low runs (first of its queue)
    // A signal to a waiter of higher priority: it runs at once, the
    // signaller preempted to the front of its queue.
    step(fast, general, kLow, Syscall::Signal);
    CHECK(fast.f.cpu.current == fast.high);
    step(fast, general, kHigh, Syscall::Signal); // no waiter: bits
    step(fast, general, kHigh, Syscall::Wait);   // bits pending: taken at once
    step(fast, general, kHigh, Syscall::Wait);   // blocks; low runs
    step(fast, general, kLow, Syscall::Wait);    // blocks behind high; low2 runs
    step(fast, general, kLow2, Syscall::Signal); // wakes high (first waiter), which runs
    step(fast, general, kHigh, Syscall::Signal); // wakes low (lower): made ready, high runs on
    step(fast, general, kHigh, Syscall::Wait);   // blocks; low2 runs (front of its queue)
    step(fast, general, kLow2, Syscall::Wait);   // blocks behind high; low runs
    step(fast, general, kLow, Syscall::Signal);  // wakes high, which runs
    step(fast, general, kHigh, Syscall::Wait);   // blocks behind low2; low runs
    // A waiter of equal priority: made ready, the signaller runs on.
    step(fast, general, kLow, Syscall::Signal);
    CHECK(fast.f.cpu.current == fast.low);
    step(fast, general, kLow, Syscall::Signal);  // wakes high, which runs
    step(fast, general, kHigh, Syscall::Signal); // bits accumulate ...
    step(fast, general, kHigh, Syscall::Signal);
    step(fast, general, kHigh, Syscall::Wait); // ... and one wait takes them

    // The fast kernel took the fast path for every one of these syscalls;
    // the other kernel never did.
    CHECK(fast.f.fast_taken[size_t(Syscall::Signal)] == 9);
    CHECK(fast.f.fast_taken[size_t(Syscall::Wait)] == 9);
    CHECK(general.f.fast_taken[size_t(Syscall::Signal)] == 0);
    CHECK(general.f.fast_taken[size_t(Syscall::Wait)] == 0);
}

TEST_CASE("the notification fast path leaves pollers and missing rights to the general path",
          "[ipc][notification][fast]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t notification = f.create(ObjectType::Notification);
    uint64_t wait_only = f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                                  {kAnySlot, notification, rights::kRead, 0})
                             .words[0];
    CHECK(f.ipc(root, Syscall::Signal, wait_only) == Error::MissingRights);
    CHECK(f.ipc(root, Syscall::Wait, 999) == Error::InvalidCapability);
    CHECK(f.fast_taken[size_t(Syscall::Signal)] == 0);
    CHECK(f.fast_taken[size_t(Syscall::Wait)] == 0);
}
