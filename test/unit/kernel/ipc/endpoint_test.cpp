#include "kernel_fixture.hpp"

using namespace vesta;
using namespace vesta::test;

namespace {

struct Pair {
    KernelFixture f;
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    uint64_t reply = f.create(ObjectType::Reply);
    Spawned server = f.spawn(100);
    Spawned client = f.spawn(100);
    Task& s = *server.task;
    Task& c = *client.task;
    // The root task steps back so that the tasks under test keep running.
    Error lowered = f.invoke(f.root_task, root_slot::kTask, TaskLabel::SetPriority, {1}).error;
};

} // namespace

TEST_CASE("send to a waiting receiver delivers words and badge", "[ipc][endpoint]") {
    Pair p;
    KernelFixture& f = p.f;
    f.switch_to(f.root_task);
    uint64_t badged = f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                               {kAnySlot, p.endpoint, rights::kWrite, 0xbad})
                          .words[0];
    f.switch_to(p.s);
    f.ipc(p.s, Syscall::Recv, p.endpoint);
    CHECK(p.s.state == TaskState::BlockedReceive);
    CHECK(f.cpu.current != &p.s);
    f.switch_to(p.c);
    CHECK(f.ipc(p.c, Syscall::Send, badged, 9, {1, 2, 3}) == Error::None);
    CHECK(p.s.state == TaskState::Ready);
    CHECK(KernelFixture::status(p.s) == Error::None);
    CHECK(KernelFixture::tag(p.s).label() == 9);
    CHECK(KernelFixture::tag(p.s).words() == 3);
    CHECK(KernelFixture::word(p.s, 0) == 1);
    CHECK(KernelFixture::word(p.s, 2) == 3);
    CHECK(KernelFixture::badge(p.s) == 0xbad);
}

TEST_CASE("a sender blocks until a receiver arrives", "[ipc][endpoint]") {
    Pair p;
    KernelFixture& f = p.f;
    f.switch_to(p.c);
    f.ipc(p.c, Syscall::Send, p.endpoint, 4, {10, 20, 30, 40, 50, 60}); // two words via the IPC buffer
    CHECK(p.c.state == TaskState::BlockedSend);
    f.switch_to(p.s);
    CHECK(f.ipc(p.s, Syscall::Recv, p.endpoint) == Error::None);
    CHECK(p.s.state == TaskState::Running);
    CHECK(KernelFixture::tag(p.s).words() == 6);
    CHECK(KernelFixture::word(p.s, 3) == 40);
    CHECK(p.server.buffer->words[5] == 60);
    CHECK(p.c.state == TaskState::Ready);
    CHECK(KernelFixture::status(p.c) == Error::None);
}

TEST_CASE("non-blocking send and receive", "[ipc][endpoint]") {
    Pair p;
    KernelFixture& f = p.f;
    f.switch_to(p.c);
    CHECK(f.ipc(p.c, Syscall::TrySend, p.endpoint, 1) == Error::WouldBlock);
    CHECK(p.c.state == TaskState::Running);
    CHECK(f.ipc(p.c, Syscall::TryRecv, p.endpoint) == Error::WouldBlock);
    f.switch_to(p.s);
    f.ipc(p.s, Syscall::Recv, p.endpoint);
    f.switch_to(p.c);
    CHECK(f.ipc(p.c, Syscall::TrySend, p.endpoint, 1, {5}) == Error::None);
    CHECK(KernelFixture::word(p.s, 0) == 5);
    f.switch_to(p.c);
    f.ipc(p.c, Syscall::Send, p.endpoint, 2, {6});
    f.switch_to(p.s);
    CHECK(f.ipc(p.s, Syscall::TryRecv, p.endpoint) == Error::None);
    CHECK(KernelFixture::word(p.s, 0) == 6);
}

TEST_CASE("call, reply and reply-recv through a reply object", "[ipc][endpoint]") {
    Pair p;
    KernelFixture& f = p.f;
    f.switch_to(p.s);
    f.ipc(p.s, Syscall::Recv, p.endpoint, 0, {}, p.reply);
    CHECK(p.s.reply == &f.object<Reply>(p.reply));
    f.switch_to(p.c);
    f.ipc(p.c, Syscall::Call, p.endpoint, 7, {100});
    CHECK(p.c.state == TaskState::BlockedReply);
    CHECK(f.object<Reply>(p.reply).caller == &p.c);
    CHECK(p.s.runnable());
    CHECK(KernelFixture::word(p.s, 0) == 100);

    f.switch_to(p.s);
    // A bound reply object cannot be offered again.
    CHECK(f.ipc(p.s, Syscall::Recv, p.endpoint, 0, {}, p.reply) == Error::Busy);
    CHECK(f.ipc(p.s, Syscall::Reply, 0, 0, {101}, p.reply) == Error::None);
    CHECK(p.c.state == TaskState::Ready);
    CHECK(KernelFixture::word(p.c, 0) == 101);
    CHECK(KernelFixture::tag(p.c).label() == 0);
    CHECK(f.object<Reply>(p.reply).caller == nullptr);
    CHECK(f.ipc(p.s, Syscall::Reply, 0, 0, {}, p.reply) == Error::InvalidArgument); // nothing to answer

    // The client calls again while the server is busy; ReplyRecv with an
    // unbound reply object just receives, and finds the queued call.
    f.switch_to(p.c);
    f.ipc(p.c, Syscall::Call, p.endpoint, 8, {200});
    CHECK(p.c.state == TaskState::BlockedSend);
    f.switch_to(p.s);
    CHECK(f.ipc(p.s, Syscall::ReplyRecv, p.endpoint, 0, {}, p.reply) == Error::None);
    CHECK(KernelFixture::word(p.s, 0) == 200);
    CHECK(p.c.state == TaskState::BlockedReply);
    f.ipc(p.s, Syscall::ReplyRecv, p.endpoint, 0, {201}, p.reply);
    CHECK(p.s.state == TaskState::BlockedReceive);
    CHECK(p.c.runnable());
    CHECK(KernelFixture::status(p.c) == Error::None);
    CHECK(KernelFixture::word(p.c, 0) == 201);
}

TEST_CASE("Reply.Info says whether the bound caller still waits", "[ipc][reply]") {
    Pair p;
    KernelFixture& f = p.f;
    auto info = [&] {
        const auto result = f.invoke(f.root_task, p.reply, ReplyLabel::Info);
        REQUIRE(result.error == Error::None);
        return result.words[0];
    };
    CHECK(info() == 0); // nothing bound
    f.switch_to(p.s);
    f.ipc(p.s, Syscall::Recv, p.endpoint, 0, {}, p.reply);
    CHECK(info() == 0); // offered in a receive: still no caller
    f.switch_to(p.c);
    f.ipc(p.c, Syscall::Call, p.endpoint, 7, {100});
    REQUIRE(p.c.state == TaskState::BlockedReply);
    CHECK(info() == 1);
    // The caller is suspended while it waits (a shell killed while its read
    // was held): unbound, and the answer finds nobody.
    REQUIRE(f.invoke(f.root_task, p.client.task_slot, TaskLabel::Suspend).error == Error::None);
    CHECK(info() == 0);
    f.switch_to(p.s);
    CHECK(f.ipc(p.s, Syscall::Reply, 0, 0, {101}, p.reply) == Error::InvalidArgument);
    // Answered normally, the binding goes too.
    REQUIRE(f.invoke(f.root_task, p.client.task_slot, TaskLabel::Resume).error == Error::None);
    f.ipc(p.s, Syscall::Recv, p.endpoint, 0, {}, p.reply);
    f.switch_to(p.c);
    f.ipc(p.c, Syscall::Call, p.endpoint, 7, {100});
    CHECK(info() == 1);
    f.switch_to(p.s);
    CHECK(f.ipc(p.s, Syscall::Reply, 0, 0, {101}, p.reply) == Error::None);
    CHECK(info() == 0);
    // Other labels are not operations of a Reply.
    CHECK(f.invoke(f.root_task, p.reply, ReplyLabel{2}).error == Error::NotSupported);
}

TEST_CASE("a call received without a reply object fails with PeerGone", "[ipc][endpoint]") {
    Pair p;
    KernelFixture& f = p.f;
    f.switch_to(p.s);
    f.ipc(p.s, Syscall::Recv, p.endpoint);
    f.switch_to(p.c);
    CHECK(f.ipc(p.c, Syscall::Call, p.endpoint, 1) == Error::PeerGone);
    CHECK(p.c.state == TaskState::Running);
    // The other order: the caller waits, the receiver offers no reply object.
    f.ipc(p.c, Syscall::Call, p.endpoint, 1);
    CHECK(p.c.state == TaskState::BlockedSend);
    f.switch_to(p.s);
    f.ipc(p.s, Syscall::Recv, p.endpoint);
    CHECK(p.c.state == TaskState::Ready);
    CHECK(KernelFixture::status(p.c) == Error::PeerGone);
}

TEST_CASE("IPC syscalls check their arguments first", "[ipc][endpoint]") {
    Pair p;
    KernelFixture& f = p.f;
    Task& root = f.root_task;
    f.switch_to(root);
    uint64_t notification = f.create(ObjectType::Notification);
    uint64_t send_only = f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                                  {kAnySlot, p.endpoint, rights::kWrite, 0})
                             .words[0];
    uint64_t receive_only = f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                                     {kAnySlot, p.endpoint, rights::kRead, 0})
                                .words[0];
    f.switch_to(p.c);
    CHECK(f.ipc(p.c, Syscall::Send, 999) == Error::InvalidCapability);
    CHECK(f.ipc(p.c, Syscall::Send, notification) == Error::WrongType);
    CHECK(f.ipc(p.c, Syscall::Send, receive_only) == Error::MissingRights);
    CHECK(f.ipc(p.c, Syscall::Call, receive_only) == Error::MissingRights);
    CHECK(f.ipc(p.c, Syscall::Recv, send_only) == Error::MissingRights);
    CHECK(f.ipc(p.c, Syscall::Recv, p.endpoint, 0, {}, notification) == Error::WrongType);
    CHECK(f.ipc(p.c, Syscall::ReplyRecv, p.endpoint, 0, {}, notification) == Error::WrongType);
    CHECK(f.ipc(p.c, Syscall::ReplyRecv, send_only, 0, {}, p.reply) == Error::MissingRights);
    CHECK(f.ipc(p.c, Syscall::Reply, 0, 0, {}, kNoSlot) == Error::InvalidCapability);
    p.client.buffer->caps[0] = 999;
    CHECK(f.ipc(p.c, Syscall::Send, p.endpoint, 1, {}, kNoSlot, 1) == Error::InvalidCapability);
    p.c.context.set_argument(reg::kTag, MessageTag::make(1, 33, 0).raw);
    CHECK(f.syscall(p.c, Syscall::Send, {p.endpoint, MessageTag::make(1, 33, 0).raw}) == Error::InvalidArgument);
    CHECK(f.syscall(p.c, Syscall::Send, {p.endpoint, MessageTag::make(1, 0, 5).raw}) == Error::InvalidArgument);
    CHECK(p.c.state == TaskState::Running);
    // Without an IPC buffer, long messages and capabilities are refused.
    f.switch_to(root);
    REQUIRE(f.invoke(root, p.client.task_slot, TaskLabel::SetIpcBuffer, {kNoSlot, 0}).error == Error::None);
    f.switch_to(p.c);
    CHECK(f.ipc(p.c, Syscall::Send, p.endpoint, 1, {1, 2, 3, 4, 5}) == Error::InvalidArgument);
    CHECK(f.ipc(p.c, Syscall::Send, p.endpoint, 1, {}, kNoSlot, 1) == Error::InvalidArgument);
    // A task without a cspace has no capabilities at all.
    CHECK(f.cpu.current == &p.c);
}

TEST_CASE("long messages to a receiver without an IPC buffer are cut to the registers", "[ipc][endpoint]") {
    Pair p;
    KernelFixture& f = p.f;
    f.switch_to(f.root_task);
    REQUIRE(f.invoke(f.root_task, p.server.task_slot, TaskLabel::SetIpcBuffer, {kNoSlot, 0}).error == Error::None);
    f.switch_to(p.s);
    f.ipc(p.s, Syscall::Recv, p.endpoint);
    f.switch_to(p.c);
    f.ipc(p.c, Syscall::Send, p.endpoint, 3, {1, 2, 3, 4, 5, 6});
    CHECK(KernelFixture::tag(p.s).words() == 4);
    CHECK(KernelFixture::word(p.s, 3) == 4);
}

TEST_CASE("capabilities travel into named or kernel-chosen slots", "[ipc][endpoint][transfer]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    uint64_t notification = f.create(ObjectType::Notification);
    uint64_t page = f.create(ObjectType::Page, 1);
    Spawned sender = f.spawn(100, 16);
    Spawned receiver = f.spawn(100, 16);
    uint64_t sender_endpoint = f.give(sender, endpoint);
    uint64_t receiver_endpoint = f.give(receiver, endpoint);
    uint64_t gift_a = f.give(sender, notification, rights::kWrite, 0x4);
    uint64_t gift_b = f.give(sender, page, rights::kRead);
    Task& s = *sender.task;
    Task& r = *receiver.task;
    REQUIRE(f.invoke(root, root_slot::kTask, TaskLabel::SetPriority, {1}).error == Error::None);

    receiver.buffer->receive_slots[0] = 9;
    receiver.buffer->receive_slots[1] = kAnySlot;
    f.switch_to(r);
    f.ipc(r, Syscall::Recv, receiver_endpoint);
    sender.buffer->caps[0] = gift_a;
    sender.buffer->caps[1] = gift_b;
    f.switch_to(s);
    REQUIRE(f.ipc(s, Syscall::Send, sender_endpoint, 5, {}, kNoSlot, 2) == Error::None);
    CHECK(KernelFixture::tag(r).caps() == 2);
    CHECK(receiver.buffer->caps[0] == 9);
    Capability& a = *receiver.cspace->slot(9).value();
    CHECK(a.type() == ObjectType::Notification);
    CHECK(a.badge == 0x4);
    CHECK(a.rights == rights::kWrite);
    Capability& b = *receiver.cspace->slot(receiver.buffer->caps[1]).value();
    CHECK(b.type() == ObjectType::Page);
    CHECK(b.rights == rights::kRead);
    CHECK(s.cspace->slot(gift_a).value()->type() == ObjectType::Notification); // copied, not moved

    SECTION("an occupied named slot: nothing is transferred, the words still are") {
        f.switch_to(r);
        f.ipc(r, Syscall::Recv, receiver_endpoint);
        f.switch_to(s);
        REQUIRE(f.ipc(s, Syscall::Send, sender_endpoint, 6, {1}, kNoSlot, 2) == Error::None);
        CHECK(KernelFixture::tag(r).caps() == 0);
        CHECK(KernelFixture::word(r, 0) == 1);
    }
    SECTION("the same named slot twice") {
        receiver.buffer->receive_slots[0] = 10;
        receiver.buffer->receive_slots[1] = 10;
        f.switch_to(r);
        f.ipc(r, Syscall::Recv, receiver_endpoint);
        f.switch_to(s);
        f.ipc(s, Syscall::Send, sender_endpoint, 6, {}, kNoSlot, 2);
        CHECK(KernelFixture::tag(r).caps() == 0);
    }
    SECTION("a source slot emptied while the sender waited") {
        receiver.buffer->receive_slots[0] = 10;
        f.switch_to(s);
        f.ipc(s, Syscall::Send, sender_endpoint, 6, {}, kNoSlot, 1);
        CHECK(s.state == TaskState::BlockedSend);
        s.cspace->remove(f.cpu, static_cast<uint32_t>(gift_a));
        f.switch_to(r);
        f.ipc(r, Syscall::Recv, receiver_endpoint);
        CHECK(KernelFixture::tag(r).caps() == 0);
    }
    SECTION("not enough free slots for kernel-chosen placement") {
        receiver.buffer->receive_slots[0] = kAnySlot;
        receiver.buffer->receive_slots[1] = kAnySlot;
        while (receiver.cspace->free_count() > 1)
            receiver.cspace->install(receiver.cspace->find_free(kAnySlot).value(), f.object<Endpoint>(endpoint), 0, 0);
        f.switch_to(r);
        f.ipc(r, Syscall::Recv, receiver_endpoint);
        f.switch_to(s);
        f.ipc(s, Syscall::Send, sender_endpoint, 6, {}, kNoSlot, 2);
        CHECK(KernelFixture::tag(r).caps() == 0);
    }
    SECTION("the sender needs Grant, and every slot it names must hold a capability") {
        f.switch_to(root);
        uint64_t no_grant = f.give(sender, endpoint, rights::kWrite);
        f.switch_to(s);
        CHECK(f.ipc(s, Syscall::Send, no_grant, 6, {}, kNoSlot, 1) == Error::MissingRights);
        sender.buffer->caps[0] = 15;
        CHECK(f.ipc(s, Syscall::Send, sender_endpoint, 6, {}, kNoSlot, 1) == Error::InvalidCapability);
        CHECK(f.ipc(s, Syscall::Call, sender_endpoint, 6, {}, kNoSlot, 1) == Error::InvalidCapability);
    }
    (void)root;
}

TEST_CASE("a reply object is offered by one receive at a time", "[ipc][reply]") {
    KernelFixture f;
    const uint64_t endpoint = f.create(ObjectType::Endpoint);
    const uint64_t reply = f.create(ObjectType::Reply);
    Spawned first = f.spawn(100);
    Spawned second = f.spawn(100);
    f.ipc(*first.task, Syscall::Recv, endpoint, 0, {}, reply);
    CHECK(first.task->state == TaskState::BlockedReceive);
    CHECK(f.ipc(*second.task, Syscall::Recv, endpoint, 0, {}, reply) == Error::Busy);
    CHECK(f.ipc(*second.task, Syscall::ReplyRecv, endpoint, 0, {}, reply) == Error::Busy);
    CHECK(f.object<Reply>(reply).receiver == first.task);
    // Deleting it wakes the receiver that offered it.
    REQUIRE(f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Delete, {reply}).error ==
            Error::None);
    CHECK(first.task->runnable());
    CHECK(KernelFixture::status(*first.task) == Error::PeerGone);
    CHECK(f.object<Endpoint>(endpoint).receivers.empty());
}
