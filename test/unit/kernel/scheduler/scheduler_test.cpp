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
