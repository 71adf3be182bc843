#include "kernel_fixture.hpp"

using namespace vesta;
using namespace vesta::test;

TEST_CASE("the highest priority runs; equal priorities take turns", "[scheduler]") {
    KernelFixture f;
    Spawned a = f.spawn(100);
    Spawned b = f.spawn(100);
    Spawned low = f.spawn(10);
    CHECK(f.cpu.scheduler.highest() == a.task);
    // The root task blocks: the first of the two equal tasks runs.
    uint64_t notification = f.create(ObjectType::Notification);
    f.ipc(f.root_task, Syscall::Wait, notification);
    CHECK(f.cpu.current == a.task);
    // Yield hands over to the peer, not to the lower priority.
    CHECK(f.syscall(*a.task, Syscall::Yield) == Error::None);
    CHECK(f.cpu.current == b.task);
    // The time slice ends after kTimeSliceTicks ticks.
    for (uint32_t i = 0; i < Task::kTimeSliceTicks; ++i) {
        CHECK(f.cpu.current == b.task);
        handle_timer_tick(f.cpu);
    }
    CHECK(f.cpu.current == a.task);
    CHECK(f.cpu.now == Task::kTimeSliceTicks);
    CHECK(low.task->state == TaskState::Ready);
}

TEST_CASE("a higher-priority task that becomes ready preempts at once", "[scheduler]") {
    KernelFixture f;
    uint64_t notification = f.create(ObjectType::Notification);
    Spawned high = f.spawn(150);
    Spawned low = f.spawn(50);
    f.ipc(*high.task, Syscall::Wait, notification);
    CHECK(high.task->state == TaskState::BlockedNotification);
    f.invoke(f.root_task, root_slot::kTask, TaskLabel::Suspend); // no reply: it stopped
    REQUIRE(f.root_task.state == TaskState::Inactive);
    CHECK(f.cpu.current == low.task);
    f.ipc(*low.task, Syscall::Signal, notification);
    CHECK(f.cpu.current == high.task);
    CHECK(low.task->state == TaskState::Ready);
    CHECK(f.cpu.scheduler.highest() == low.task); // preempted: first in line again
}

TEST_CASE("an idle CPU has no current task; ticks keep time", "[scheduler]") {
    KernelFixture f;
    f.invoke(f.root_task, root_slot::kTask, TaskLabel::Suspend); // no reply: it stopped
    REQUIRE(f.root_task.state == TaskState::Inactive);
    CHECK(f.cpu.current == nullptr);
    handle_timer_tick(f.cpu);
    CHECK(f.cpu.now == 1);
    Scheduler scheduler;
    CHECK(scheduler.empty());
}

TEST_CASE("take_highest is highest() taken off its queue, across the bitmap's words", "[scheduler]") {
    KernelFixture f;
    // Priorities at the edges of the bitmap's 64-bit words, two tasks at one of them.
    const uint8_t priorities[] = {0, 63, 64, 127, 128, 191, 192, 199, 64}; // the root task runs at 200
    Task* spawned[sizeof priorities];
    size_t count = 0;
    for (uint8_t priority : priorities) spawned[count++] = f.spawn(priority).task;
    Scheduler& scheduler = f.cpu.scheduler;
    size_t taken = 0;
    Task* order[sizeof priorities + 2];
    while (Task* expected = scheduler.highest()) {
        const int priority = scheduler.highest_priority();
        Task* const next_in_line = TaskQueue::next(*expected);
        Task* got = scheduler.take_highest();
        REQUIRE(got == expected);
        CHECK(static_cast<int>(got->priority) == priority);
        CHECK_FALSE(TaskQueue::linked(*got)); // off every queue
        // The rest of its queue keeps its order; an emptied queue leaves the bitmap.
        CHECK(scheduler.queue(got->priority).front() == next_in_line);
        if (!next_in_line) CHECK(scheduler.highest_priority() < priority);
        order[taken++] = got;
        REQUIRE(taken <= sizeof priorities + 1); // the spawned tasks and the root task at most
    }
    CHECK(scheduler.take_highest() == nullptr);
    CHECK(scheduler.highest_priority() == -1);
    for (size_t i = 1; i < taken; ++i) CHECK(order[i - 1]->priority >= order[i]->priority);
    // Both tasks of priority 64 came out one after the other, in the order
    // they were made ready.
    size_t first = taken;
    for (size_t i = 0; i < taken; ++i)
        if (order[i] == spawned[2]) first = i;
    REQUIRE(first + 1 < taken);
    CHECK(order[first + 1] == spawned[8]);
    for (size_t i = 0; i < taken; ++i) scheduler.enqueue(*order[i]); // as the fixture left them
}
