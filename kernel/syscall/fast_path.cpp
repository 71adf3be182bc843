// kernel/syscall/fast_path.cpp — Call and ReplyRecv without the general
// machinery. Preconditions are checked first; the perform part cannot fail.
// It must behave exactly as the general path (syscall.cpp, ipc/endpoint_ipc.cpp)
// would: the stateful syscall fuzzer runs every program on a second kernel
// without it and compares after every step (docs/design.md, "The IPC fast
// path and the general path").
#include <capability/capability_space.hpp>
#include <object/endpoint.hpp>
#include <object/reply.hpp>
#include <syscall/fast_path.hpp>

namespace vesta {
namespace {

// A small message: words in registers only, no capabilities, well-formed.
bool small_message(MessageTag tag) { return (tag.raw & 0xff00) == 0 && tag.words() <= kRegisterMessageWords; }

// Copy the register message of `from` to `to` as deliver() does.
void transfer(const Task& from, Task& to, MessageTag tag, uint64_t badge) {
    to.set_register(reg::kStatus, static_cast<uint64_t>(Error::None));
    to.set_register(reg::kTag, tag.raw);
    for (size_t i = 0; i < kRegisterMessageWords; ++i)
        to.set_register(reg::kWord0 + i, from.context.argument(reg::kWord0 + i));
    to.set_register(reg::kBadge, badge);
}

// The partner may run at once only if nothing ready would be chosen before it.
bool partner_runs_next(const Cpu& cpu, const Task& partner) {
    return cpu.scheduler.highest_priority() < static_cast<int>(partner.priority);
}

bool call_fast(Cpu& cpu, Task& caller) {
    const MessageTag tag{caller.context.argument(reg::kTag)};
    if (!small_message(tag) || !caller.cspace) return false;
    Capability* capability =
        caller.cspace->find(caller.context.argument(reg::kCapability), ObjectType::Endpoint, rights::kWrite);
    if (!capability) return false;
    auto& endpoint = *static_cast<Endpoint*>(capability->object);
    Task* receiver = endpoint.receivers.front();
    if (!receiver) return false;
    Reply* reply = receiver->reply;
    if (!reply || reply->caller || !partner_runs_next(cpu, *receiver)) return false;

    endpoint.receivers.remove(*receiver);
    receiver->blocked_on = nullptr;
    receiver->reply = nullptr;
    reply->receiver = nullptr;
    transfer(caller, *receiver, MessageTag::make(tag.label(), tag.words(), 0), capability->badge);
    reply->caller = &caller;
    caller.reply = reply;
    caller.state = TaskState::BlockedReply;
    receiver->state = TaskState::Running;
    cpu.current = receiver;
    cpu.rotate_requested = false;
    return true;
}

bool reply_receive_fast(Cpu& cpu, Task& server) {
    const MessageTag tag{server.context.argument(reg::kTag)};
    if (!small_message(tag) || !server.cspace) return false;
    CapabilitySpace& cspace = *server.cspace;
    Capability* endpoint_capability =
        cspace.find(server.context.argument(reg::kCapability), ObjectType::Endpoint, rights::kRead);
    Capability* reply_capability = cspace.find(server.context.argument(reg::kReply), ObjectType::Reply, 0);
    if (!endpoint_capability || !reply_capability) return false;
    auto& endpoint = *static_cast<Endpoint*>(endpoint_capability->object);
    auto& reply = *static_cast<Reply*>(reply_capability->object);
    Task* caller = reply.caller;
    if (!caller || caller->fault_pending || !endpoint.senders.empty() || !partner_runs_next(cpu, *caller)) return false;

    reply.caller = nullptr;
    caller->reply = nullptr;
    transfer(server, *caller, MessageTag::make(tag.label(), tag.words(), 0), 0);
    server.state = TaskState::BlockedReceive;
    server.blocked_on = &endpoint;
    server.reply = &reply; // bound to `caller` until now, so no one else offers it
    reply.receiver = &server;
    endpoint.receivers.push_back(server);
    caller->state = TaskState::Running;
    cpu.current = caller;
    cpu.rotate_requested = false;
    return true;
}

// Yield with nothing of equal or higher priority ready: the task runs on.
bool yield_fast(Cpu& cpu, Task& task) {
    if (cpu.scheduler.highest_priority() >= static_cast<int>(task.priority)) return false;
    task.set_status(Error::None);
    cpu.rotate_requested = false;
    return true;
}

} // namespace

bool try_fast_path(Cpu& cpu, Task& task, uint64_t number) {
    if (number == static_cast<uint64_t>(Syscall::Call)) return call_fast(cpu, task);
    if (number == static_cast<uint64_t>(Syscall::ReplyRecv)) return reply_receive_fast(cpu, task);
    if (number == static_cast<uint64_t>(Syscall::Yield)) return yield_fast(cpu, task);
    return false;
}

} // namespace vesta
