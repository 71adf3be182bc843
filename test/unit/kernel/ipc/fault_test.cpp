#include "kernel_fixture.hpp"

using namespace vesta;
using namespace vesta::test;

TEST_CASE("a fault without a fault endpoint stops only that task", "[ipc][fault]") {
    KernelFixture f;
    Spawned worker = f.spawn(100);
    f.switch_to(*worker.task);
    worker.task->context.set_instruction_pointer(0x4000);
    handle_fault(f.cpu, FaultKind::UndefinedInstruction, 0, 0);
    CHECK(worker.task->state == TaskState::Faulted);
    CHECK(f.cpu.current == &f.root_task);
    CHECK(arch::host_machine.console_bytes > 0);
    // A supervisor may restart it.
    CHECK(f.invoke(f.root_task, worker.task_slot, TaskLabel::Resume).error == Error::None);
    CHECK(worker.task->state == TaskState::Ready);
}

TEST_CASE("an unknown syscall becomes a fault message", "[ipc][fault]") {
    KernelFixture f;
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    uint64_t reply = f.create(ObjectType::Reply);
    uint64_t badged = f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                               {kAnySlot, endpoint, rights::kAll, 0x99}).words[0];
    Spawned worker = f.spawn(100);
    REQUIRE(f.invoke(f.root_task, worker.task_slot, TaskLabel::Configure,
                     {root_slot::kCapabilitySpace, root_slot::kVirtualSpace, badged, 100}).error == Error::None);
    f.switch_to(*worker.task);
    worker.task->context.set_argument(0, 1234);
    worker.task->context.set_instruction_pointer(0x5000);
    worker.task->context.set_syscall_number(77);
    handle_syscall(f.cpu);
    CHECK(worker.task->state == TaskState::BlockedSend);
    f.ipc(f.root_task, Syscall::Recv, endpoint, 0, {}, reply);
    CHECK(KernelFixture::tag(f.root_task).label() == static_cast<uint64_t>(FaultKind::UnknownSyscall));
    CHECK(KernelFixture::badge(f.root_task) == 0x99);
    CHECK(KernelFixture::word(f.root_task, 1) == 0x5000);
    CHECK(KernelFixture::word(f.root_task, 2) == 77);
    CHECK(worker.task->state == TaskState::BlockedReply);
    SECTION("a non-zero reply label leaves the task stopped") {
        f.ipc(f.root_task, Syscall::Reply, 0, 1, {}, reply);
        CHECK(worker.task->state == TaskState::Faulted);
    }
    SECTION("the reply object goes away: the task stays stopped") {
        f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Delete, {reply});
        CHECK(worker.task->state == TaskState::Faulted);
    }
    SECTION("a zero reply resumes it with its registers untouched") {
        f.ipc(f.root_task, Syscall::Reply, 0, 0, {5}, reply);
        CHECK(worker.task->runnable());
        CHECK(worker.task->context.argument(0) == 1234);
    }
}

TEST_CASE("a fault to a handler that offers no reply object stops the task", "[ipc][fault]") {
    KernelFixture f;
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    Spawned worker = f.spawn(100);
    Spawned handler = f.spawn(150);
    REQUIRE(f.invoke(f.root_task, worker.task_slot, TaskLabel::Configure,
                     {root_slot::kCapabilitySpace, root_slot::kVirtualSpace, endpoint, 100}).error == Error::None);
    f.ipc(*handler.task, Syscall::Recv, endpoint);
    f.switch_to(*worker.task);
    handle_fault(f.cpu, FaultKind::PageFault, 0x1000, rights::kRead);
    CHECK(worker.task->state == TaskState::Faulted);
    CHECK(handler.task->runnable());
    CHECK(KernelFixture::word(*handler.task, 0) == 0x1000);
    // A faulted sender queued on an endpoint that dies stays stopped too.
    Spawned other = f.spawn(100);
    REQUIRE(f.invoke(f.root_task, other.task_slot, TaskLabel::Configure,
                     {root_slot::kCapabilitySpace, root_slot::kVirtualSpace, endpoint, 100}).error == Error::None);
    f.switch_to(*other.task);
    handle_fault(f.cpu, FaultKind::Alignment, 3, 0);
    CHECK(other.task->state == TaskState::BlockedSend);
    f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Delete, {endpoint});
    for (uint64_t task : {worker.task_slot, other.task_slot}) // the last references to the endpoint
        REQUIRE(f.invoke(f.root_task, task, TaskLabel::Configure,
                         {root_slot::kCapabilitySpace, root_slot::kVirtualSpace, kNoSlot, 100}).error == Error::None);
    CHECK(other.task->state == TaskState::Faulted);
}
