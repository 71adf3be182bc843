// userland/usrinit/services.hpp — what usrinit was given and the small
// helpers its parts share: the services from its start-up block, a page of
// its own to pass to servers, status names for messages, and a sleep.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <user/runtime.hpp>
#include <vesta/ipc/status.hpp>
#include <vesta/ipc/syscall_transport.hpp>

namespace usrinit {

using namespace vesta;

// The services sysinit grants usrinit (docs/userland.md): kNoSlot when missing.
struct Services {
    uint64_t fs = kNoSlot;
    uint64_t procmgr = kNoSlot;
    uint64_t devmgr = kNoSlot;
    uint64_t devloader = kNoSlot;
};
Services find_services();

// A Page object of this task, mapped read-write: what usrinit shares with a
// server (a path, a name, a file's bytes).
struct SharedPage {
    uint64_t slot = kNoSlot;
    uint8_t* data = nullptr;
    size_t size = 0; // bytes
};
// Errors: Memory.Create's and VirtualSpace.Map's.
Error make_shared_page(size_t pages, SharedPage* out);
// Deletes the Page (its memory returns to usrinit's pool).
void release(SharedPage& page);

// A status for a message: the ABI error's name, or the protocol error's
// qualified name when usrinit knows it ("fs::not_found"), else its code.
const char* status_name(ipc::Status status);

// Sleep `ticks` scheduler ticks (10 ms each).
void sleep_ticks(uint64_t ticks);

// One transport for all of usrinit's calls (a single thread).
ipc::SyscallTransport& transport();

} // namespace usrinit
