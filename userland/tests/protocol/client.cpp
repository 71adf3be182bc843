// userland/tests/protocol/client.cpp — starting protocol-server processes
// and caller threads for the protocol tests (client.hpp).
#include "client.hpp"

namespace suite::protocol {

ThreadCall calls[8];

namespace {

// The test initramfs, mapped once per runner (suite slot kInitramfs).
Error map_initramfs() {
    if (initramfs) return Error::None;
    const InvokeResult info = invoke(slot::kInitramfs, FrameLabel::Info);
    if (info.error != Error::None) return info.error;
    auto address = map_frame(slot::kInitramfs, rights::kRead);
    if (!address.ok()) return address.error();
    initramfs = reinterpret_cast<const void*>(address.value());
    initramfs_size = info.words[1] * kPageSize;
    return Error::None;
}

} // namespace

SyscallTransport& transport() {
    static SyscallTransport runner_transport(runtime.ipc_buffer);
    return runner_transport;
}

Error start_server(const ServerSpec& spec, Server* server) {
    if (Error e = map_initramfs(); e != Error::None) return e;
    const void* image = nullptr;
    size_t size = 0;
    if (!find_file("protocol-server", &image, &size)) return Error::NotFound;
    const InvokeResult pool = invoke(runtime.memory, MemoryLabel::Split, spec.pool_pages, kAnySlot);
    if (pool.error != Error::None) return pool.error;
    server->pool = pool.words[0];
    if (Error e = create_in(server->pool, ObjectType::Endpoint, 0, &server->endpoint); e != Error::None) return e;

    static ProcessStartup startup; // about 6 KiB: not on the stack
    startup = ProcessStartup{};
    using startup::Role;
    const Grant grants[] = {
        {.source = server->endpoint, .note = "serve"},
        {.source = server->pool, .role = Role::Memory, .note = "memory"},
        {.source = kOwnCapabilitySpace, .role = Role::CapabilitySpace},
        {.source = kOwnVirtualSpace, .role = Role::VirtualSpace},
    };
    for (const Grant& grant : grants)
        if (Error e = startup.grant(grant); e != Error::None) return e;
    for (size_t i = 0; i < spec.extra_count; ++i)
        if (Error e = startup.grant(spec.extra[i]); e != Error::None) return e;
    startup.add_argument("protocol-server");
    startup.add_argument(spec.role);
    for (size_t i = 0; i < spec.argument_count; ++i) startup.add_argument(spec.arguments[i]);
    if (spec.environment) startup.add_environment(spec.environment);

    SpawnOptions options;
    options.memory = server->pool;
    options.priority = 100;
    options.startup = &startup;
    if (Error e = spawn(image, size, options, &server->process); e != Error::None) return e;
    return spec.run ? start(server->process) : Error::None;
}

Error kill_server(Server& server) {
    const Error error = delete_cap(server.pool);
    server.pool = server.endpoint = kNoSlot;
    return error;
}

TestPage test_page(uint64_t pages) {
    TestPage page;
    page.bytes = reinterpret_cast<uint8_t*>(new_pages(pages, rights::kRead | rights::kWrite, &page.slot));
    return page;
}

bool start_caller(void (*entry)(uint64_t), uint64_t index, uint64_t endpoint, uint64_t object, uint64_t* task) {
    const Thread thread = make_thread(entry, index + 1);
    if (!thread.ok) return false;
    calls[index].done = false;
    calls[index].ipc = reinterpret_cast<IpcBuffer*>(thread.spawned.ipc_buffer);
    if (give_thread(thread, kThreadEndpoint, endpoint) != Error::None) return false;
    if (object != kNoSlot && give_thread(thread, kThreadObject, object) != Error::None) return false;
    if (task) *task = thread.spawned.task;
    return start_thread(thread) == Error::None;
}

bool fail_status(const char* what, vesta::ipc::Status got, vesta::ipc::Status expected, int line) {
    char text[200];
    const char* got_name = got.is_protocol_error() ? "a protocol error" : error_name(got.abi_error());
    print_to(text, sizeof(text), "{} gave {} (label {:x}), expected label {:x}", what, got_name, got.label(),
             expected.label());
    return fail(text, line);
}

bool wait_blocked(uint64_t task) {
    return wait_until([&] { return task_state(task) == uint64_t(TaskState::BlockedReply); }, 300);
}

} // namespace suite::protocol
