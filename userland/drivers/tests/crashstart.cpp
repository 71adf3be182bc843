// userland/drivers/tests/crashstart — a driver for svctest's supervision
// tests that crashes as it starts: it counts its start in the page its
// supervisor granted at slot kCountSlot (the grant is repeated at each
// restart), registers a device (so that svctest can watch it come and go
// through devmgr), then writes to address 0. Its manifest allows 3
// restarts in 10 s after 10, 20, 40 ms: the fourth crash is given up.
#include <sys/devregistry.ipc.hpp>
#include <user/manifest.hpp>
#include <user/runtime.hpp>
#include <vesta/ipc/syscall_transport.hpp>

#include "crashstart.hpp"

VESTA_MANIFEST(R"(# crashstart: faults at start-up, restarted up to its limit.
[driver]
name = crashstart
desc = "Test driver: crashes at start-up"
restart = on-failure
restart-delay = 10
restart-delay-max = 1000
restart-limit = 3
restart-window = 10000

[capabilities]
0:endpoint =
_:cspace = self
_:vspace = self
_:memory = pages=8

[services]
devregistry =
)");

using namespace vesta;
using namespace vesta::user;

void main(uint64_t) {
    constexpr uint64_t kEndpoint = 0;
    auto page = map_frame(crashstart::kCountSlot, rights::kRead | rights::kWrite);
    if (!page.ok()) exit(1); // no page: a failed end too, and svctest sees the count stay 0
    auto* starts = reinterpret_cast<volatile uint64_t*>(page.value());
    *starts = *starts + 1;
    ipc::SyscallTransport transport(runtime.ipc_buffer);
    (void)proto::sys::devregistry::new_device(transport, service(proto::sys::devregistry::kId), kEndpoint,
                                              crashstart::kInterface);
    *reinterpret_cast<volatile uint64_t*>(uint64_t{0}) = 1; // the crash
}
