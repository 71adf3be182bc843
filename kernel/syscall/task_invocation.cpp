// kernel/syscall/task_invocation.cpp — Task: Configure, SetIpcBuffer,
// WriteRegisters, ReadRegisters, Resume, Suspend, SetPriority, SetName,
// SetAffinity.
#include <ipc/ipc.hpp>
#include <kernel.hpp>
#include <object/binding.hpp>
#include <smp/cross_cpu.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

// A task may not give another a higher priority than its own.
Result<uint8_t> check_priority(const Invocation& invocation, uint64_t priority) {
    if (priority > kMaxPriority) return Error::OutOfRange;
    if (priority > invocation.caller.priority) return Error::MissingRights;
    return static_cast<uint8_t>(priority);
}

void change_priority(Cpu& cpu, Task& task, uint8_t priority) {
    settle_task(cpu, task);
    if (task.state == TaskState::Ready) {
        Cpu& home = home_cpu(cpu, task);
        home.scheduler.remove(task);
        task.priority = priority;
        home.scheduler.enqueue(task);
    } else {
        task.priority = priority;
    }
}

InvocationOutcome configure(Invocation& invocation) {
    auto& task = invocation.object<Task>();
    CapabilitySpace& cspace = invocation.cspace();
    auto* space = TRY(cspace.lookup_object<CapabilitySpace>(invocation.words[0], rights::kWrite));
    auto* vspace = TRY(cspace.lookup_object<VirtualSpace>(invocation.words[1], rights::kWrite));
    Capability* fault = nullptr;
    if (invocation.words[2] != kNoSlot)
        fault = TRY(cspace.lookup(invocation.words[2], ObjectType::Endpoint, rights::kWrite));
    uint8_t priority = TRY(check_priority(invocation, invocation.words[3]));
    // Bindings hold no references: rebinding never frees anything, so every
    // pointer read above stays valid to the end (the rule "retain before
    // release" holds because nothing is released).
    bind_cspace(task, space);
    bind_vspace(task, vspace);
    bind_fault_endpoint(task, fault ? static_cast<Endpoint*>(fault->object) : nullptr, fault ? fault->badge : 0);
    change_priority(invocation.cpu, task, priority);
    return InvocationResult::none();
}

InvocationOutcome set_ipc_buffer(Invocation& invocation) {
    auto& task = invocation.object<Task>();
    Page* page = nullptr;
    if (invocation.words[0] != kNoSlot) {
        page = TRY(invocation.cspace().lookup_object<Page>(invocation.words[0], rights::kRead | rights::kWrite));
        if (!is_aligned(invocation.words[1], kPageSize)) return Error::Misaligned;
        if (invocation.words[1] >= arch::kUserAddressEnd) return Error::OutOfRange;
        // The kernel writes into an IPC buffer: W^X forbids one that is executable.
        if (page->executable_mappings) return Error::Busy;
    }
    bind_ipc_buffer(task, page, invocation.words[1]);
    return InvocationResult::none();
}

InvocationOutcome write_registers(Invocation& invocation) {
    auto& task = invocation.object<Task>();
    if (&task == &invocation.caller) return Error::Busy;
    settle_task(invocation.cpu, task); // its registers are in its context
    task.context.initialise(invocation.words[0], invocation.words[1], invocation.words[2]);
    task.restart = PendingRestart{}; // its next syscall is a new one
    return InvocationResult::none();
}

InvocationOutcome read_registers(Invocation& invocation) {
    auto& task = invocation.object<Task>();
    settle_task(invocation.cpu, task); // its registers are in its context
    return InvocationResult::of(task.context.instruction_pointer(), task.context.stack_pointer(),
                                task.context.argument(0), static_cast<uint64_t>(task.state));
}

InvocationOutcome resume(Invocation& invocation) {
    auto& task = invocation.object<Task>();
    if (task.state != TaskState::Inactive && task.state != TaskState::Faulted && task.state != TaskState::Exited)
        return Error::Busy;
    if (!task.cspace || !task.vspace) return Error::InvalidArgument;
    make_ready(invocation.cpu, task);
    return InvocationResult::none();
}

InvocationOutcome suspend(Invocation& invocation) {
    detach_task(invocation.cpu, invocation.object<Task>());
    return InvocationResult::none();
}

InvocationOutcome set_priority(Invocation& invocation) {
    uint8_t priority = TRY(check_priority(invocation, invocation.words[0]));
    change_priority(invocation.cpu, invocation.object<Task>(), priority);
    return InvocationResult::none();
}

// SetName: words[0] = byte count (at most kMaxTaskName), the bytes packed
// little-endian in words[1..], printable ASCII (the kernel prints names in
// its fault lines). Fails with OutOfRange (count), InvalidArgument (too few
// words for the count, a byte outside 0x20..0x7e). An empty name clears it.
InvocationOutcome set_name(Invocation& invocation) {
    const uint64_t length = invocation.words[0];
    if (length > kMaxTaskName) return Error::OutOfRange;
    char name[kMaxTaskName + 1] = {};
    TRY(unpack_bytes(invocation, 1, length, name));
    for (size_t i = 0; i < length; ++i)
        if (name[i] < 0x20 || name[i] > 0x7e) return Error::InvalidArgument;
    auto& task = invocation.object<Task>();
    for (size_t i = 0; i < sizeof(task.name); ++i) task.name[i] = name[i];
    return InvocationResult::none();
}

// SetAffinity: words[0] = the CPU index (docs/smp.md). Fails with
// OutOfRange (no CPU of that index on this machine), NotSupported (the CPU
// is there but runs no tasks: it did not come up, or it only idles). Returns
// the task's previous CPU.
InvocationOutcome set_affinity(Invocation& invocation) {
    Kernel& kernel = *invocation.cpu.kernel;
    const uint64_t index = invocation.words[0];
    if (index >= kernel.cpu_count || !kernel.cpus[index]) return Error::OutOfRange;
    Cpu* to = kernel.scheduling_cpu(index);
    if (!to) return Error::NotSupported;
    auto& task = invocation.object<Task>();
    const uint64_t previous = home_cpu(invocation.cpu, task).index;
    move_task(invocation.cpu, task, *to);
    return InvocationResult::of(previous);
}

constexpr Operation kOperations[] = {
    operation(TaskLabel::Configure, rights::kWrite, 4, configure),
    operation(TaskLabel::SetIpcBuffer, rights::kWrite, 2, set_ipc_buffer),
    operation(TaskLabel::WriteRegisters, rights::kWrite, 3, write_registers),
    operation(TaskLabel::ReadRegisters, rights::kRead, 0, read_registers),
    operation(TaskLabel::Resume, rights::kWrite, 0, resume),
    operation(TaskLabel::Suspend, rights::kWrite, 0, suspend),
    operation(TaskLabel::SetPriority, rights::kWrite, 1, set_priority),
    operation(TaskLabel::SetName, rights::kWrite, 1, set_name),
    operation(TaskLabel::SetAffinity, rights::kWrite, 1, set_affinity),
};

} // namespace

const OperationTable kTaskOperations{kOperations};

} // namespace vesta
