// userland/tests/endpoint_tests.cpp — send/recv/call/reply/reply-recv,
// non-blocking send, message sizes up to the maximum, capability transfer in
// both directions, badges, many clients, a server gone while a client waits.
#include "suite.hpp"

namespace suite {

namespace {

// Shared with the test threads (same vspace). Thread slots: 2 the endpoint,
// 3 a notification or second object.
struct Shared {
    volatile uint64_t done;
    volatile uint64_t error;
    volatile uint64_t label, badge, words[kMaxMessageWords], count, caps;
    volatile uint64_t results[16];
    IpcBuffer* volatile ipc[16];
};
Shared shared;

constexpr uint64_t kEp = 2, kOther = 3, kReplySlot = 4;

bool wait_done(uint64_t count = 1) {
    return wait_until([&] { return shared.done >= count; }, 300);
}

bool wait_state(uint64_t task, TaskState state) {
    return wait_until([&] { return task_state(task) == uint64_t(state); }, 300);
}

void receiver(uint64_t) {
    IpcBuffer* ipc = shared.ipc[0];
    const SyscallResult m = syscall(Syscall::Recv, kEp);
    shared.error = uint64_t(m.error);
    shared.label = m.tag.label();
    shared.badge = m.badge;
    shared.count = m.tag.words();
    for (size_t i = 0; i < m.tag.words(); ++i) shared.words[i] = i < 4 ? m.words[i] : ipc->words[i];
    shared.done = 1;
    thread_exit();
}

void sender(uint64_t label) {
    const SyscallResult m = syscall(Syscall::Send, kEp, MessageTag::make(label, 2, 0), 11, 22);
    shared.error = uint64_t(m.error);
    shared.done = shared.done + 1;
    thread_exit();
}

void caller(uint64_t value) {
    const SyscallResult m = syscall(Syscall::Call, kEp, MessageTag::make(1, 1, 0), value);
    shared.error = uint64_t(m.error);
    shared.results[value & 15] = m.words[0];
    shared.done = shared.done + 1;
    thread_exit();
}

// Serves calls until told to stop: replies word 0 + 1 (or echoes `count` words reversed).
void server(uint64_t calls) {
    IpcBuffer* ipc = shared.ipc[0];
    ipc->receive_slots[0] = kAnySlot;
    SyscallResult m = syscall(Syscall::Recv, kEp, {}, 0, 0, 0, 0, kReplySlot);
    for (uint64_t i = 0;; ++i) {
        shared.badge = m.badge;
        shared.count = m.tag.words();
        shared.caps = m.tag.caps();
        shared.label = m.tag.label();
        const size_t n = m.tag.words();
        uint64_t in[kMaxMessageWords];
        for (size_t k = 0; k < n; ++k) in[k] = k < 4 ? m.words[k] : ipc->words[k];
        uint64_t out[kMaxMessageWords];
        for (size_t k = 0; k < n; ++k) out[k] = in[n - 1 - k] + 1;
        for (size_t k = 4; k < n; ++k) ipc->words[k] = out[k];
        shared.done = shared.done + 1;
        if (i + 1 == calls) {
            syscall(Syscall::Reply, 0, MessageTag::make(0, n, 0), out[0], out[1], out[2], out[3], kReplySlot);
            break;
        }
        m = syscall(Syscall::ReplyRecv, kEp, MessageTag::make(0, n, 0), out[0], out[1], out[2], out[3], kReplySlot);
    }
    thread_exit();
}

Thread thread_with(void (*entry)(uint64_t), uint64_t argument, uint64_t endpoint, uint8_t ep_rights = rights::kAll,
                   uint64_t badge = 0, uint64_t other = kNoSlot) {
    Thread t = make_thread(entry, argument);
    if (!t.ok) return t;
    if (give_thread(t, kEp, endpoint, ep_rights, badge) != Error::None) t.ok = false;
    if (other != kNoSlot && give_thread(t, kOther, other) != Error::None) t.ok = false;
    return t;
}

bool try_send_no_receiver() {
    const uint64_t ep = make(ObjectType::Endpoint);
    EXPECT_ERROR(syscall(Syscall::TrySend, ep, MessageTag::make(1, 1, 0), 5).error, Error::WouldBlock);
    return true;
}

bool try_recv_no_sender() {
    const uint64_t ep = make(ObjectType::Endpoint);
    EXPECT_ERROR(syscall(Syscall::TryRecv, ep).error, Error::WouldBlock);
    return true;
}

bool send_to_waiting_receiver(Syscall how) {
    const uint64_t ep = make(ObjectType::Endpoint);
    Thread t = thread_with(receiver, 0, ep, rights::kRead, 0x99);
    EXPECT(t.ok);
    shared.ipc[0] = reinterpret_cast<IpcBuffer*>(t.spawned.ipc_buffer);
    EXPECT_OK(start_thread(t));
    EXPECT(wait_state(t.spawned.task, TaskState::BlockedReceive));
    EXPECT_OK(syscall(how, ep, MessageTag::make(42, 4, 0), 1, 2, 3, 4).error);
    EXPECT(wait_done());
    EXPECT(shared.error == 0);
    EXPECT(shared.label == 42 && shared.count == 4);
    EXPECT(shared.words[0] == 1 && shared.words[3] == 4);
    EXPECT(shared.badge == 0); // the sender's capability is unbadged
    return true;
}
bool send_recv() { return send_to_waiting_receiver(Syscall::Send); }
bool try_send_to_waiting_receiver() { return send_to_waiting_receiver(Syscall::TrySend); }

bool recv_blocks_until_send() {
    const uint64_t ep = make(ObjectType::Endpoint);
    Thread t = thread_with(sender, 7, ep, rights::kWrite, 0x55);
    EXPECT(t.ok && start_thread(t) == Error::None);
    const SyscallResult m = syscall(Syscall::Recv, ep);
    EXPECT_OK(m.error);
    EXPECT(m.tag.label() == 7 && m.words[0] == 11 && m.words[1] == 22);
    EXPECT(m.badge == 0x55);
    EXPECT(wait_done());
    EXPECT(shared.error == 0);
    return true;
}

bool sender_blocks_until_received() {
    const uint64_t ep = make(ObjectType::Endpoint);
    Thread t = thread_with(sender, 3, ep, rights::kWrite);
    EXPECT(t.ok && start_thread(t) == Error::None);
    EXPECT(wait_state(t.spawned.task, TaskState::BlockedSend));
    EXPECT(shared.done == 0);
    const SyscallResult m = syscall(Syscall::TryRecv, ep);
    EXPECT_OK(m.error);
    EXPECT(m.tag.label() == 3);
    EXPECT(wait_done());
    return true;
}

Thread start_server(uint64_t ep, uint64_t calls) {
    const uint64_t reply = make(ObjectType::Reply);
    Thread t = thread_with(server, calls, ep, rights::kAll);
    if (t.ok && give_thread(t, kReplySlot, reply) != Error::None) t.ok = false;
    shared.ipc[0] = reinterpret_cast<IpcBuffer*>(t.spawned.ipc_buffer);
    if (t.ok && start_thread(t) != Error::None) t.ok = false;
    return t;
}

bool call_reply() {
    const uint64_t ep = make(ObjectType::Endpoint);
    EXPECT(start_server(ep, 1).ok);
    const SyscallResult m = syscall(Syscall::Call, ep, MessageTag::make(9, 1, 0), 41);
    EXPECT_OK(m.error);
    EXPECT(m.words[0] == 42);
    return true;
}

bool reply_recv_loop() {
    const uint64_t ep = make(ObjectType::Endpoint);
    EXPECT(start_server(ep, 5).ok);
    for (uint64_t i = 0; i < 5; ++i) {
        const SyscallResult m = syscall(Syscall::Call, ep, MessageTag::make(9, 1, 0), i * 10);
        EXPECT_OK(m.error);
        EXPECT(m.words[0] == i * 10 + 1);
    }
    EXPECT(shared.done == 5);
    return true;
}

template <size_t n>
bool message_size() {
    const uint64_t ep = make(ObjectType::Endpoint);
    EXPECT(start_server(ep, 1).ok);
    uint64_t words[kMaxMessageWords + 1] = {};
    for (size_t i = 0; i < n; ++i) words[i] = 1000 + i;
    for (size_t i = 4; i < n; ++i) runtime.ipc_buffer->words[i] = words[i];
    const SyscallResult m =
        syscall(Syscall::Call, ep, MessageTag::make(5, n, 0), words[0], words[1], words[2], words[3]);
    EXPECT_OK(m.error);
    EXPECT(shared.count == n);
    EXPECT(m.tag.words() == n);
    for (size_t i = 0; i < n; ++i) {
        const uint64_t got = i < 4 ? m.words[i] : runtime.ipc_buffer->words[i];
        EXPECT(got == 1000 + (n - 1 - i) + 1);
    }
    return true;
}

bool message_too_big() {
    const uint64_t ep = make(ObjectType::Endpoint);
    EXPECT_ERROR(syscall(Syscall::TrySend, ep, MessageTag::make(1, kMaxMessageWords + 1, 0)).error,
                 Error::InvalidArgument);
    EXPECT_ERROR(syscall(Syscall::TrySend, ep, MessageTag::make(1, 0, kMaxMessageCaps + 1)).error,
                 Error::InvalidArgument);
    EXPECT_ERROR(syscall(Syscall::TrySend, ep, MessageTag{0xf000}).error, Error::InvalidArgument); // reserved bits
    return true;
}

void signal_received(uint64_t) {
    IpcBuffer* ipc = shared.ipc[0];
    ipc->receive_slots[0] = kAnySlot;
    const SyscallResult m = syscall(Syscall::Recv, kEp);
    shared.caps = m.tag.caps();
    if (m.tag.caps() == 1) shared.error = uint64_t(syscall(Syscall::Signal, ipc->caps[0]).error);
    shared.done = 1;
    thread_exit();
}

bool capability_to_server() {
    const uint64_t ep = make(ObjectType::Endpoint);
    const uint64_t notification = make(ObjectType::Notification);
    Thread t = thread_with(signal_received, 0, ep);
    EXPECT(t.ok);
    shared.ipc[0] = reinterpret_cast<IpcBuffer*>(t.spawned.ipc_buffer);
    EXPECT_OK(start_thread(t));
    EXPECT(wait_state(t.spawned.task, TaskState::BlockedReceive));
    runtime.ipc_buffer->caps[0] = notification;
    EXPECT_OK(syscall(Syscall::Send, ep, MessageTag::make(1, 0, 1)).error);
    EXPECT(wait_done());
    EXPECT(shared.caps == 1 && shared.error == 0);
    const SyscallResult bits = syscall(Syscall::Wait, notification);
    EXPECT(bits.extra == 1);
    return true;
}

void reply_with_capability(uint64_t) {
    IpcBuffer* ipc = shared.ipc[0];
    const SyscallResult m = syscall(Syscall::Recv, kEp, {}, 0, 0, 0, 0, kReplySlot);
    (void)m;
    ipc->caps[0] = kOther;
    shared.error = uint64_t(syscall(Syscall::Reply, 0, MessageTag::make(0, 1, 1), 5, 0, 0, 0, kReplySlot).error);
    shared.done = 1;
    thread_exit();
}

bool capability_to_client() {
    const uint64_t ep = make(ObjectType::Endpoint);
    const uint64_t page = make(ObjectType::Page, 1);
    const uint64_t reply = make(ObjectType::Reply);
    Thread t = thread_with(reply_with_capability, 0, ep, rights::kAll, 0, page);
    EXPECT(t.ok && give_thread(t, kReplySlot, reply) == Error::None);
    shared.ipc[0] = reinterpret_cast<IpcBuffer*>(t.spawned.ipc_buffer);
    EXPECT_OK(start_thread(t));
    runtime.ipc_buffer->receive_slots[0] = kAnySlot;
    const SyscallResult m = syscall(Syscall::Call, ep, MessageTag::make(1, 0, 0));
    EXPECT_OK(m.error);
    EXPECT(m.tag.caps() == 1);
    uint64_t type = 0;
    EXPECT_OK(cap_info(runtime.ipc_buffer->caps[0], &type));
    EXPECT(type == uint64_t(ObjectType::Page));
    EXPECT(wait_done() && shared.error == 0);
    return true;
}

bool transfer_needs_grant() {
    const uint64_t ep = make(ObjectType::Endpoint);
    uint64_t no_grant = 0;
    EXPECT_OK(copy_cap(ep, rights::kRead | rights::kWrite, 0, &no_grant));
    runtime.ipc_buffer->caps[0] = ep;
    EXPECT_ERROR(syscall(Syscall::TrySend, no_grant, MessageTag::make(1, 0, 1)).error, Error::MissingRights);
    return true;
}

bool receive_slot_occupied() {
    const uint64_t notification = make(ObjectType::Notification);
    // All or nothing: the receiver names an occupied slot, so no capability
    // moves, but the words arrive.
    runtime.ipc_buffer->receive_slots[0] = slot::kConsole;
    const uint64_t other_ep = make(ObjectType::Endpoint);
    Thread cap_sender = make_thread(
        [](uint64_t) {
            IpcBuffer* ipc = shared.ipc[1];
            ipc->caps[0] = kOther;
            shared.error = uint64_t(syscall(Syscall::Send, kEp, MessageTag::make(3, 1, 1), 77).error);
            shared.done = 1;
            thread_exit();
        },
        0);
    EXPECT(cap_sender.ok);
    EXPECT_OK(give_thread(cap_sender, kEp, other_ep));
    EXPECT_OK(give_thread(cap_sender, kOther, notification));
    shared.ipc[1] = reinterpret_cast<IpcBuffer*>(cap_sender.spawned.ipc_buffer);
    EXPECT_OK(start_thread(cap_sender));
    const SyscallResult m = syscall(Syscall::Recv, other_ep);
    EXPECT_OK(m.error);
    EXPECT(m.tag.caps() == 0);
    EXPECT(m.words[0] == 77);
    runtime.ipc_buffer->receive_slots[0] = kAnySlot;
    return true;
}

bool badge_demultiplexing() {
    const uint64_t ep = make(ObjectType::Endpoint);
    for (uint64_t i = 1; i <= 3; ++i) {
        Thread t = thread_with(sender, i, ep, rights::kWrite, i * 10);
        EXPECT(t.ok && start_thread(t) == Error::None);
    }
    uint64_t seen = 0;
    for (int i = 0; i < 3; ++i) {
        const SyscallResult m = syscall(Syscall::Recv, ep);
        EXPECT_OK(m.error);
        EXPECT(m.badge == m.tag.label() * 10);
        seen |= uint64_t{1} << m.tag.label();
    }
    EXPECT(seen == 0b1110);
    return true;
}

bool many_clients_one_server() {
    const uint64_t ep = make(ObjectType::Endpoint);
    const uint64_t reply = make(ObjectType::Reply);
    constexpr uint64_t kClients = 8;
    for (uint64_t i = 1; i <= kClients; ++i) { // argument 0 would mean "the IPC buffer address"
        Thread t = thread_with(caller, i, ep, rights::kWrite, 100 + i);
        EXPECT(t.ok && start_thread(t) == Error::None);
    }
    SyscallResult m = syscall(Syscall::Recv, ep, {}, 0, 0, 0, 0, reply);
    for (uint64_t served = 0;;) {
        EXPECT_OK(m.error);
        EXPECT(m.badge == 100 + m.words[0]);
        if (++served == kClients) {
            EXPECT_OK(syscall(Syscall::Reply, 0, MessageTag::make(0, 1, 0), m.words[0] * 2, 0, 0, 0, reply).error);
            break;
        }
        m = syscall(Syscall::ReplyRecv, ep, MessageTag::make(0, 1, 0), m.words[0] * 2, 0, 0, 0, reply);
    }
    EXPECT(wait_done(kClients));
    for (uint64_t i = 1; i <= kClients; ++i) EXPECT(shared.results[i] == i * 2);
    return true;
}

bool server_gone_reply_destroyed() {
    const uint64_t ep = make(ObjectType::Endpoint);
    const uint64_t reply = make(ObjectType::Reply);
    Thread t = thread_with(caller, 1, ep, rights::kWrite);
    EXPECT(t.ok && start_thread(t) == Error::None);
    const SyscallResult m = syscall(Syscall::Recv, ep, {}, 0, 0, 0, 0, reply);
    EXPECT_OK(m.error);
    EXPECT(task_state(t.spawned.task) == uint64_t(TaskState::BlockedReply));
    EXPECT_OK(delete_cap(reply)); // the server drops the call
    EXPECT(wait_done());
    EXPECT(shared.error == uint64_t(Error::PeerGone));
    return true;
}

bool reply_info_caller_gone() {
    // Reply.Info: 1 while the bound caller waits, 0 once it was suspended
    // (what a server holding a read checks before answering busy).
    const uint64_t ep = make(ObjectType::Endpoint);
    const uint64_t reply = make(ObjectType::Reply);
    EXPECT(invoke(reply, ReplyLabel::Info).words[0] == 0);
    Thread t = thread_with(caller, 1, ep, rights::kWrite);
    EXPECT(t.ok && start_thread(t) == Error::None);
    const SyscallResult m = syscall(Syscall::Recv, ep, {}, 0, 0, 0, 0, reply);
    EXPECT_OK(m.error);
    const InvokeResult waiting = invoke(reply, ReplyLabel::Info);
    EXPECT_OK(waiting.error);
    EXPECT(waiting.words[0] == 1);
    EXPECT_OK(invoke(t.spawned.task, TaskLabel::Suspend).error);
    EXPECT(invoke(reply, ReplyLabel::Info).words[0] == 0);
    EXPECT_ERROR(syscall(Syscall::Reply, 0, MessageTag::make(0, 1, 0), 5, 0, 0, 0, reply).error,
                 Error::InvalidArgument); // nobody to answer
    return true;
}

bool endpoint_destroyed_while_sending() {
    const uint64_t ep = make(ObjectType::Endpoint);
    Thread t = thread_with(caller, 1, ep, rights::kWrite);
    EXPECT(t.ok && start_thread(t) == Error::None);
    EXPECT(wait_state(t.spawned.task, TaskState::BlockedSend));
    EXPECT_OK(invoke(t.spawned.cspace, CapabilitySpaceLabel::Delete, kEp).error);
    EXPECT_OK(delete_cap(ep));
    EXPECT(wait_done());
    EXPECT(shared.error == uint64_t(Error::PeerGone));
    return true;
}

bool server_task_dies() {
    // The server thread received the call, then is suspended and its reply
    // object dropped with its cspace: the client gets PeerGone.
    const uint64_t ep = make(ObjectType::Endpoint);
    const uint64_t reply = make(ObjectType::Reply);
    Thread server_thread = thread_with(
        [](uint64_t) {
            syscall(Syscall::Recv, kEp, {}, 0, 0, 0, 0, kReplySlot);
            for (;;) syscall(Syscall::Yield, 0);
        },
        0, ep);
    EXPECT(server_thread.ok && give_thread(server_thread, kReplySlot, reply) == Error::None);
    EXPECT_OK(delete_cap(reply));
    EXPECT_OK(start_thread(server_thread));
    Thread client = thread_with(caller, 2, ep, rights::kWrite);
    EXPECT(client.ok && start_thread(client) == Error::None);
    EXPECT(wait_state(client.spawned.task, TaskState::BlockedReply));
    EXPECT_OK(invoke(server_thread.spawned.task, TaskLabel::Suspend).error);
    EXPECT_OK(invoke(server_thread.spawned.cspace, CapabilitySpaceLabel::Delete, kReplySlot).error);
    EXPECT(wait_done());
    EXPECT(shared.error == uint64_t(Error::PeerGone));
    return true;
}

bool receiver_without_reply_object() {
    const uint64_t ep = make(ObjectType::Endpoint);
    Thread t = thread_with(caller, 1, ep, rights::kWrite);
    EXPECT(t.ok && start_thread(t) == Error::None);
    const SyscallResult m = syscall(Syscall::Recv, ep, {}, 0, 0, 0, 0, kNoSlot);
    EXPECT_OK(m.error);
    EXPECT(wait_done());
    EXPECT(shared.error == uint64_t(Error::PeerGone));
    return true;
}

bool endpoint_rights() {
    const uint64_t ep = make(ObjectType::Endpoint);
    uint64_t read_only = 0, write_only = 0;
    EXPECT_OK(copy_cap(ep, rights::kRead, 0, &read_only));
    EXPECT_OK(copy_cap(ep, rights::kWrite, 0, &write_only));
    EXPECT_ERROR(syscall(Syscall::TrySend, read_only).error, Error::MissingRights);
    EXPECT_ERROR(syscall(Syscall::Call, read_only).error, Error::MissingRights);
    EXPECT_ERROR(syscall(Syscall::TryRecv, write_only).error, Error::MissingRights);
    EXPECT_ERROR(syscall(Syscall::Recv, write_only).error, Error::MissingRights);
    return true;
}

bool reply_errors() {
    const uint64_t ep = make(ObjectType::Endpoint);
    const uint64_t reply = make(ObjectType::Reply);
    EXPECT_ERROR(syscall(Syscall::Reply, 0, {}, 0, 0, 0, 0, reply).error, Error::InvalidArgument); // not bound
    EXPECT_ERROR(syscall(Syscall::Reply, 0, {}, 0, 0, 0, 0, ep).error, Error::WrongType);
    EXPECT_ERROR(syscall(Syscall::Reply, 0, {}, 0, 0, 0, 0, 999).error, Error::InvalidCapability);
    EXPECT_ERROR(syscall(Syscall::TryRecv, ep, {}, 0, 0, 0, 0, ep).error, Error::WrongType);
    return true;
}

bool recv_with_bound_reply_busy() {
    const uint64_t ep = make(ObjectType::Endpoint);
    const uint64_t reply = make(ObjectType::Reply);
    Thread t = thread_with(caller, 1, ep, rights::kWrite);
    EXPECT(t.ok && start_thread(t) == Error::None);
    EXPECT_OK(syscall(Syscall::Recv, ep, {}, 0, 0, 0, 0, reply).error);
    EXPECT_ERROR(syscall(Syscall::TryRecv, ep, {}, 0, 0, 0, 0, reply).error, Error::Busy);
    EXPECT_OK(syscall(Syscall::Reply, 0, MessageTag::make(0, 1, 0), 3, 0, 0, 0, reply).error);
    EXPECT(wait_done() && shared.results[1] == 3);
    return true;
}

bool wrong_object_for_ipc() {
    const uint64_t notification = make(ObjectType::Notification);
    EXPECT_ERROR(syscall(Syscall::TrySend, notification).error, Error::WrongType);
    EXPECT_ERROR(syscall(Syscall::TryRecv, notification).error, Error::WrongType);
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_ERROR(syscall(Syscall::Send, page).error, Error::WrongType);
    return true;
}

bool ordering_fifo() {
    const uint64_t ep = make(ObjectType::Endpoint);
    for (uint64_t i = 1; i <= 4; ++i) {
        Thread t = thread_with(sender, i, ep, rights::kWrite);
        EXPECT(t.ok && start_thread(t) == Error::None);
        EXPECT(wait_state(t.spawned.task, TaskState::BlockedSend));
    }
    for (uint64_t i = 1; i <= 4; ++i) {
        const SyscallResult m = syscall(Syscall::Recv, ep);
        EXPECT(m.tag.label() == i);
    }
    return true;
}

} // namespace

extern const Test kEndpointTests[] = {
    {"endpoint.try_send_no_receiver", try_send_no_receiver},
    {"endpoint.try_recv_no_sender", try_recv_no_sender},
    {"endpoint.send_recv", send_recv},
    {"endpoint.try_send_to_waiting_receiver", try_send_to_waiting_receiver},
    {"endpoint.recv_blocks_until_send", recv_blocks_until_send},
    {"endpoint.sender_blocks_until_received", sender_blocks_until_received},
    {"endpoint.call_reply", call_reply},
    {"endpoint.reply_recv_loop", reply_recv_loop},
    {"endpoint.message_words_0", message_size<0>},
    {"endpoint.message_words_1", message_size<1>},
    {"endpoint.message_words_3", message_size<3>},
    {"endpoint.message_words_4", message_size<4>},
    {"endpoint.message_words_5", message_size<5>},
    {"endpoint.message_words_8", message_size<8>},
    {"endpoint.message_words_16", message_size<16>},
    {"endpoint.message_words_31", message_size<31>},
    {"endpoint.message_words_32", message_size<32>},
    {"endpoint.message_too_big", message_too_big},
    {"endpoint.capability_to_server", capability_to_server},
    {"endpoint.capability_to_client", capability_to_client},
    {"endpoint.transfer_needs_grant", transfer_needs_grant},
    {"endpoint.receive_slot_occupied", receive_slot_occupied},
    {"endpoint.badge_demultiplexing", badge_demultiplexing},
    {"endpoint.many_clients_one_server", many_clients_one_server},
    {"endpoint.server_gone_reply_destroyed", server_gone_reply_destroyed},
    {"endpoint.reply_info_caller_gone", reply_info_caller_gone},
    {"endpoint.endpoint_destroyed_while_sending", endpoint_destroyed_while_sending},
    {"endpoint.server_task_dies", server_task_dies},
    {"endpoint.receiver_without_reply_object", receiver_without_reply_object},
    {"endpoint.rights", endpoint_rights},
    {"endpoint.reply_errors", reply_errors},
    {"endpoint.recv_with_bound_reply_busy", recv_with_bound_reply_busy},
    {"endpoint.wrong_object_for_ipc", wrong_object_for_ipc},
    {"endpoint.fifo_order", ordering_fifo},
};
extern const size_t kEndpointTestCount = sizeof(kEndpointTests) / sizeof(kEndpointTests[0]);

} // namespace suite
