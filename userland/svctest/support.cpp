// userland/svctest/support.cpp — svctest's harness (support.hpp).
#include "support.hpp"

#include <dev/serial.ipc.hpp>
#include <fs/fs.ipc.hpp>
#include <io/file.ipc.hpp>
#include <sys/procmgr.ipc.hpp>

#include "svctest.hpp"

namespace svctest {

namespace fsp = vesta::proto::fs;
namespace io = vesta::proto::io;
namespace sys = vesta::proto::sys;

const char* status_name(ipc::Status status) {
    if (!status.is_protocol_error()) return status.ok() ? "success" : error_name(status.abi_error());
    struct Known {
        ipc::ProtocolError error;
        const char* name;
    };
    static constexpr Known kKnown[] = {
        {fsp::not_found, "fs::not_found"},
        {fsp::not_directory, "fs::not_directory"},
        {fsp::is_directory, "fs::is_directory"},
        {fsp::bad_path, "fs::bad_path"},
        {fsp::denied, "fs::denied"},
        {fsp::end_of_directory, "fs::end_of_directory"},
        {io::busy, "io::busy"},
        {io::io_error, "io::io_error"},
        {io::unseekable, "io::unseekable"},
        {io::bad_offset, "io::bad_offset"},
        {sys::no_process, "sys::no_process"},
        {sys::bad_state, "sys::bad_state"},
        {sys::bad_image, "sys::bad_image"},
        {sys::bad_manifest, "sys::bad_manifest"},
        {sys::no_device, "sys::no_device"},
        {sys::table_full, "sys::table_full"},
    };
    for (const Known& known : kKnown)
        if (status.protocol_error() == known.error) return known.name;
    return "an unknown protocol error";
}

Verdict expect(const char* what, ipc::Status got, ipc::Status want) {
    if (got == want) return nullptr;
    return fail("{}: {} instead of {}", what, status_name(got), status_name(want));
}

Error make_shared_page(size_t pages, SharedPage* out) {
    uint64_t address = 0;
    const Error error = map_new_pages(pages, rights::kRead | rights::kWrite, &address, &out->slot);
    if (error != Error::None) return error;
    out->data = reinterpret_cast<uint8_t*>(address);
    out->size = pages * kPageSize;
    return Error::None;
}

size_t put_bytes(SharedPage& page, const char* bytes, size_t length) {
    for (size_t i = 0; i < length && i < page.size; ++i) page.data[i] = static_cast<uint8_t>(bytes[i]);
    return length;
}

size_t put(SharedPage& page, const char* text) {
    size_t length = 0;
    while (text[length]) ++length;
    return put_bytes(page, text, length);
}

ipc::Result<size_t> read_file(Context& ctx, const char* path) {
    const size_t length = put(ctx.path, path);
    auto kind = fsp::fs::stat(*ctx.transport, ctx.fs, ctx.path.slot, ctx.info.slot, 0, length, 0);
    if (!kind.ok()) return kind.error();
    uint64_t size = 0;
    __builtin_memcpy(&size, ctx.info.data + 8, sizeof(size));
    if (size > ctx.image.size) return Error::OutOfRange;
    auto opened = fsp::fs::open(*ctx.transport, ctx.fs, ctx.path.slot, 0, length, fsp::open_mode::READ);
    if (!opened.ok()) return opened.error();
    const uint64_t file = opened.value().file;
    size_t done = 0;
    ipc::Status failure;
    while (done < size) {
        auto n = io::file::read(*ctx.transport, file, ipc::CapList{{ctx.image.slot}, 1}, done, size - done);
        if (!n.ok() || n.value() == 0) {
            failure = n.ok() ? ipc::Status(Error::Malformed) : n.error();
            break;
        }
        done += n.value();
    }
    invoke(runtime.cspace, CapabilitySpaceLabel::Delete, file);
    if (!failure.ok()) return failure;
    return done;
}

ipc::Result<uint64_t> start_child(Context& ctx, uint64_t* endpoint) {
    const size_t size = TRY(read_file(ctx, "svcchild"));
    if (const Error e = create(ObjectType::Endpoint, 0, endpoint); e != Error::None) return e;
    const uint64_t pid = TRY(sys::procmgr::new_process(*ctx.transport, ctx.procmgr));
    TRY(sys::procmgr::load(*ctx.transport, ctx.procmgr, ipc::CapList{{ctx.image.slot}, 1}, pid, size));
    TRY(sys::procmgr::grant(*ctx.transport, ctx.procmgr, *endpoint, pid, kCommandSlot));
    TRY(sys::procmgr::start(*ctx.transport, ctx.procmgr, pid));
    return pid;
}

void reap(Context& ctx, uint64_t pid) {
    (void)sys::procmgr::kill(*ctx.transport, ctx.procmgr, pid, 0);
    (void)sys::procmgr::wait(*ctx.transport, ctx.procmgr, pid);
}

Error command(uint64_t endpoint, uint64_t label, uint64_t word) {
    return syscall(Syscall::Send, endpoint, MessageTag::make(label, 1, 0), word).error;
}

uint64_t sysinit_free_pages(const Context& ctx) { return invoke(ctx.pool_view, MemoryLabel::Info).words[1]; }

void sleep_ticks(uint64_t ticks) {
    static uint64_t never_signalled = kNoSlot;
    if (never_signalled == kNoSlot && create(ObjectType::Notification, 0, &never_signalled) != Error::None) return;
    runtime.ipc_buffer->poll[0] = never_signalled;
    syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, ticks);
}

namespace {

constexpr uint64_t kThreadEndpoint = 2, kThreadNotification = 3, kThreadPage = 4;

void call_thread_main(uint64_t argument) {
    auto* thread = reinterpret_cast<CallThread*>(argument);
    if (thread->page != kNoSlot) reinterpret_cast<IpcBuffer*>(thread->ipc_buffer)->caps[0] = kThreadPage;
    const SyscallResult reply =
        syscall(Syscall::Call, kThreadEndpoint, MessageTag{thread->tag}, thread->w0, thread->w1);
    thread->error = static_cast<uint64_t>(reply.error);
    thread->label = reply.tag.label();
    thread->word = reply.words[0];
    thread->done = true;
    syscall(Syscall::Signal, kThreadNotification);
    for (;;) invoke(0, TaskLabel::Suspend); // slot 0: its own task
}

} // namespace

Error start_call_thread(CallThread& thread, uint64_t endpoint) {
    uint64_t stack = 0, stack_page = 0;
    if (const Error e = map_new_pages(4, rights::kRead | rights::kWrite, &stack, &stack_page); e != Error::None)
        return e;
    if (const Error e = create(ObjectType::Notification, 0, &thread.notification); e != Error::None) return e;
    SpawnOptions options;
    options.vspace = runtime.vspace;
    options.entry = reinterpret_cast<uint64_t>(&call_thread_main);
    options.stack_top = thread_stack_top(stack, 4 * kPageSize);
    options.argument = reinterpret_cast<uint64_t>(&thread);
    options.cspace_slots = 8;
    Spawned spawned{};
    if (const Error e = spawn(nullptr, 0, options, &spawned); e != Error::None) return e;
    thread.task = spawned.task;
    thread.ipc_buffer = spawned.ipc_buffer;
    if (const Error e = give(spawned, kThreadEndpoint, endpoint); e != Error::None) return e;
    if (thread.page != kNoSlot)
        if (const Error e = give(spawned, kThreadPage, thread.page); e != Error::None) return e;
    if (const Error e = give(spawned, kThreadNotification, thread.notification, rights::kWrite); e != Error::None)
        return e;
    return start(spawned);
}

bool wait_call_thread(CallThread& thread, uint64_t ticks) {
    runtime.ipc_buffer->poll[0] = thread.notification;
    const SyscallResult ready = syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, ticks);
    return ready.error == Error::None && thread.done;
}

} // namespace svctest
