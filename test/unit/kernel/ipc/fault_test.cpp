#include "kernel_fixture.hpp"
#include <string>

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
    CHECK(std::string(arch::host_machine.console_tail).find("vesta: task stopped by a fault") != std::string::npos);
    // A supervisor may restart it.
    CHECK(f.invoke(f.root_task, worker.task_slot, TaskLabel::Resume).error == Error::None);
    CHECK(worker.task->state == TaskState::Ready);
}

TEST_CASE("an unknown syscall becomes a fault message", "[ipc][fault]") {
    KernelFixture f;
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    uint64_t reply = f.create(ObjectType::Reply);
    uint64_t badged = f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                               {kAnySlot, endpoint, rights::kAll, 0x99})
                          .words[0];
    Spawned worker = f.spawn(100);
    REQUIRE(f.invoke(f.root_task, worker.task_slot, TaskLabel::Configure,
                     {root_slot::kCapabilitySpace, root_slot::kVirtualSpace, badged, 100})
                .error == Error::None);
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
                     {root_slot::kCapabilitySpace, root_slot::kVirtualSpace, endpoint, 100})
                .error == Error::None);
    f.ipc(*handler.task, Syscall::Recv, endpoint);
    f.switch_to(*worker.task);
    handle_fault(f.cpu, FaultKind::PageFault, 0x1000, rights::kRead);
    CHECK(worker.task->state == TaskState::Faulted);
    CHECK(handler.task->runnable());
    CHECK(KernelFixture::word(*handler.task, 0) == 0x1000);
    // A faulted sender queued on an endpoint that dies stays stopped too.
    Spawned other = f.spawn(100);
    REQUIRE(f.invoke(f.root_task, other.task_slot, TaskLabel::Configure,
                     {root_slot::kCapabilitySpace, root_slot::kVirtualSpace, endpoint, 100})
                .error == Error::None);
    f.switch_to(*other.task);
    handle_fault(f.cpu, FaultKind::Alignment, 3, 0);
    CHECK(other.task->state == TaskState::BlockedSend);
    f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Delete, {endpoint});
    for (uint64_t task : {worker.task_slot, other.task_slot}) // the last references to the endpoint
        REQUIRE(f.invoke(f.root_task, task, TaskLabel::Configure,
                         {root_slot::kCapabilitySpace, root_slot::kVirtualSpace, kNoSlot, 100})
                    .error == Error::None);
    CHECK(other.task->state == TaskState::Faulted);
}

// Regression (hardening review): ending a task, observed by its supervisor; then its pages return.
TEST_CASE("Exit tells the supervisor and the task stays Exited; deleting its pool returns every page", "[ipc][exit]") {
    KernelFixture f;
    const uint64_t root_free = f.pool->free_pages();
    const uint64_t endpoint = f.create(ObjectType::Endpoint);
    const uint64_t reply = f.create(ObjectType::Reply);
    const uint64_t badged = f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                                     {kAnySlot, endpoint, rights::kWrite, 0x77})
                                .words[0];
    const uint64_t pool = f.invoke(f.root_task, root_slot::kMemory, MemoryLabel::Split, {64, kAnySlot}).words[0];
    const uint64_t space = f.create(ObjectType::CapabilitySpace, 4, pool);
    const uint64_t task = f.create(ObjectType::Task, 0, pool);
    REQUIRE(f.invoke(f.root_task, task, TaskLabel::Configure, {space, root_slot::kVirtualSpace, badged, 100}).error ==
            Error::None);
    // The child's cspace holds itself and its task: the cycle the runtime makes.
    REQUIRE(f.invoke(f.root_task, space, CapabilitySpaceLabel::Copy, {0, task, rights::kAll, 0}).error == Error::None);
    REQUIRE(f.invoke(f.root_task, space, CapabilitySpaceLabel::Copy, {1, space, rights::kAll, 0}).error == Error::None);
    REQUIRE(f.invoke(f.root_task, task, TaskLabel::Resume).error == Error::None);
    Task& child = f.object<Task>(task);
    f.switch_to(child);
    child.context.set_instruction_pointer(0x4321);
    f.syscall(child, Syscall::Exit, {42});        // r0 keeps the status: the call does not return
    CHECK(child.state == TaskState::BlockedSend); // until the supervisor takes the message
    f.ipc(f.root_task, Syscall::Recv, endpoint, 0, {}, reply);
    CHECK(KernelFixture::tag(f.root_task).label() == uint64_t(FaultKind::Exited));
    CHECK(KernelFixture::badge(f.root_task) == 0x77);
    CHECK(KernelFixture::word(f.root_task, 1) == 0x4321);
    CHECK(KernelFixture::word(f.root_task, 2) == 42);
    CHECK(child.state == TaskState::Exited);
    CHECK(f.object<Reply>(reply).caller == nullptr); // an exit is not a call: nothing to answer
    auto registers = f.invoke(f.root_task, task, TaskLabel::ReadRegisters);
    CHECK(registers.words[3] == uint64_t(TaskState::Exited));
    SECTION("the supervisor drops the task's pool: everything returns") {
        for (uint64_t slot : {space, task, pool})
            REQUIRE(f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Delete, {slot}).error ==
                    Error::None);
        CHECK(f.kernel.teardown.empty());
        for (uint64_t slot : {badged, endpoint, reply})
            REQUIRE(f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Delete, {slot}).error ==
                    Error::None);
        CHECK(f.pool->free_pages() == root_free);
    }
    SECTION("an exited task can be started again") {
        CHECK(f.invoke(f.root_task, task, TaskLabel::Resume).error == Error::None);
        CHECK(child.state == TaskState::Ready);
    }
}

TEST_CASE("Exit without a supervisor stops the task quietly", "[ipc][exit]") {
    KernelFixture f;
    Spawned worker = f.spawn(100);
    f.switch_to(*worker.task);
    const size_t printed = arch::host_machine.console_bytes;
    f.syscall(*worker.task, Syscall::Exit, {3});
    CHECK(worker.task->state == TaskState::Exited);
    CHECK(f.cpu.current == &f.root_task);
    CHECK(arch::host_machine.console_bytes == printed);
}

// Regression (hardening review): a task without a fault endpoint made the kernel print a line
// (busy-waiting on the UART) every time it faulted.
TEST_CASE("lines about unhandled faults are rate-limited per window of ticks", "[ipc][fault][hardening]") {
    KernelFixture f;
    Spawned worker = f.spawn(100);
    const size_t before = arch::host_machine.console_bytes;
    for (int i = 0; i < 1000; ++i) {
        f.switch_to(*worker.task);
        handle_fault(f.cpu, FaultKind::PageFault, 0x10, 0);
        REQUIRE(worker.task->state == TaskState::Faulted);
        REQUIRE(f.invoke(f.root_task, worker.task_slot, TaskLabel::Resume).error == Error::None);
    }
    const size_t printed = arch::host_machine.console_bytes - before;
    CHECK(printed < 200 * (FaultLog::kLines + 1)); // eight lines, not a thousand
    CHECK(f.kernel.fault_log.suppressed_total == 1000 - FaultLog::kLines);
    // The next window prints again, with the count of lines it left out.
    for (uint64_t i = 0; i < FaultLog::kWindowTicks; ++i) handle_timer_tick(f.cpu);
    f.switch_to(*worker.task);
    const size_t window = arch::host_machine.console_bytes;
    handle_fault(f.cpu, FaultKind::PageFault, 0x10, 0);
    CHECK(arch::host_machine.console_bytes > window);
    CHECK(f.kernel.fault_log.suppressed == 0);
}

TEST_CASE("a fault line names the task (Task.SetName)", "[ipc][fault]") {
    KernelFixture f;
    Spawned worker = f.spawn(100);
    REQUIRE(f.invoke(f.root_task, worker.task_slot, TaskLabel::SetName, {7, 0x7265746c756166}).error == Error::None);
    f.switch_to(*worker.task);
    worker.task->context.set_instruction_pointer(0x4000);
    handle_fault(f.cpu, FaultKind::UndefinedInstruction, 0, 0);
    CHECK(std::string(arch::host_machine.console_tail).find("vesta: task faulter stopped by a fault") !=
          std::string::npos);
}
