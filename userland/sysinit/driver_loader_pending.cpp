// userland/sysinit/driver_loader_pending.cpp — TEMPORARY, until the
// devloader branch's implementation (userland/sysinit/devloader.cpp) is
// merged: the DriverLoader refuses every driver, saying so, so that the
// rest of sysinit builds and runs. userland/sysinit/meson.build links this
// file only while devloader.cpp does not exist. Not the driver loader.
#include <lib/format.hpp>

#include "devloader.hpp"

namespace sysinit {

vesta::Error DriverLoader::initialise(const vesta::RootInfo&, const ConsoleRelease&) { return vesta::Error::None; }

vesta::Result<uint32_t> DriverLoader::prepare(const void*, size_t, uint64_t, ServiceLookup, void*,
                                              vesta::user::ProcessStartup&, char* message, size_t message_size) {
    vesta::BufferSink sink(message, message_size);
    vesta::format(sink, "IMAGE: this sysinit was built without the driver loader (devloader.cpp)");
    return vesta::Error::NotSupported;
}

void DriverLoader::release(uint32_t) {}

} // namespace sysinit
