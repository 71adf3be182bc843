// userland/tests/protocol/client.hpp — the client side of the protocol
// tests: starting a protocol-server process from the test initramfs, and
// threads of the runner that make calls (for deferred answers).
#pragma once

#include <vesta/ipc/status.hpp>
#include <vesta/ipc/syscall_transport.hpp>

#include "fixture.hpp"
#include "suite.hpp"

namespace suite::protocol {

using namespace protocol_fixture;
using vesta::ipc::CapList;
using vesta::ipc::SyscallTransport;

// A protocol-server process. Its memory pool (owned by the runner) pays
// for it and for its endpoint: deleting `pool` kills both.
struct Server {
    uint64_t pool = kNoSlot;
    uint64_t endpoint = kNoSlot; // the runner's capability to it (all rights)
    Spawned process{};
};

// Starts protocol-server in `role` (argv[1]) with its "serve" endpoint,
// its pool (role Memory), own cspace and vspace, `extra` grants, and
// `arguments` after the role; `run` false leaves it created but not started.
struct ServerSpec {
    const char* role;
    const Grant* extra = nullptr;
    size_t extra_count = 0;
    const char* const* arguments = nullptr;
    size_t argument_count = 0;
    const char* environment = nullptr;
    bool run = true;
    uint64_t pool_pages = 128;
};
Error start_server(const ServerSpec& spec, Server* server);
Error kill_server(Server& server);

// The runner's own transport (its IPC buffer).
SyscallTransport& transport();

// A page of the runner mapped read-write: its slot and address.
struct TestPage {
    uint64_t slot = kNoSlot;
    uint8_t* bytes = nullptr;
};
TestPage test_page(uint64_t pages = 1);
template <class... Slots>
CapList caps_of(Slots... slots) {
    CapList list;
    ((list.slots[list.count++] = slots), ...);
    return list;
}

// A call made from a thread of the runner, for calls that block.
struct ThreadCall {
    volatile bool done = false;
    volatile uint64_t label = 0; // Status label of the result (0: success)
    volatile uint64_t value = 0;
    IpcBuffer* ipc = nullptr;
    uint64_t argument = 0;
};
// Starts `entry(index + 1)` in a thread whose cspace holds `endpoint` in
// slot kThreadEndpoint and `object` (if any) in kThreadObject;
// calls[index].ipc is its IPC buffer (call_of(argument) finds it).
inline constexpr uint64_t kThreadEndpoint = 2, kThreadObject = 3;
extern ThreadCall calls[8];
inline ThreadCall& call_of(uint64_t argument) { return calls[(argument - 1) & 7]; }
bool start_caller(void (*entry)(uint64_t), uint64_t index, uint64_t endpoint, uint64_t object = kNoSlot,
                  uint64_t* task = nullptr);
bool wait_blocked(uint64_t task);

// Fails the test unless `expression` (an ipc::Result) ended with `expected`
// (a Status, vesta::Error or ProtocolError; Error::None for success).
bool fail_status(const char* what, vesta::ipc::Status got, vesta::ipc::Status expected, int line);
#define EXPECT_STATUS(expression, expected)                                                                            \
    do {                                                                                                               \
        const ::vesta::ipc::Status expect_status_ = (expression).error();                                              \
        if (!(expect_status_ == ::vesta::ipc::Status(expected)))                                                       \
            return ::suite::protocol::fail_status(#expression, expect_status_, ::vesta::ipc::Status(expected),         \
                                                  __LINE__);                                                           \
    } while (0)

} // namespace suite::protocol
