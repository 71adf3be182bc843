#include "kernel_fixture.hpp"

using namespace vesta;
using namespace vesta::test;

namespace {

struct PollSetup {
    KernelFixture f;
    uint64_t notification = f.create(ObjectType::Notification);
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    Spawned poller = f.spawn(100);
    Task& task = *poller.task;

    Error poll(uint64_t count, uint64_t timeout) {
        poller.buffer->poll[0] = notification;
        poller.buffer->poll[1] = endpoint;
        return f.syscall_ready(task, count, timeout);
    }
};

} // namespace

TEST_CASE("poll reports objects that are ready without blocking", "[ipc][poll]") {
    PollSetup s;
    KernelFixture& f = s.f;
    CHECK(s.poll(2, 0) == Error::TimedOut);
    CHECK(KernelFixture::extra(s.task) == 0);
    f.ipc(f.root_task, Syscall::Signal, s.notification);
    CHECK(s.poll(2, kNoTimeout) == Error::None);
    CHECK(KernelFixture::extra(s.task) == 0b01);
    CHECK(f.object<Notification>(s.notification).bits == 1); // poll does not consume
}

TEST_CASE("a blocked poll wakes on a signal or a sender", "[ipc][poll]") {
    PollSetup s;
    KernelFixture& f = s.f;
    s.poll(2, kNoTimeout);
    CHECK(s.task.state == TaskState::BlockedPoll);
    SECTION("signal") {
        f.ipc(f.root_task, Syscall::Signal, s.notification);
        CHECK(s.task.runnable());
        CHECK(KernelFixture::status(s.task) == Error::None);
        CHECK(KernelFixture::extra(s.task) == 0b01);
    }
    SECTION("sender") {
        Spawned sender = f.spawn(150);
        f.ipc(*sender.task, Syscall::Send, s.endpoint, 1);
        CHECK(sender.task->state == TaskState::BlockedSend);
        CHECK(s.task.runnable());
        CHECK(KernelFixture::extra(s.task) == 0b10);
        CHECK(f.ipc(s.task, Syscall::TryRecv, s.endpoint) == Error::None);
        CHECK(KernelFixture::tag(s.task).label() == 1);
    }
    SECTION("the polled object is destroyed") {
        f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Delete, {s.endpoint});
        CHECK(s.task.runnable());
        CHECK(KernelFixture::status(s.task) == Error::PeerGone);
        CHECK(f.object<Notification>(s.notification).pollers.empty());
    }
    SECTION("the polling task is suspended") {
        f.invoke(f.root_task, s.poller.task_slot, TaskLabel::Suspend);
        CHECK(s.task.state == TaskState::Inactive);
        CHECK(f.object<Notification>(s.notification).pollers.empty());
    }
}

TEST_CASE("a poll with a timeout expires after that many ticks", "[ipc][poll]") {
    PollSetup s;
    KernelFixture& f = s.f;
    s.poll(1, 3);
    CHECK(s.task.state == TaskState::BlockedPoll);
    handle_timer_tick(f.cpu);
    handle_timer_tick(f.cpu);
    CHECK(s.task.state == TaskState::BlockedPoll);
    handle_timer_tick(f.cpu);
    CHECK(s.task.runnable());
    CHECK(KernelFixture::status(s.task) == Error::TimedOut);
    CHECK(f.cpu.timeouts.empty());
    CHECK(f.object<Notification>(s.notification).pollers.empty());
}

TEST_CASE("poll checks its arguments", "[ipc][poll]") {
    PollSetup s;
    KernelFixture& f = s.f;
    CHECK(s.poll(0, 0) == Error::InvalidArgument);
    CHECK(s.poll(kMaxPoll + 1, 0) == Error::InvalidArgument);
    s.poller.buffer->poll[0] = root_slot::kTask;
    CHECK(f.syscall_ready(s.task, 1, 0) == Error::WrongType);
    s.poller.buffer->poll[0] = 999;
    CHECK(f.syscall_ready(s.task, 1, 0) == Error::InvalidCapability);
    s.poller.buffer->poll[0] = s.notification;
    s.poller.buffer->poll[1] = s.notification;
    CHECK(f.syscall_ready(s.task, 2, 0) == Error::InvalidArgument); // the same object twice
    f.invoke(f.root_task, s.poller.task_slot, TaskLabel::SetIpcBuffer, {kNoSlot, 0});
    CHECK(f.syscall_ready(s.task, 1, 0) == Error::InvalidArgument);
}
