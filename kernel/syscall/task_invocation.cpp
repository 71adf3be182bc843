// kernel/syscall/task_invocation.cpp — Task: Configure, SetIpcBuffer,
// WriteRegisters, ReadRegisters, Resume, Suspend, SetPriority.
#include <ipc/ipc.hpp>
#include <object/binding.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

// A task may not give another a higher priority than its own.
Result<uint8_t> check_priority(const Invocation& invocation, uint64_t priority) {
    if (priority > kMaxPriority) return Error::OutOfRange;
    if (priority > invocation.caller.priority) return Error::MissingRights;
    return static_cast<uint8_t>(priority);
}

void set_priority(Cpu& cpu, Task& task, uint8_t priority) {
    if (task.state == TaskState::Ready) {
        cpu.scheduler.remove(task);
        task.priority = priority;
        cpu.scheduler.enqueue(task);
    } else {
        task.priority = priority;
    }
}

InvocationOutcome configure(Invocation& invocation, Task& task) {
    TRY(invocation.require(4));
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
    set_priority(invocation.cpu, task, priority);
    return InvocationResult::none();
}

InvocationOutcome set_ipc_buffer(Invocation& invocation, Task& task) {
    TRY(invocation.require(2));
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

InvocationOutcome write_registers(Invocation& invocation, Task& task) {
    TRY(invocation.require(3));
    if (&task == &invocation.caller) return Error::Busy;
    task.context.initialize(invocation.words[0], invocation.words[1], invocation.words[2]);
    task.restart = PendingRestart{}; // its next syscall is a new one
    return InvocationResult::none();
}

InvocationOutcome resume(Invocation& invocation, Task& task) {
    if (task.state != TaskState::Inactive && task.state != TaskState::Faulted && task.state != TaskState::Exited)
        return Error::Busy;
    if (!task.cspace || !task.vspace) return Error::InvalidArgument;
    make_ready(invocation.cpu, task);
    return InvocationResult::none();
}

} // namespace

InvocationOutcome invoke_task(Invocation& invocation) {
    auto& task = *static_cast<Task*>(invocation.capability.object);
    auto label = static_cast<TaskLabel>(invocation.label);
    if (label < TaskLabel::Configure || label > TaskLabel::SetPriority) return Error::NotSupported;
    uint8_t wanted = label == TaskLabel::ReadRegisters ? rights::kRead : rights::kWrite;
    if (!invocation.capability.has_rights(wanted)) return Error::MissingRights;
    switch (label) {
    case TaskLabel::Configure: return configure(invocation, task);
    case TaskLabel::SetIpcBuffer: return set_ipc_buffer(invocation, task);
    case TaskLabel::WriteRegisters: return write_registers(invocation, task);
    case TaskLabel::ReadRegisters:
        return InvocationResult::of(task.context.instruction_pointer(), task.context.stack_pointer(),
                                    task.context.argument(0), static_cast<uint64_t>(task.state));
    case TaskLabel::Resume: return resume(invocation, task);
    case TaskLabel::Suspend: detach_task(invocation.cpu, task); return InvocationResult::none();
    case TaskLabel::SetPriority: {
        TRY(invocation.require(1));
        uint8_t priority = TRY(check_priority(invocation, invocation.words[0]));
        set_priority(invocation.cpu, task, priority);
        return InvocationResult::none();
    }
    }
    return Error::NotSupported;
}

} // namespace vesta
