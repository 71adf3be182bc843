// kernel/syscall/syscall.cpp — syscall decoding: every argument is checked
// before the IPC state machines (ipc/) change anything.
#include <capability/capability_space.hpp>
#include <entry.hpp>
#include <ipc/ipc.hpp>
#include <syscall/fast_path.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

Result<Capability*> lookup(Task& task, uint64_t index, ObjectType type, uint8_t wanted) {
    if (!task.cspace) return Error::InvalidCapability;
    return task.cspace->lookup(index, type, wanted);
}

// A reply object can be offered by one receive at a time, and not while a
// caller is bound to it.
Result<void> check_offerable(const Reply& reply) {
    if (reply.caller || reply.receiver) return Error::Busy;
    return {};
}

// The reply object named in r6 (null for kNoSlot), offerable.
Result<Reply*> receive_reply_object(Task& task) {
    uint64_t slot = task.context.argument(reg::kReply);
    if (slot == kNoSlot) return static_cast<Reply*>(nullptr);
    Capability* capability = TRY(lookup(task, slot, ObjectType::Reply, 0));
    auto* reply = static_cast<Reply*>(capability->object);
    TRY(check_offerable(*reply));
    return reply;
}

Result<void> send_syscall(Cpu& cpu, Task& task, bool blocking) {
    Capability* capability =
        TRY(lookup(task, task.context.argument(reg::kCapability), ObjectType::Endpoint, rights::kWrite));
    TRY(check_message(task, capability->has_rights(rights::kGrant)));
    auto& endpoint = *static_cast<Endpoint*>(capability->object);
    if (!blocking && endpoint.receivers.empty()) return Error::WouldBlock;
    send(cpu, task, endpoint, capability->badge, false, capability->has_rights(rights::kGrant));
    return {};
}

Result<void> receive_syscall(Cpu& cpu, Task& task, bool blocking) {
    Capability* capability =
        TRY(lookup(task, task.context.argument(reg::kCapability), ObjectType::Endpoint, rights::kRead));
    Reply* reply = TRY(receive_reply_object(task));
    auto& endpoint = *static_cast<Endpoint*>(capability->object);
    if (!blocking && endpoint.senders.empty()) return Error::WouldBlock;
    receive(cpu, task, endpoint, reply);
    return {};
}

Result<void> call_syscall(Cpu& cpu, Task& task) {
    Capability* capability = TRY(lookup(task, task.context.argument(reg::kCapability), ObjectType::None, 0));
    if (capability->type() != ObjectType::Endpoint) {
        invoke(cpu, task, *capability);
        return {};
    }
    if (!capability->has_rights(rights::kWrite)) return Error::MissingRights;
    bool grant = capability->has_rights(rights::kGrant);
    TRY(check_message(task, grant));
    send(cpu, task, *static_cast<Endpoint*>(capability->object), capability->badge, true, grant);
    return {};
}

// The reply half of Reply and ReplyRecv: the reply object in r6, bound.
Result<Capability*> check_reply(Task& task) {
    Capability* capability = TRY(lookup(task, task.context.argument(reg::kReply), ObjectType::Reply, 0));
    if (!static_cast<Reply*>(capability->object)->caller) return Error::InvalidArgument;
    TRY(check_message(task, capability->has_rights(rights::kGrant)));
    return capability;
}

Result<void> reply_syscall(Cpu& cpu, Task& task) {
    Capability* capability = TRY(check_reply(task));
    send_reply(cpu, task, *static_cast<Reply*>(capability->object), capability->has_rights(rights::kGrant));
    task.set_status(Error::None);
    return {};
}

// Reply (when the reply object is bound) then receive with the same object.
Result<void> reply_receive_syscall(Cpu& cpu, Task& task) {
    Capability* endpoint_capability =
        TRY(lookup(task, task.context.argument(reg::kCapability), ObjectType::Endpoint, rights::kRead));
    Capability* reply_capability = TRY(lookup(task, task.context.argument(reg::kReply), ObjectType::Reply, 0));
    auto* reply = static_cast<Reply*>(reply_capability->object);
    if (reply->caller) {
        TRY(check_message(task, reply_capability->has_rights(rights::kGrant)));
        send_reply(cpu, task, *reply, reply_capability->has_rights(rights::kGrant));
    } else {
        TRY(check_offerable(*reply));
    }
    receive(cpu, task, *static_cast<Endpoint*>(endpoint_capability->object), reply);
    return {};
}

Result<void> signal_syscall(Cpu& cpu, Task& task) {
    Capability* capability =
        TRY(lookup(task, task.context.argument(reg::kCapability), ObjectType::Notification, rights::kWrite));
    signal(cpu, *static_cast<Notification*>(capability->object), capability->badge);
    task.set_status(Error::None);
    return {};
}

Result<void> wait_syscall(Cpu& cpu, Task& task) {
    Capability* capability =
        TRY(lookup(task, task.context.argument(reg::kCapability), ObjectType::Notification, rights::kRead));
    wait(cpu, task, *static_cast<Notification*>(capability->object));
    return {};
}

// r0 = number of slots (in the IPC buffer's poll[]), r7 = timeout in ticks.
Result<void> poll_syscall(Cpu& cpu, Task& task) {
    uint64_t count = task.context.argument(reg::kCapability);
    uint64_t timeout = task.context.argument(reg::kExtra);
    if (count == 0 || count > kMaxPoll) return Error::InvalidArgument;
    IpcBuffer* buffer = task.ipc_buffer();
    if (!buffer) return Error::InvalidArgument;
    Object* objects[kMaxPoll];
    uint64_t mask = 0;
    for (size_t i = 0; i < count; ++i) {
        Capability* capability = TRY(lookup(task, buffer->poll[i], ObjectType::None, rights::kRead));
        if (capability->type() != ObjectType::Endpoint && capability->type() != ObjectType::Notification)
            return Error::WrongType;
        objects[i] = capability->object;
        for (size_t j = 0; j < i; ++j)
            if (objects[j] == objects[i]) return Error::InvalidArgument;
        if (poll_ready(*objects[i])) mask |= uint64_t{1} << i;
    }
    if (mask) {
        task.set_status(Error::None);
        task.set_register(reg::kExtra, mask);
        return {};
    }
    if (timeout == 0) return Error::TimedOut;
    for (size_t i = 0; i < count; ++i) task.poll_entries[i].object = objects[i];
    task.poll_count = static_cast<uint32_t>(count);
    block_poll(cpu, task, timeout);
    return {};
}

Result<void> dispatch(Cpu& cpu, Task& task, Syscall number) {
    switch (number) {
    case Syscall::Send: return send_syscall(cpu, task, true);
    case Syscall::TrySend: return send_syscall(cpu, task, false);
    case Syscall::Recv: return receive_syscall(cpu, task, true);
    case Syscall::TryRecv: return receive_syscall(cpu, task, false);
    case Syscall::Call: return call_syscall(cpu, task);
    case Syscall::Reply: return reply_syscall(cpu, task);
    case Syscall::ReplyRecv: return reply_receive_syscall(cpu, task);
    case Syscall::Signal: return signal_syscall(cpu, task);
    case Syscall::Wait: return wait_syscall(cpu, task);
    case Syscall::Poll: return poll_syscall(cpu, task);
    case Syscall::Yield:
        cpu.rotate_requested = true;
        task.set_status(Error::None);
        return {};
    case Syscall::Exit:
        raise_fault(cpu, task,
                    FaultInfo{FaultKind::Exited, 0, task.context.instruction_pointer(),
                              task.context.argument(reg::kCapability)});
        return {};
    }
    return Error::InvalidSyscall;
}

// Everything but the fast path; out of line so that handle_syscall stays a
// leaf-like function with a short prologue on the fast path.
[[gnu::noinline]] void general_syscall(Cpu& cpu, Task& task, uint64_t number) {
    // A call rewound to continue its work (Task::restart) comes back here.
    if (task.restart.active) {
        if (number == static_cast<uint64_t>(Syscall::Call) && continue_restarted_call(cpu, task)) {
            schedule(cpu);
            return;
        }
        task.restart = PendingRestart{};
    }
    if (number >= kSyscallCount) {
        raise_fault(cpu, task, FaultInfo{FaultKind::UnknownSyscall, 0, task.context.instruction_pointer(), number});
    } else {
        Result<void> result = dispatch(cpu, task, static_cast<Syscall>(number));
        // A failed syscall changed nothing: the task is still current.
        if (!result.ok()) task.set_status(result.error());
    }
    schedule(cpu);
}

} // namespace

void handle_general_syscall(Cpu& cpu) {
    Task& task = *cpu.current;
    general_syscall(cpu, task, task.context.syscall_number());
}

void handle_syscall(Cpu& cpu) {
    Task& task = *cpu.current;
    const uint64_t number = task.context.syscall_number();
    if (try_fast_path(cpu, task, number) != FastPath::NotTaken) return;
    general_syscall(cpu, task, number);
}

} // namespace vesta
