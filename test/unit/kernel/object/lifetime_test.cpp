#include "kernel_fixture.hpp"

#include <object/virtual_space.hpp>

using namespace vesta;
using namespace vesta::test;

namespace {
void remove(KernelFixture& f, uint64_t slot, uint64_t space = root_slot::kCapabilitySpace) {
    REQUIRE(f.invoke(f.root_task, space, CapabilitySpaceLabel::Delete, {slot}).error == Error::None);
}
} // namespace

TEST_CASE("destroying the last capability returns every page to its pool", "[lifetime]") {
    KernelFixture f;
    uint64_t split = f.invoke(f.root_task, root_slot::kMemory, MemoryLabel::Split, {64, kAnySlot}).words[0];
    Memory& memory = f.object<Memory>(split);
    uint64_t initial = memory.free_pages();
    uint64_t parent_free = f.pool->free_pages();

    uint64_t slots[] = {
        f.create(ObjectType::Page, 3, split),         f.create(ObjectType::CapabilitySpace, 100, split),
        f.create(ObjectType::VirtualSpace, 0, split), f.create(ObjectType::Task, 0, split),
        f.create(ObjectType::Endpoint, 0, split),     f.create(ObjectType::Notification, 0, split),
        f.create(ObjectType::Reply, 0, split),
    };
    // Map the page into the new vspace (page tables paid by `split`), copy a capability around.
    REQUIRE(f.invoke(f.root_task, slots[2], VirtualSpaceLabel::Map, {slots[0], 0x1000, rights::kRead}).error ==
            Error::None);
    uint64_t copy = f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                             {kAnySlot, slots[4], rights::kAll, 0})
                        .words[0];
    CHECK(memory.free_pages() < initial);
    size_t owned = 0;
    for (Object* object = memory.objects.front(); object; object = memory.objects.next(*object)) ++owned;
    CHECK(owned == 7);
    CHECK(memory.capability_count == 1);

    for (uint64_t slot : slots) remove(f, slot);
    CHECK(memory.free_pages() < initial); // the endpoint copy keeps it alive
    remove(f, copy);
    CHECK(memory.free_pages() == initial);
    CHECK(memory.objects.empty());
    CHECK(f.kernel.teardown.empty());
    remove(f, split);
    CHECK(f.pool->free_pages() == parent_free + 64); // the whole range went back to the parent
}

TEST_CASE("a vspace dies with its last capability; frames mapped in it forget the mapping", "[lifetime]") {
    KernelFixture f;
    uint64_t free_before = f.pool->free_pages();
    uint64_t space = f.create(ObjectType::VirtualSpace);
    uint64_t page = f.create(ObjectType::Page, 1);
    REQUIRE(
        f.invoke(f.root_task, space, VirtualSpaceLabel::Map, {page, 0x2000, rights::kRead | rights::kWrite}).error ==
        Error::None);
    auto& frame = f.object<Page>(page);
    CHECK(frame.writable_uses == 1);
    remove(f, space); // the mapping does not keep it alive
    CHECK(f.slot(page).mapped_in == nullptr);
    CHECK(frame.writable_uses == 0);
    CHECK(f.invoke(f.root_task, page, FrameLabel::Info).words[2] == 0); // not mapped any more
    remove(f, page);
    CHECK(f.pool->free_pages() == free_before);
}

TEST_CASE("a destroyed task lets go of everything it held", "[lifetime]") {
    KernelFixture f;
    uint64_t free_before = f.pool->free_pages();
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    uint64_t reply = f.create(ObjectType::Reply);
    Spawned server = f.spawn(100, 8);
    uint64_t server_endpoint = f.give(server, endpoint);
    uint64_t server_reply = f.give(server, reply);
    f.ipc(*server.task, Syscall::Recv, server_endpoint, 0, {}, server_reply);
    CHECK(server.task->state == TaskState::BlockedReceive);
    CHECK(f.object<Reply>(reply).receiver == server.task); // a binding, not a reference
    CHECK(f.slot(reply).object->capability_count == 2);

    // Find the root slot of the server's cspace and drop it, the task and its buffer.
    for (uint32_t i = root_slot::kFirstFree; i < f.root.cspace->size(); ++i) {
        Object* object = f.slot(i).object;
        if (object == server.cspace || object == server.task || i == server.buffer_slot) remove(f, i);
    }
    CHECK(f.slot(reply).object->capability_count == 1);
    CHECK(f.object<Reply>(reply).receiver == nullptr);
    CHECK(f.object<Endpoint>(endpoint).receivers.empty());
    remove(f, endpoint);
    remove(f, reply);
    CHECK(f.pool->free_pages() == free_before);
}

TEST_CASE("destroying an endpoint or a bound reply wakes the waiting tasks", "[lifetime][ipc]") {
    KernelFixture f;
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    uint64_t reply = f.create(ObjectType::Reply);
    Spawned server = f.spawn(100);
    Spawned client = f.spawn(100);
    Spawned sender = f.spawn(100);
    f.ipc(*server.task, Syscall::Recv, endpoint, 0, {}, reply);
    f.ipc(*client.task, Syscall::Call, endpoint, 1);
    CHECK(client.task->state == TaskState::BlockedReply);
    remove(f, reply);
    CHECK(KernelFixture::status(*client.task) == Error::PeerGone);
    CHECK(client.task->runnable());

    f.ipc(*sender.task, Syscall::Send, endpoint, 1);
    f.ipc(*server.task, Syscall::Recv, endpoint); // takes the message
    f.ipc(*server.task, Syscall::Recv, endpoint); // blocks
    f.ipc(*sender.task, Syscall::Send, endpoint, 1);
    f.ipc(*client.task, Syscall::Send, endpoint, 1);
    CHECK(client.task->state == TaskState::BlockedSend);
    remove(f, endpoint);
    CHECK(KernelFixture::status(*client.task) == Error::PeerGone);
    CHECK(client.task->runnable());
}

TEST_CASE("suspending tasks in every blocked state detaches them", "[lifetime][task]") {
    KernelFixture f;
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    uint64_t reply = f.create(ObjectType::Reply);
    uint64_t notification = f.create(ObjectType::Notification);
    Spawned receiver = f.spawn(100);
    Spawned sender = f.spawn(100);
    Spawned waiter = f.spawn(100);
    f.ipc(*receiver.task, Syscall::Recv, endpoint, 0, {}, reply);
    f.ipc(*waiter.task, Syscall::Wait, notification);
    for (Spawned* task : {&receiver, &waiter})
        REQUIRE(f.invoke(f.root_task, task->task_slot, TaskLabel::Suspend).error == Error::None);
    CHECK(f.object<Endpoint>(endpoint).receivers.empty());
    CHECK(f.object<Reply>(reply).receiver == nullptr);
    CHECK(f.object<Notification>(notification).waiters.empty());
    f.ipc(*sender.task, Syscall::Send, endpoint, 1);
    REQUIRE(f.invoke(f.root_task, sender.task_slot, TaskLabel::Suspend).error == Error::None);
    CHECK(f.object<Endpoint>(endpoint).senders.empty());
    // A caller waiting for a reply: the reply object forgets it.
    REQUIRE(f.invoke(f.root_task, receiver.task_slot, TaskLabel::Resume).error == Error::None);
    REQUIRE(f.invoke(f.root_task, sender.task_slot, TaskLabel::Resume).error == Error::None);
    f.ipc(*receiver.task, Syscall::Recv, endpoint, 0, {}, reply);
    f.ipc(*sender.task, Syscall::Call, endpoint, 1);
    CHECK(sender.task->state == TaskState::BlockedReply);
    REQUIRE(f.invoke(f.root_task, sender.task_slot, TaskLabel::Suspend).error == Error::None);
    CHECK(f.object<Reply>(reply).caller == nullptr);
}
