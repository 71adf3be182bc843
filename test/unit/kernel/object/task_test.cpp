#include "kernel_fixture.hpp"
#include <string>

using namespace vesta;
using namespace vesta::test;

TEST_CASE("a task is configured, given registers and resumed", "[task]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t slot = f.create(ObjectType::Task);
    Task& task = f.object<Task>(slot);
    CHECK(task.state == TaskState::Inactive);
    CHECK(f.invoke(root, slot, TaskLabel::Resume).error == Error::InvalidArgument); // no cspace yet

    uint64_t endpoint = f.create(ObjectType::Endpoint);
    uint64_t badged =
        f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy, {kAnySlot, endpoint, rights::kAll, 77})
            .words[0];
    REQUIRE(
        f.invoke(root, slot, TaskLabel::Configure, {root_slot::kCapabilitySpace, root_slot::kVirtualSpace, badged, 50})
            .error == Error::None);
    CHECK(task.cspace == f.root.cspace);
    CHECK(task.vspace == &f.object<VirtualSpace>(root_slot::kVirtualSpace));
    CHECK(task.fault_endpoint == &f.object<Endpoint>(endpoint));
    CHECK(task.fault_badge == 77);
    CHECK(task.priority == 50);

    REQUIRE(f.invoke(root, slot, TaskLabel::WriteRegisters, {0x1000, 0x8000, 5}).error == Error::None);
    auto registers = f.invoke(root, slot, TaskLabel::ReadRegisters);
    CHECK(registers.words[0] == 0x1000);
    CHECK(registers.words[1] == 0x8000);
    CHECK(registers.words[2] == 5);
    CHECK(registers.words[3] == static_cast<uint64_t>(TaskState::Inactive));

    REQUIRE(f.invoke(root, slot, TaskLabel::Resume).error == Error::None);
    CHECK(task.state == TaskState::Ready);
    CHECK(f.invoke(root, slot, TaskLabel::Resume).error == Error::Busy);
    REQUIRE(f.invoke(root, slot, TaskLabel::SetPriority, {60}).error == Error::None);
    CHECK(task.priority == 60);
    CHECK(f.cpu.scheduler.highest() == &task); // requeued at its new priority
    REQUIRE(f.invoke(root, slot, TaskLabel::Suspend).error == Error::None);
    CHECK(task.state == TaskState::Inactive);
    CHECK(f.cpu.scheduler.empty());

    // Reconfigure without a fault endpoint: the old binding goes.
    auto& fault_endpoint = f.object<Endpoint>(endpoint);
    CHECK(fault_endpoint.fault_tasks.front() == &task);
    REQUIRE(
        f.invoke(root, slot, TaskLabel::Configure, {root_slot::kCapabilitySpace, root_slot::kVirtualSpace, kNoSlot, 50})
            .error == Error::None);
    CHECK(task.fault_endpoint == nullptr);
    CHECK(fault_endpoint.fault_tasks.empty());
}

TEST_CASE("task invocations check every argument", "[task]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t slot = f.create(ObjectType::Task);
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    auto configure = [&](uint64_t cspace, uint64_t vspace, uint64_t fault, uint64_t priority) {
        return f.invoke(root, slot, TaskLabel::Configure, {cspace, vspace, fault, priority}).error;
    };
    constexpr uint64_t kC = root_slot::kCapabilitySpace, kV = root_slot::kVirtualSpace;
    CHECK(configure(kV, kV, kNoSlot, 1) == Error::WrongType);
    CHECK(configure(kC, kC, kNoSlot, 1) == Error::WrongType);
    CHECK(configure(kC, kV, kC, 1) == Error::WrongType);
    CHECK(configure(kC, kV, 999, 1) == Error::InvalidCapability);
    CHECK(configure(kC, kV, kNoSlot, 256) == Error::OutOfRange);
    CHECK(configure(kC, kV, kNoSlot, KernelFixture::kRootPriority + 1) == Error::MissingRights);
    uint64_t receive_only =
        f.invoke(root, kC, CapabilitySpaceLabel::Copy, {kAnySlot, endpoint, rights::kRead, 0}).words[0];
    CHECK(configure(kC, kV, receive_only, 1) == Error::MissingRights);
    CHECK(f.invoke(root, slot, TaskLabel::Configure, {kC, kV}).error == Error::InvalidArgument);
    CHECK(f.object<Task>(slot).cspace == nullptr); // nothing changed

    uint64_t page = f.create(ObjectType::Page, 1);
    CHECK(f.invoke(root, slot, TaskLabel::SetIpcBuffer, {page, 0x1001}).error == Error::Misaligned);
    CHECK(f.invoke(root, slot, TaskLabel::SetIpcBuffer, {page, arch::kUserAddressEnd}).error == Error::OutOfRange);
    CHECK(f.invoke(root, slot, TaskLabel::SetIpcBuffer, {endpoint, 0x1000}).error == Error::WrongType);
    CHECK(f.invoke(root, slot, TaskLabel::SetIpcBuffer, {page}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, slot, TaskLabel::SetIpcBuffer, {page, 0x1000}).error == Error::None);
    CHECK(f.object<Task>(slot).ipc_buffer() != nullptr);
    CHECK(f.invoke(root, slot, TaskLabel::SetIpcBuffer, {kNoSlot, 0}).error == Error::None);
    CHECK(f.object<Task>(slot).ipc_buffer() == nullptr);

    CHECK(f.invoke(root, slot, TaskLabel::WriteRegisters, {1, 2}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, root_slot::kTask, TaskLabel::WriteRegisters, {1, 2, 3}).error == Error::Busy);
    CHECK(f.invoke(root, slot, TaskLabel::SetPriority, {}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, slot, TaskLabel::SetPriority, {300}).error == Error::OutOfRange);
    CHECK(f.invoke(root, slot, TaskLabel::SetPriority, {201}).error == Error::MissingRights);
    CHECK(f.invoke(root, slot, 0, {}).error == Error::NotSupported);
    CHECK(f.invoke(root, slot, 99, {}).error == Error::NotSupported); // (8 is SetName now)

    uint64_t read_only = f.invoke(root, kC, CapabilitySpaceLabel::Copy, {kAnySlot, slot, rights::kRead, 0}).words[0];
    CHECK(f.invoke(root, read_only, TaskLabel::Resume).error == Error::MissingRights);
    CHECK(f.invoke(root, read_only, TaskLabel::ReadRegisters).error == Error::None);
    uint64_t write_only = f.invoke(root, kC, CapabilitySpaceLabel::Copy, {kAnySlot, slot, rights::kWrite, 0}).words[0];
    CHECK(f.invoke(root, write_only, TaskLabel::ReadRegisters).error == Error::MissingRights);
}

TEST_CASE("a task that suspends itself stops running", "[task]") {
    KernelFixture f;
    Spawned worker = f.spawn(100);
    uint64_t self = f.give(worker, worker.task_slot);
    f.switch_to(*worker.task);
    f.invoke(*worker.task, self, TaskLabel::Suspend);
    CHECK(worker.task->state == TaskState::Inactive);
    CHECK(f.cpu.current == &f.root_task);
}

TEST_CASE("calls on objects without operations and bad tags", "[task][invocation]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t notification = f.create(ObjectType::Notification);
    uint64_t reply = f.create(ObjectType::Reply);
    CHECK(f.invoke(root, notification, 1, {}).error == Error::NotSupported);
    CHECK(f.invoke(root, reply, 0, {}).error == Error::NotSupported); // its one operation is Info (1)
    // A tag with reserved bits, capabilities, or too many words without an IPC buffer.
    root.context.set_argument(reg::kTag, MessageTag::make(3, 0, 0).raw | 0x1000);
    CHECK(f.syscall(root, Syscall::Call, {root_slot::kMemory, root.context.argument(reg::kTag)}) ==
          Error::InvalidArgument);
    CHECK(f.syscall(root, Syscall::Call, {root_slot::kMemory, MessageTag::make(3, 0, 1).raw}) ==
          Error::InvalidArgument);
    CHECK(f.syscall(root, Syscall::Call, {root_slot::kMemory, MessageTag::make(3, 6, 0).raw}) ==
          Error::InvalidArgument);
    CHECK(f.syscall(root, Syscall::Call, {250, MessageTag::make(3, 0, 0).raw}) == Error::InvalidCapability);
}

TEST_CASE("Task.SetName names a task for the kernel's fault lines", "[task]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t slot = f.create(ObjectType::Task);
    Task& task = f.object<Task>(slot);
    // "pcserial" packed little-endian after the byte count.
    REQUIRE(f.invoke(root, slot, TaskLabel::SetName, {8, 0x6c61697265736370}).error == Error::None);
    CHECK(std::string(task.name) == "pcserial");
    // 15 bytes fill the name; the terminator stays.
    REQUIRE(f.invoke(root, slot, TaskLabel::SetName, {15, 0x6161616161616161, 0x0061616161616161}).error ==
            Error::None);
    CHECK(std::string(task.name) == "aaaaaaaaaaaaaaa");
    // A shorter name replaces it entirely.
    REQUIRE(f.invoke(root, slot, TaskLabel::SetName, {2, 0x6968}).error == Error::None);
    CHECK(std::string(task.name) == "hi");
    // Errors change nothing.
    CHECK(f.invoke(root, slot, TaskLabel::SetName, {16, 0, 0, 0}).error == Error::OutOfRange);
    CHECK(f.invoke(root, slot, TaskLabel::SetName, {9, 0x6161616161616161}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, slot, TaskLabel::SetName, {1, 0x1b}).error == Error::InvalidArgument); // not printable
    CHECK(f.invoke(root, slot, TaskLabel::SetName, {1, 0x80}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, slot, TaskLabel::SetName).error == Error::InvalidArgument);
    CHECK(std::string(task.name) == "hi");
    uint64_t read_only =
        f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy, {kAnySlot, slot, rights::kRead, 0})
            .words[0];
    CHECK(f.invoke(root, read_only, TaskLabel::SetName, {1, 0x41}).error == Error::MissingRights);
    // An empty name clears it.
    REQUIRE(f.invoke(root, slot, TaskLabel::SetName, {0}).error == Error::None);
    CHECK(task.name[0] == '\0');
}
