#include "kernel_fixture.hpp"

using namespace vesta;
using namespace vesta::test;

TEST_CASE("an IRQ handler signals its notification and is acknowledged", "[irq]") {
    KernelFixture f;
    Task& root = f.root_task;
    auto get = f.invoke(root, root_slot::kIrqControl, IrqControlLabel::Get, {5, kAnySlot, root_slot::kMemory});
    REQUIRE(get.error == Error::None);
    uint64_t handler = get.words[0];
    CHECK(f.kernel.irq_handlers[5] == &f.object<IrqHandler>(handler));
    CHECK(arch::host_machine.interrupt_masked[5]);
    CHECK(f.invoke(root, root_slot::kIrqControl, IrqControlLabel::Get, {5, kAnySlot, root_slot::kMemory}).error ==
          Error::Busy);

    uint64_t notification = f.create(ObjectType::Notification);
    uint64_t badged = f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                               {kAnySlot, notification, rights::kAll, 0x20})
                          .words[0];
    CHECK(f.invoke(root, handler, IrqHandlerLabel::Acknowledge).error == Error::InvalidArgument); // unbound
    REQUIRE(f.invoke(root, handler, IrqHandlerLabel::Bind, {badged}).error == Error::None);
    CHECK_FALSE(arch::host_machine.interrupt_masked[5]);
    CHECK(f.invoke(root, handler, IrqHandlerLabel::Bind, {badged}).error == Error::Busy);

    Spawned driver = f.spawn(100);
    f.switch_to(*driver.task);
    f.ipc(*driver.task, Syscall::Wait, notification);
    CHECK(driver.task->state == TaskState::BlockedNotification);
    handle_interrupt(f.cpu, 5);
    CHECK(arch::host_machine.interrupt_masked[5]); // masked until acknowledged
    CHECK(driver.task->state == TaskState::Ready);
    CHECK(KernelFixture::extra(*driver.task) == 0x20);
    handle_interrupt(f.cpu, 9);   // unclaimed: ignored
    handle_interrupt(f.cpu, 999); // out of range: ignored
    REQUIRE(f.invoke(root, handler, IrqHandlerLabel::Acknowledge).error == Error::None);
    CHECK_FALSE(arch::host_machine.interrupt_masked[5]);

    REQUIRE(f.invoke(root, handler, IrqHandlerLabel::Unbind).error == Error::None);
    CHECK(arch::host_machine.interrupt_masked[5]);
    CHECK(f.invoke(root, handler, IrqHandlerLabel::Unbind).error == Error::InvalidArgument);
    REQUIRE(f.invoke(root, handler, IrqHandlerLabel::Bind, {badged}).error == Error::None);
    // Deleting the handler frees the line and drops the notification.
    REQUIRE(f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Delete, {handler}).error == Error::None);
    CHECK(f.kernel.irq_handlers[5] == nullptr);
    CHECK(f.object<Notification>(notification).irq_handlers.empty());
}

TEST_CASE("IRQ invocations check every argument", "[irq]") {
    KernelFixture f;
    Task& root = f.root_task;
    auto get = [&](uint64_t irq, uint64_t slot, uint64_t memory) {
        return f.invoke(root, root_slot::kIrqControl, IrqControlLabel::Get, {irq, slot, memory}).error;
    };
    CHECK(get(64, kAnySlot, root_slot::kMemory) == Error::OutOfRange);
    CHECK(get(1, root_slot::kTask, root_slot::kMemory) == Error::SlotOccupied);
    CHECK(get(1, kAnySlot, root_slot::kTask) == Error::WrongType);
    CHECK(f.invoke(root, root_slot::kIrqControl, IrqControlLabel::Get, {1}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, root_slot::kIrqControl, 9, {}).error == Error::NotSupported);
    uint64_t handler =
        f.invoke(root, root_slot::kIrqControl, IrqControlLabel::Get, {1, kAnySlot, root_slot::kMemory}).words[0];
    CHECK(f.invoke(root, handler, IrqHandlerLabel::Bind, {root_slot::kTask}).error == Error::WrongType);
    CHECK(f.invoke(root, handler, IrqHandlerLabel::Bind, {}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, handler, 9, {}).error == Error::NotSupported);
    uint64_t control_read_only = f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                                          {kAnySlot, root_slot::kIrqControl, rights::kRead, 0})
                                     .words[0];
    CHECK(f.invoke(root, control_read_only, IrqControlLabel::Get, {2, kAnySlot, root_slot::kMemory}).error ==
          Error::MissingRights);
    uint64_t handler_read_only =
        f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy, {kAnySlot, handler, rights::kRead, 0})
            .words[0];
    CHECK(f.invoke(root, handler_read_only, IrqHandlerLabel::Acknowledge).error == Error::MissingRights);
    // An unknown label is NotSupported whatever the rights (the fixed order of
    // checks; it used to be MissingRights here).
    CHECK(f.invoke(root, handler_read_only, 9, {}).error == Error::NotSupported);
    // The control capability is permanent: deleting it never destroys it.
    REQUIRE(f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Delete, {root_slot::kIrqControl}).error ==
            Error::None);
    CHECK(f.kernel.irq_control.capability_count == 1); // the read-only copy
    CHECK_FALSE(f.kernel.irq_control.dying());
}
