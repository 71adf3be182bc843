// userland/svctest/support.hpp — svctest's harness: the services it was
// given, pages shared with sysinit, reading files, starting helper
// processes and threads, and the PASS/FAIL lines.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/format.hpp>
#include <user/runtime.hpp>
#include <vesta/ipc/status.hpp>
#include <vesta/ipc/syscall_transport.hpp>

namespace svctest {

using namespace vesta;
using namespace vesta::user;

// A page (or run of pages) mapped into svctest and passed to sysinit.
struct SharedPage {
    uint64_t slot = kNoSlot;
    uint8_t* data = nullptr;
    size_t size = 0;
};

struct Context {
    ipc::SyscallTransport* transport = nullptr;
    uint64_t fs = kNoSlot, procmgr = kNoSlot, devmgr = kNoSlot, devloader = kNoSlot, devregistry = kNoSlot;
    uint64_t pool_view = kNoSlot; // sysinit's pool, Read only (Memory.Info)
    SharedPage path, info, name;
    SharedPage image; // 128 pages: room for an image
};

// A test's verdict: nullptr passes, anything else is why it failed.
using Verdict = const char*;
// A failure reason formatted into a static buffer (valid until the next call).
template <class... Args>
Verdict fail(const char* pattern, const Args&... args) {
    static char reason[200];
    BufferSink sink(reason, sizeof(reason));
    format(sink, pattern, args...);
    return reason;
}
// "fs::bad_path", "InvalidArgument", … for a reply's status.
const char* status_name(ipc::Status status);
// The expectation `got == want`, described when it fails.
Verdict expect(const char* what, ipc::Status got, ipc::Status want);

Error make_shared_page(size_t pages, SharedPage* out);
// Writes `text` at the start of the page; returns its length.
size_t put(SharedPage& page, const char* text);
size_t put_bytes(SharedPage& page, const char* bytes, size_t length);

// The file at `path` read into ctx.image; returns its size.
ipc::Result<size_t> read_file(Context& ctx, const char* path);
// A new process running svcchild, its command endpoint granted at
// kCommandSlot; `*endpoint` is svctest's side of it.
ipc::Result<uint64_t> start_child(Context& ctx, uint64_t* endpoint);
// Kills a process and collects its status (clean-up after a test).
void reap(Context& ctx, uint64_t pid);
// Sends a command (svctest.hpp) to a child.
Error command(uint64_t endpoint, uint64_t label, uint64_t word = 0);
// Pages free in sysinit's pool.
uint64_t sysinit_free_pages(const Context& ctx);
// Lets other tasks run for `ticks` timer ticks.
void sleep_ticks(uint64_t ticks);

// A thread of svctest that makes one call and signals when it returns.
struct CallThread {
    uint64_t task = kNoSlot;
    uint64_t notification = kNoSlot;
    volatile bool done = false;
    volatile uint64_t error = 0; // the Call's Error
    volatile uint64_t label = 0; // the reply's label
    volatile uint64_t word = 0;  // its first word
    uint64_t tag = 0, w0 = 0;    // the request (on the endpoint in the thread's slot 2)
    uint64_t w1 = 0;
    uint64_t page = kNoSlot; // sent with the request when set (the tag must count 1 capability)
    uint64_t ipc_buffer = 0; // the thread's (set by start_call_thread)
};
// Starts `thread`, which calls `endpoint` (copied into its cspace) with the request it holds.
Error start_call_thread(CallThread& thread, uint64_t endpoint);
// Waits up to `ticks` for the thread's call to return; false on timeout.
bool wait_call_thread(CallThread& thread, uint64_t ticks);

} // namespace svctest
