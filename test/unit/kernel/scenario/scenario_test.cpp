// End-to-end scenarios: several tasks, each with its own cspace, driven
// through syscalls only (the kernel picks who runs next).
#include "kernel_fixture.hpp"

#include <object/virtual_space.hpp>

using namespace vesta;
using namespace vesta::test;

TEST_CASE("scenario: a client/server call and reply-recv loop", "[scenario]") {
    KernelFixture f;
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    uint64_t reply = f.create(ObjectType::Reply);
    Spawned server = f.spawn(150, 8);
    Spawned client = f.spawn(100, 8);
    uint64_t server_endpoint = f.give(server, endpoint, rights::kRead);
    uint64_t server_reply = f.give(server, reply);
    uint64_t client_endpoint = f.give(client, endpoint, rights::kWrite);
    Task& s = *server.task;
    Task& c = *client.task;
    f.invoke(f.root_task, root_slot::kTask, TaskLabel::Suspend); // the root task steps aside

    CHECK(f.cpu.current == &s);
    f.ipc(s, Syscall::Recv, server_endpoint, 0, {}, server_reply);
    CHECK(f.cpu.current == &c);
    for (uint64_t i = 1; i <= 5; ++i) {
        f.ipc(c, Syscall::Call, client_endpoint, 42, {i, i * 10});
        // The server (higher priority) runs at once with the request.
        REQUIRE(f.cpu.current == &s);
        CHECK(KernelFixture::tag(s).label() == 42);
        CHECK(KernelFixture::word(s, 0) == i);
        uint64_t sum = KernelFixture::word(s, 0) + KernelFixture::word(s, 1);
        f.ipc(s, Syscall::ReplyRecv, server_endpoint, 0, {sum}, server_reply);
        REQUIRE(f.cpu.current == &c);
        CHECK(KernelFixture::status(c) == Error::None);
        CHECK(KernelFixture::word(c, 0) == i * 11);
        CHECK(s.state == TaskState::BlockedReceive);
    }
}

TEST_CASE("scenario: badges tell a server's clients apart", "[scenario]") {
    KernelFixture f;
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    uint64_t reply = f.create(ObjectType::Reply);
    Spawned server = f.spawn(150, 8);
    Spawned clients[3] = {f.spawn(100, 8), f.spawn(100, 8), f.spawn(100, 8)};
    uint64_t server_endpoint = f.give(server, endpoint, rights::kRead);
    uint64_t server_reply = f.give(server, reply);
    uint64_t client_endpoints[3];
    for (uint64_t i = 0; i < 3; ++i) client_endpoints[i] = f.give(clients[i], endpoint, rights::kWrite, 0x100 + i);

    // All three call before the server listens.
    for (uint64_t i = 0; i < 3; ++i) f.ipc(*clients[i].task, Syscall::Call, client_endpoints[i], 1, {i});
    uint64_t seen = 0;
    f.ipc(*server.task, Syscall::Recv, server_endpoint, 0, {}, server_reply);
    for (int round = 0; round < 3; ++round) {
        uint64_t badge = KernelFixture::badge(*server.task);
        REQUIRE(badge >= 0x100);
        REQUIRE(badge < 0x103);
        CHECK(KernelFixture::word(*server.task, 0) == badge - 0x100);
        seen |= uint64_t{1} << (badge - 0x100);
        f.ipc(*server.task, Syscall::ReplyRecv, server_endpoint, 0, {badge}, server_reply);
        CHECK(KernelFixture::word(*clients[badge - 0x100].task, 0) == badge);
    }
    CHECK(seen == 0b111);
    CHECK(server.task->state == TaskState::BlockedReceive);
}

TEST_CASE("scenario: a server hands a client a capability it asked for", "[scenario]") {
    KernelFixture f;
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    uint64_t reply = f.create(ObjectType::Reply);
    uint64_t shared = f.create(ObjectType::Page, 1);
    Spawned server = f.spawn(150, 8);
    Spawned client = f.spawn(100, 8);
    uint64_t server_endpoint = f.give(server, endpoint, rights::kRead);
    uint64_t server_reply = f.give(server, reply);
    uint64_t server_page = f.give(server, shared);
    uint64_t client_endpoint = f.give(client, endpoint, rights::kWrite);

    f.ipc(*server.task, Syscall::Recv, server_endpoint, 0, {}, server_reply);
    client.buffer->receive_slots[0] = kAnySlot;
    f.ipc(*client.task, Syscall::Call, client_endpoint, 3);
    // The reply carries the page, read-only as the server chose.
    server.buffer->caps[0] = server_page;
    f.ipc(*server.task, Syscall::Reply, 0, 0, {}, server_reply, 1);
    CHECK(KernelFixture::tag(*client.task).caps() == 1);
    Capability& received = *client.cspace->slot(client.buffer->caps[0]).value();
    CHECK(received.object == f.slot(shared).object);
    CHECK(received.type() == ObjectType::Page);
}

TEST_CASE("scenario: a supervisor maps the missing page and resumes the faulting task", "[scenario]") {
    KernelFixture f;
    uint64_t fault_endpoint = f.create(ObjectType::Endpoint);
    uint64_t reply = f.create(ObjectType::Reply);
    uint64_t worker_space = f.create(ObjectType::VirtualSpace);
    uint64_t page = f.create(ObjectType::Page, 1);
    uint64_t badged = f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                               {kAnySlot, fault_endpoint, rights::kWrite, 7})
                          .words[0];
    Spawned worker = f.spawn(100, 4);
    // Its own cspace, its own vspace, the badged fault endpoint.
    uint64_t worker_cspace = 0;
    for (uint32_t i = root_slot::kFirstFree; i < f.root.cspace->size(); ++i)
        if (f.slot(i).object == worker.cspace) worker_cspace = i;
    REQUIRE(f.invoke(f.root_task, worker.task_slot, TaskLabel::Configure, {worker_cspace, worker_space, badged, 100})
                .error == Error::None);

    // The supervisor (the root task) waits for faults.
    f.ipc(f.root_task, Syscall::Recv, fault_endpoint, 0, {}, reply);
    CHECK(f.cpu.current == worker.task);
    worker.task->context.set_instruction_pointer(0x40'0010);
    handle_fault(f.cpu, FaultKind::PageFault, 0x7000'0123, rights::kWrite);
    CHECK(worker.task->state == TaskState::BlockedReply);
    // The supervisor preempts and handles the fault message.
    REQUIRE(f.cpu.current == &f.root_task);
    Task& root = f.root_task;
    CHECK(KernelFixture::tag(root).label() == static_cast<uint64_t>(FaultKind::PageFault));
    CHECK(KernelFixture::badge(root) == 7);
    uint64_t address = KernelFixture::word(root, 0);
    CHECK(address == 0x7000'0123);
    CHECK(KernelFixture::word(root, 1) == 0x40'0010);
    REQUIRE(f.invoke(root, worker_space, VirtualSpaceLabel::Map,
                     {page, align_down(address, kPageSize), rights::kRead | rights::kWrite})
                .error == Error::None);
    f.ipc(root, Syscall::ReplyRecv, fault_endpoint, 0, {}, reply);
    CHECK(worker.task->runnable());
    CHECK(worker.task->context.instruction_pointer() == 0x40'0010); // retries the access
    arch::Mapping mapping;
    CHECK(f.object<VirtualSpace>(worker_space).query(0x7000'0000, &mapping));
}

TEST_CASE("scenario: backends' split entry (fast path, then general path) matches handle_syscall", "[scenario]") {
    KernelFixture f;
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    uint64_t reply = f.create(ObjectType::Reply);
    Spawned server = f.spawn(150, 8);
    uint64_t server_endpoint = f.give(server, endpoint, rights::kRead);
    uint64_t server_reply = f.give(server, reply);
    Task& s = *server.task;
    Task& root = f.root_task;
    f.ipc(s, Syscall::Recv, server_endpoint, 0, {}, server_reply);
    REQUIRE(s.state == TaskState::BlockedReceive);
    REQUIRE(f.cpu.current == &root);

    // A Call to the waiting server: the fast path does it all.
    root.context.set_argument(reg::kCapability, endpoint);
    root.context.set_argument(reg::kTag, MessageTag::make(9, 1, 0).raw);
    root.context.set_argument(reg::kWord0, 77);
    root.context.set_syscall_number(static_cast<uint64_t>(Syscall::Call));
    REQUIRE(handle_fast_syscall(f.cpu) == FastPath::Switched);
    CHECK(f.cpu.current == &s);
    CHECK(KernelFixture::word(s, 0) == 77);
    CHECK(root.state == TaskState::BlockedReply);

    // TryRecv is not for the fast path: it changes nothing; the general path runs it.
    s.context.set_syscall_number(static_cast<uint64_t>(Syscall::TryRecv));
    s.context.set_argument(reg::kCapability, server_endpoint);
    s.context.set_argument(reg::kReply, kNoSlot);
    CHECK(handle_fast_syscall(f.cpu) == FastPath::NotTaken);
    CHECK(s.context.argument(reg::kCapability) == server_endpoint); // r0 untouched
    handle_general_syscall(f.cpu);
    CHECK(KernelFixture::status(s) == Error::WouldBlock);
    CHECK(f.cpu.current == &s);
    // Yield with nothing else of its priority ready: the fast path; it runs on.
    s.context.set_syscall_number(static_cast<uint64_t>(Syscall::Yield));
    REQUIRE(handle_fast_syscall(f.cpu) == FastPath::SameThread);
    CHECK(KernelFixture::status(s) == Error::None);
    CHECK(f.cpu.current == &s);
}
