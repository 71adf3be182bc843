// userland/tests/protocol/server_main.cpp — protocol-server: runs the
// server its argv[1] names (fixture.hpp) on the endpoint noted "serve".
// Exits with the loop's error when the loop ends (its endpoint gone); the
// tests usually end it by deleting its memory pool.
#include "server.hpp"

namespace protocol_server {

bool equal(const char* a, const char* b) {
    if (!a || !b) return false;
    for (; *a && *a == *b; ++a, ++b) {
    }
    return *a == *b;
}

} // namespace protocol_server

using namespace protocol_server;
using namespace protocol_fixture;

void main(uint64_t) {
    const char* role = argument(1);
    if (equal(role, kStartupCheckRole)) {
        const uint64_t report = capability_with_note("report");
        syscall(Syscall::Call, report, MessageTag::make(check_startup(), 0, 0));
        exit(0);
    }
    const uint64_t endpoint = capability_with_note("serve");
    ServerLoop loop;
    // Four Reply objects: the call in hand and three held open (serial reads, procmgr waits).
    Error error = loop.init(
        {.endpoint = endpoint, .reply_objects = 1 + kSerialPendingReads, .notification = capability_with_note("irq")});
    if (error != Error::None) {
        print("protocol-server: cannot start its loop: {}\n", error_name(error));
        exit(static_cast<uint64_t>(error));
    }
    if (equal(role, kFileRole))
        error = serve_file(loop);
    else if (equal(role, kSerialRole))
        error = serve_serial(loop);
    else if (equal(role, kFsRole))
        error = serve_fs(loop, endpoint);
    else if (equal(role, kProcmgrRole))
        error = serve_procmgr(loop);
    else if (equal(role, kDevicesRole))
        error = serve_devices(loop);
    else if (equal(role, kDevloaderRole))
        error = serve_devloader(loop);
    else
        error = Error::NotSupported;
    exit(static_cast<uint64_t>(error));
}
