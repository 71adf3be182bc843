// userland/tests/protocol/server.hpp — the protocol-server program: one
// server per role (fixture.hpp), each a small implementation of a protocol
// of protocols/ that checks what it receives, run by an ipc::ServerLoop.
#pragma once

#include <user/runtime.hpp>
#include <vesta/ipc/server_loop.hpp>

#include "fixture.hpp"

namespace protocol_server {

using namespace vesta;
using namespace vesta::user;
using vesta::ipc::CapList;
using vesta::ipc::ServerLoop;

// Each runs its server on `loop` (initialised on the "serve" endpoint) and
// returns only when the loop does, with its error.
Error serve_file(ServerLoop& loop);
Error serve_serial(ServerLoop& loop);
Error serve_fs(ServerLoop& loop, uint64_t endpoint);
Error serve_procmgr(ServerLoop& loop);
Error serve_devices(ServerLoop& loop);
Error serve_devloader(ServerLoop& loop);
// Checks the start-up block against fixture.hpp; returns 0 or the line of
// the first check that failed.
uint64_t check_startup();

bool equal(const char* a, const char* b);

} // namespace protocol_server
