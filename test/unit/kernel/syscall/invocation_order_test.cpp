// The common checks of an invocation come in one fixed order for every object
// type (syscall/invocation.hpp, docs/capabilities.md "Order of checks"). (A
// Call on an endpoint is IPC, not an invocation: endpoints are left out.)
// unknown label → NotSupported, missing rights → MissingRights, too few
// words → InvalidArgument, whatever the type. Driven by the operation tables
// themselves, so a new operation is covered as soon as it is declared.
#include <syscall/invocation.hpp>

#include "kernel_fixture.hpp"

using namespace vesta;
using namespace vesta::test;

namespace {

struct Subject {
    ObjectType type;
    uint64_t slot;
};

uint64_t copy_with(KernelFixture& f, uint64_t slot, uint8_t rights) {
    const CallResult copied =
        f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy, {kAnySlot, slot, rights, 0});
    REQUIRE(copied.error == Error::None);
    return copied.words[0];
}

} // namespace

TEST_CASE("every object type applies label, rights and word-count checks in the same order", "[kernel][invocation]") {
    KernelFixture f;
    Task& root = f.root_task;
    const CallResult handler =
        f.invoke(root, root_slot::kIrqControl, IrqControlLabel::Get, {3, kAnySlot, root_slot::kMemory});
    REQUIRE(handler.error == Error::None);
    const CallResult port =
        f.invoke(root, root_slot::kIoPortControl, IoPortControlLabel::Get, {0x3f8, 8, kAnySlot, root_slot::kMemory});
    REQUIRE(port.error == Error::None);
    const Subject subjects[] = {
        {ObjectType::Memory, root_slot::kMemory},
        {ObjectType::CapabilitySpace, root_slot::kCapabilitySpace},
        {ObjectType::VirtualSpace, root_slot::kVirtualSpace},
        {ObjectType::Task, f.create(ObjectType::Task)},
        {ObjectType::Page, f.create(ObjectType::Page, 1)},
        {ObjectType::IrqControl, root_slot::kIrqControl},
        {ObjectType::IrqHandler, handler.words[0]},
        {ObjectType::IoPortControl, root_slot::kIoPortControl},
        {ObjectType::IoPort, port.words[0]},
        {ObjectType::Console, root_slot::kConsole},
        {ObjectType::System, root_slot::kSystem},
        {ObjectType::Notification, f.create(ObjectType::Notification)},
        {ObjectType::Reply, f.create(ObjectType::Reply)},
    };
    for (const Subject& subject : subjects) {
        INFO("object type " << static_cast<int>(subject.type));
        REQUIRE(f.slot(subject.slot).type() == subject.type);
        const uint64_t powerless = copy_with(f, subject.slot, 0);
        // 2. An unknown label is NotSupported, with or without rights.
        CHECK(f.invoke(root, powerless, 0xbeef, {}).error == Error::NotSupported);
        CHECK(f.invoke(root, subject.slot, 0xbeef, {}).error == Error::NotSupported);
        const OperationTable table = operations_of(subject.type);
        for (size_t i = 0; i < table.count; ++i) {
            const Operation& operation = table.operations[i];
            INFO("label " << operation.label);
            // 3. Rights before words: no rights and no words → MissingRights.
            CHECK(f.invoke(root, powerless, operation.label, {}).error == Error::MissingRights);
            // 4. The rights, too few words → InvalidArgument.
            if (operation.words > 0) {
                const uint64_t holder = copy_with(f, subject.slot, operation.rights);
                CHECK(f.invoke(root, holder, operation.label, {}).error == Error::InvalidArgument);
            }
        }
    }
    CHECK(operations_of(ObjectType::Endpoint).count == 0);
    CHECK(operations_of(ObjectType::Notification).count == 0);
    CHECK(operations_of(ObjectType::Reply).count == 1); // Info
    // A Page has no Split (DeviceMemory has): NotSupported before anything else.
    CHECK(f.invoke(root, f.create(ObjectType::Page, 1), FrameLabel::Split, {}).error == Error::NotSupported);
    // IoPortControl on an arch without I/O ports: no operations at all.
    arch::host_machine.io_ports_supported = false;
    CHECK(operations_of(ObjectType::IoPortControl).count == 0);
    arch::host_machine.io_ports_supported = true;
}
