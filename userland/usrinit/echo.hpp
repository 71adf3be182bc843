// userland/usrinit/echo.hpp — the echo demo on serial0 (Mercury's): what is
// typed comes back, translated by echo_bytes (line_echo.hpp).
#pragma once

#include "services.hpp"

namespace usrinit {

// Opens serial0 through devmgr and echoes until the device fails; returns
// the failure.
ipc::Status echo(const Services& services);

} // namespace usrinit
