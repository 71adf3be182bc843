// kernel/ipc/endpoint_ipc.cpp — send, receive, call and reply on endpoints.
#include <arch/platform.hpp>
#include <capability/capability_space.hpp>
#include <console.hpp>
#include <ipc/ipc.hpp>
#include <ipc/message.hpp>
#include <object/memory.hpp>

namespace vesta {
namespace {

// The state a task with a pending fault (or exit) message ends in when that
// message is not answered by a reply: stopped.
TaskState stopped_state(const Task& task) {
    return task.fault.kind == FaultKind::Exited ? TaskState::Exited : TaskState::Faulted;
}

// Leave `task` stopped after its fault or exit message (it is current or
// was queued; it is neither any more).
void stop_after_fault(Cpu& cpu, Task& task) {
    task.fault_pending = false;
    if (cpu.current == &task) cpu.current = nullptr;
    task.state = stopped_state(task);
}

// A call could not be bound to a reply object: the caller learns PeerGone
// (a faulting caller stays stopped instead).
void fail_call(Cpu& cpu, Task& caller, Error error) {
    bool was_queued = caller.state != TaskState::Running;
    if (caller.fault_pending) {
        stop_after_fault(cpu, caller);
        return;
    }
    caller.set_status(error);
    if (was_queued) make_ready(cpu, caller);
}

// The reply object a blocked receiver offered, now taken from it.
Reply* take_offered_reply(Task& receiver) {
    Reply* reply = receiver.reply;
    receiver.reply = nullptr;
    if (reply) reply->receiver = nullptr;
    return reply;
}

// After a call was delivered: bind the caller to the receiver's reply object.
void bind_caller(Cpu& cpu, Task& caller, Reply* reply) {
    if (!reply || reply->caller) {
        fail_call(cpu, caller, Error::PeerGone);
        return;
    }
    reply->caller = &caller;
    caller.reply = reply;
    caller.state = TaskState::BlockedReply;
}

} // namespace

Result<void> check_message(Task& sender, bool grant) {
    MessageTag tag{sender.context.argument(reg::kTag)};
    if (!tag.valid()) return Error::InvalidArgument;
    if (tag.words() <= kRegisterMessageWords && tag.caps() == 0) return {};
    IpcBuffer* buffer = sender.ipc_buffer();
    if (!buffer) return Error::InvalidArgument;
    if (tag.caps() == 0) return {};
    if (!grant) return Error::MissingRights;
    if (!sender.cspace) return Error::InvalidCapability;
    for (size_t i = 0; i < tag.caps(); ++i) TRY(sender.cspace->lookup(buffer->caps[i], ObjectType::None, 0));
    return {};
}

void send(Cpu& cpu, Task& sender, Endpoint& endpoint, uint64_t badge, bool call, bool grant) {
    if (Task* receiver = endpoint.receivers.pop_front()) {
        receiver->blocked_on = nullptr;
        deliver(sender, *receiver, badge, grant);
        Reply* reply = take_offered_reply(*receiver);
        if (call)
            bind_caller(cpu, sender, reply);
        else if (sender.fault_pending)
            stop_after_fault(cpu, sender); // an exit message
        else
            sender.set_status(Error::None);
        make_ready(cpu, *receiver);
        return;
    }
    sender.state = TaskState::BlockedSend;
    sender.blocked_on = &endpoint;
    sender.sending_badge = badge;
    sender.sending_call = call;
    sender.sending_grant = grant;
    endpoint.senders.push_back(sender);
    wake_pollers(cpu, endpoint.pollers);
}

void receive(Cpu& cpu, Task& receiver, Endpoint& endpoint, Reply* reply) {
    if (Task* sender = endpoint.senders.pop_front()) {
        sender->blocked_on = nullptr;
        deliver(*sender, receiver, sender->sending_badge, sender->sending_grant);
        if (sender->sending_call) {
            bind_caller(cpu, *sender, reply);
        } else if (sender->fault_pending) { // an exit message
            stop_after_fault(cpu, *sender);
        } else {
            sender->set_status(Error::None);
            make_ready(cpu, *sender);
        }
        return;
    }
    receiver.state = TaskState::BlockedReceive;
    receiver.blocked_on = &endpoint;
    receiver.reply = reply;
    if (reply) reply->receiver = &receiver;
    endpoint.receivers.push_back(receiver);
}

void send_reply(Cpu& cpu, Task& replier, Reply& reply, bool grant) {
    VESTA_ASSERT(reply.caller);
    Task& caller = *reply.caller;
    reply.caller = nullptr;
    caller.reply = nullptr;
    if (caller.fault_pending) {
        // A fault reply resumes the task untouched when its label is 0 and
        // leaves it stopped otherwise; its registers are not written.
        caller.fault_pending = false;
        MessageTag tag{replier.context.argument(reg::kTag)};
        if (tag.label() == 0)
            make_ready(cpu, caller);
        else
            caller.state = stopped_state(caller);
        return;
    }
    deliver(replier, caller, 0, grant);
    make_ready(cpu, caller);
}

void abort_ipc(Cpu& cpu, Task& task, Error error) {
    task.blocked_on = nullptr;
    if (task.state == TaskState::BlockedReceive) take_offered_reply(task);
    task.reply = nullptr;
    if (task.fault_pending) {
        stop_after_fault(cpu, task);
        return;
    }
    task.set_status(error);
    make_ready(cpu, task);
}

void raise_fault(Cpu& cpu, Task& task, const FaultInfo& fault) {
    task.fault = fault;
    if (!task.fault_endpoint) {
        if (fault.kind != FaultKind::Exited) log_unhandled_fault(cpu, task, fault);
        if (cpu.current == &task) cpu.current = nullptr;
        task.state = stopped_state(task);
        return;
    }
    task.fault_pending = true;
    // A fault is a call (the handler may resume the task); an exit is a send.
    send(cpu, task, *task.fault_endpoint, task.fault_badge, fault.kind != FaultKind::Exited, false);
}

} // namespace vesta
