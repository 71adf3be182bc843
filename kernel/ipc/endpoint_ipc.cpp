// kernel/ipc/endpoint_ipc.cpp — send, receive, call and reply on endpoints.
#include <arch/platform.hpp>
#include <console.hpp>
#include <capability/capability_space.hpp>
#include <ipc/ipc.hpp>
#include <ipc/message.hpp>
#include <object/memory.hpp>

namespace vesta {
namespace {

// A call could not be bound to a reply object: the caller learns PeerGone
// (a faulting caller stays stopped instead).
void fail_call(Cpu& cpu, Task& caller, Error error) {
    bool was_queued = caller.state != TaskState::Running;
    if (caller.fault_pending) {
        caller.fault_pending = false;
        if (caller.state == TaskState::Running && cpu.current == &caller) cpu.current = nullptr;
        caller.state = TaskState::Faulted;
        return;
    }
    caller.set_status(error);
    if (was_queued) make_ready(cpu, caller);
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
        Reply* reply = receiver->reply;
        receiver->reply = nullptr;
        if (call) bind_caller(cpu, sender, reply);
        else sender.set_status(Error::None);
        make_ready(cpu, *receiver);
        if (reply) release(cpu, *reply); // the receive's reference
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
        } else {
            sender->set_status(Error::None);
            make_ready(cpu, *sender);
        }
        return;
    }
    receiver.state = TaskState::BlockedReceive;
    receiver.blocked_on = &endpoint;
    receiver.reply = reply;
    if (reply) retain(*reply);
    endpoint.receivers.push_back(receiver);
}

void send_reply(Cpu& cpu, Task& replier, Reply& reply, bool grant) {
    Task& caller = *reply.caller;
    reply.caller = nullptr;
    caller.reply = nullptr;
    if (caller.fault_pending) {
        // A fault reply resumes the task untouched when its label is 0 and
        // leaves it stopped otherwise; its registers are not written.
        caller.fault_pending = false;
        MessageTag tag{replier.context.argument(reg::kTag)};
        if (tag.label() == 0) make_ready(cpu, caller);
        else caller.state = TaskState::Faulted;
        return;
    }
    deliver(replier, caller, 0, grant);
    make_ready(cpu, caller);
}

void abort_ipc(Cpu& cpu, Task& task, Error error) {
    task.blocked_on = nullptr;
    if (task.state == TaskState::BlockedReceive && task.reply) {
        Reply* reply = task.reply;
        task.reply = nullptr;
        release(cpu, *reply);
    }
    task.reply = nullptr;
    if (task.fault_pending) {
        task.fault_pending = false;
        task.state = TaskState::Faulted;
        return;
    }
    task.set_status(error);
    make_ready(cpu, task);
}

void raise_fault(Cpu& cpu, Task& task, const FaultInfo& fault) {
    task.fault = fault;
    if (!task.fault_endpoint) {
        print("vesta: task {}{}stopped by a fault (no fault endpoint): {} at ip {:x}, address {:x}, detail {:x}\n",
              static_cast<const char*>(task.name), task.name[0] ? " " : "", fault_kind_name(fault.kind),
              fault.instruction_pointer, fault.address, fault.detail);
        if (cpu.current == &task) cpu.current = nullptr;
        task.state = TaskState::Faulted;
        return;
    }
    task.fault_pending = true;
    send(cpu, task, *task.fault_endpoint, task.fault_badge, true, false);
}

void Endpoint::destroy(Cpu& cpu, Endpoint& endpoint) {
    while (Task* task = endpoint.senders.pop_front()) abort_ipc(cpu, *task, Error::PeerGone);
    while (Task* task = endpoint.receivers.pop_front()) abort_ipc(cpu, *task, Error::PeerGone);
    wake_pollers(cpu, endpoint.pollers, Error::PeerGone);
}

void Reply::destroy(Cpu& cpu, Reply& reply) {
    if (Task* caller = reply.caller) {
        reply.caller = nullptr;
        caller->reply = nullptr;
        abort_ipc(cpu, *caller, Error::PeerGone);
    }
}

} // namespace vesta
