// kernel/syscall/fast_path.cpp — Call, ReplyRecv, Signal, Wait and Yield
// without the general machinery. Preconditions are checked first; the
// perform part cannot fail. It must behave exactly as the general path
// (syscall.cpp, ipc/endpoint_ipc.cpp, ipc/notification_ipc.cpp, cpu.cpp's
// schedule()) would: the stateful syscall fuzzer runs every program on a second kernel
// without it and compares after every step (docs/design.md, "The IPC fast
// path and the general path").
#include <capability/capability_space.hpp>
#include <object/endpoint.hpp>
#include <object/notification.hpp>
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

// A task on another CPU goes through the general path (make_ready there).
// Every task has a home from its creation (Memory.Create, the root task).
[[gnu::always_inline]] inline bool on_this_cpu(const Cpu& cpu, const Task& task) { return task.home == &cpu; }

// The partner may run at once only if it lives on this CPU and nothing ready
// would be chosen before it.
[[gnu::always_inline]] inline bool partner_runs_next(const Cpu& cpu, const Task& partner) {
    return on_this_cpu(cpu, partner) && cpu.scheduler.highest_priority() < static_cast<int>(partner.priority);
}

// Each handler first declines a task with a rewound call pending: the
// general path continues that call first (its restart state).

[[gnu::noinline]] FastPath call_fast(Cpu& cpu, Task& caller) {
    if (caller.restart.active) return FastPath::NotTaken;
    const MessageTag tag{caller.context.argument(reg::kTag)};
    if (!small_message(tag) || !caller.cspace) return FastPath::NotTaken;
    Capability* capability =
        caller.cspace->find(caller.context.argument(reg::kCapability), ObjectType::Endpoint, rights::kWrite);
    if (!capability) return FastPath::NotTaken;
    auto& endpoint = *static_cast<Endpoint*>(capability->object);
    Task* receiver = endpoint.receivers.front();
    if (!receiver) return FastPath::NotTaken;
    Reply* reply = receiver->reply;
    if (!reply || reply->caller || !partner_runs_next(cpu, *receiver)) return FastPath::NotTaken;

    endpoint.receivers.pop_front(); // receiver
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
    return FastPath::Switched;
}

[[gnu::noinline]] FastPath reply_receive_fast(Cpu& cpu, Task& server) {
    if (server.restart.active) return FastPath::NotTaken;
    const MessageTag tag{server.context.argument(reg::kTag)};
    if (!small_message(tag) || !server.cspace) return FastPath::NotTaken;
    CapabilitySpace& cspace = *server.cspace;
    Capability* endpoint_capability =
        cspace.find(server.context.argument(reg::kCapability), ObjectType::Endpoint, rights::kRead);
    Capability* reply_capability = cspace.find(server.context.argument(reg::kReply), ObjectType::Reply, 0);
    if (!endpoint_capability || !reply_capability) return FastPath::NotTaken;
    auto& endpoint = *static_cast<Endpoint*>(endpoint_capability->object);
    auto& reply = *static_cast<Reply*>(reply_capability->object);
    Task* caller = reply.caller;
    if (!caller || caller->fault_pending || !endpoint.senders.empty() || !partner_runs_next(cpu, *caller))
        return FastPath::NotTaken;

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
    return FastPath::Switched;
}

// Yield with nothing of equal or higher priority ready: the task runs on.
[[gnu::noinline]] FastPath yield_fast(Cpu& cpu, Task& task) {
    if (task.restart.active || cpu.scheduler.highest_priority() >= static_cast<int>(task.priority))
        return FastPath::NotTaken;
    task.set_status(Error::None);
    cpu.rotate_requested = false;
    return FastPath::SameThread;
}

// schedule() after a syscall that left `task` Running keeps it iff nothing
// ready has a higher priority (no rotation was requested).
bool keeps_running(const Cpu& cpu, const Task& task) {
    return cpu.scheduler.highest_priority() <= static_cast<int>(task.priority);
}

// The notification named in r0 with `wanted` rights, or null.
Notification* notification_named(Task& task, uint8_t wanted, uint64_t* badge) {
    if (!task.cspace) return nullptr;
    Capability* capability =
        task.cspace->find(task.context.argument(reg::kCapability), ObjectType::Notification, wanted);
    if (!capability) return nullptr;
    *badge = capability->badge;
    return static_cast<Notification*>(capability->object);
}

// Signal (ipc/notification_ipc.cpp signal()): with no waiter the bits are
// ORed in (unless pollers must be woken: general path); a waiter of lower or
// equal priority is made ready and the signaller runs on; a waiter of higher
// priority than the signaller and anything ready runs at once, the
// signaller preempted at the front of its queue (what schedule() does).
[[gnu::noinline]] FastPath signal_fast(Cpu& cpu, Task& task) {
    if (task.restart.active) return FastPath::NotTaken;
    uint64_t badge = 0;
    Notification* notification = notification_named(task, rights::kWrite, &badge);
    if (!notification) return FastPath::NotTaken;
    const uint64_t value = badge ? badge : 1;
    Task* waiter = notification->waiters.front();
    if (waiter && !on_this_cpu(cpu, *waiter)) return FastPath::NotTaken;
    if (!waiter) {
        if (!notification->pollers.empty() || !keeps_running(cpu, task)) return FastPath::NotTaken;
        notification->bits |= value;
        task.set_status(Error::None);
        cpu.rotate_requested = false;
        return FastPath::SameThread;
    }
    const bool waiter_first = waiter->priority > task.priority;
    if (waiter_first ? cpu.scheduler.highest_priority() >= static_cast<int>(waiter->priority)
                     : !keeps_running(cpu, task))
        return FastPath::NotTaken;
    notification->waiters.pop_front();
    waiter->blocked_on = nullptr;
    waiter->set_status(Error::None);
    waiter->set_register(reg::kExtra, notification->bits | value);
    notification->bits = 0;
    task.set_status(Error::None);
    cpu.rotate_requested = false;
    if (!waiter_first) {
        waiter->state = TaskState::Ready; // make_ready()
        cpu.scheduler.enqueue(*waiter);
        return FastPath::SameThread;
    }
    // make_ready + schedule(): the waiter would be alone in its queue and
    // taken out again at once.
    task.state = TaskState::Ready;
    cpu.scheduler.enqueue_front(task);
    waiter->state = TaskState::Running;
    cpu.current = waiter;
    return FastPath::Switched;
}

// Wait (ipc/notification_ipc.cpp wait()): bits pending are taken at once;
// otherwise the task blocks and the highest ready task runs (or none).
[[gnu::noinline]] FastPath wait_fast(Cpu& cpu, Task& task) {
    if (task.restart.active) return FastPath::NotTaken;
    uint64_t badge = 0;
    Notification* notification = notification_named(task, rights::kRead, &badge);
    if (!notification) return FastPath::NotTaken;
    if (notification->bits) {
        if (!keeps_running(cpu, task)) return FastPath::NotTaken;
        task.set_status(Error::None);
        task.set_register(reg::kExtra, notification->bits);
        notification->bits = 0;
        cpu.rotate_requested = false;
        return FastPath::SameThread;
    }
    task.state = TaskState::BlockedNotification;
    task.blocked_on = notification;
    notification->waiters.push_back(task);
    cpu.rotate_requested = false;
    Task* next = cpu.scheduler.take_highest(); // schedule(): highest() taken off its queue
    cpu.current = next;
    if (next) next->state = TaskState::Running;
    return FastPath::Switched;
}

// Every other syscall (and numbers up to the table's size that name none).
FastPath not_taken(Cpu&, Task&) { return FastPath::NotTaken; }

} // namespace

// Each case is a function of its own, so that each saves only the registers
// it uses; the entry stubs call them through the table without a dispatch
// function in between.
extern "C" const FastPathHandler vesta_fast_paths[kFastPathTableSize] = {
    not_taken,          // Send
    not_taken,          // TrySend
    not_taken,          // Recv
    not_taken,          // TryRecv
    call_fast,          // Call
    not_taken,          // Reply
    reply_receive_fast, // ReplyRecv
    signal_fast,        // Signal
    wait_fast,          // Wait
    not_taken,          // Poll
    yield_fast,         // Yield
    not_taken,          // Exit
    not_taken,          not_taken, not_taken, not_taken,
};
static_assert(static_cast<uint64_t>(Syscall::Call) == 4 && static_cast<uint64_t>(Syscall::ReplyRecv) == 6 &&
              static_cast<uint64_t>(Syscall::Signal) == 7 && static_cast<uint64_t>(Syscall::Wait) == 8 &&
              static_cast<uint64_t>(Syscall::Yield) == 10 && kSyscallCount == 12);

extern "C" FastPath vesta_fast_syscall(Cpu& cpu, Task& task, uint64_t number) {
    return number < kFastPathTableSize ? vesta_fast_paths[number](cpu, task) : FastPath::NotTaken;
}

} // namespace vesta
