#include "kernel_fixture.hpp"

using namespace vesta;
using namespace vesta::test;

TEST_CASE("signals never block, OR their badges and wake one waiter", "[ipc][notification]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t notification = f.create(ObjectType::Notification);
    auto mint = [&](uint64_t badge, uint8_t mask) {
        return f
            .invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                    {kAnySlot, notification, mask, badge})
            .words[0];
    };
    uint64_t one = mint(0x1, rights::kWrite);
    uint64_t four = mint(0x4, rights::kWrite);
    uint64_t wait_only = mint(0, rights::kRead);
    Spawned waiter = f.spawn(100);
    auto& object = f.object<Notification>(notification);

    CHECK(f.ipc(root, Syscall::Signal, one) == Error::None);
    CHECK(f.ipc(root, Syscall::Signal, four) == Error::None);
    CHECK(object.bits == 0x5);
    CHECK(f.ipc(root, Syscall::Wait, wait_only) == Error::None); // bits pending: no blocking
    CHECK(KernelFixture::extra(root) == 0x5);
    CHECK(object.bits == 0);

    f.ipc(*waiter.task, Syscall::Wait, notification);
    CHECK(waiter.task->state == TaskState::BlockedNotification);
    CHECK(f.ipc(root, Syscall::Signal, notification) == Error::None); // unbadged: bit 0
    CHECK(waiter.task->state == TaskState::Ready);
    CHECK(KernelFixture::extra(*waiter.task) == 1);
    CHECK(object.bits == 0);

    CHECK(f.ipc(root, Syscall::Signal, wait_only) == Error::MissingRights);
    CHECK(f.ipc(root, Syscall::Wait, one) == Error::MissingRights);
    CHECK(f.ipc(root, Syscall::Wait, root_slot::kTask) == Error::WrongType);
    CHECK(f.ipc(root, Syscall::Signal, 999) == Error::InvalidCapability);
}

TEST_CASE("destroying a notification wakes its waiters with PeerGone", "[ipc][notification][lifetime]") {
    KernelFixture f;
    uint64_t notification = f.create(ObjectType::Notification);
    Spawned waiter = f.spawn(100);
    f.ipc(*waiter.task, Syscall::Wait, notification);
    REQUIRE(f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Delete, {notification}).error ==
            Error::None);
    CHECK(waiter.task->state == TaskState::Ready);
    CHECK(KernelFixture::status(*waiter.task) == Error::PeerGone);
}
