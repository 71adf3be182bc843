// userland/svctest/device_driver.cpp — svcdev (svctest.hpp): a driver that
// registers one device and never serves it, so that svctest can check what
// a client sees when a device's driver dies.
#include <sys/devregistry.ipc.hpp>
#include <user/manifest.hpp>
#include <user/runtime.hpp>
#include <vesta/ipc/syscall_transport.hpp>

#include "svctest.hpp"

VESTA_MANIFEST(R"(
[driver]
name = svcdev
desc = A device for svctest: registered, never served
[capabilities]
0:endpoint =
1:note =
[services]
devregistry =
)");

using namespace vesta;
using namespace vesta::user;

void main(uint64_t) {
    constexpr uint64_t kEndpoint = 0, kNotification = 1;
    ipc::SyscallTransport transport(runtime.ipc_buffer);
    const uint64_t registry = service(proto::sys::devregistry::kId);
    auto registered = proto::sys::devregistry::new_device(transport, registry, kEndpoint, svctest::kDeviceInterface);
    if (!registered.ok()) exit(1);
    for (;;) syscall(Syscall::Wait, kNotification); // never signalled
}
