// userland/usrinit/echo.hpp — the echo demo on serial0 (Mercury's): what is
// typed comes back. A typed CR (what Enter sends) becomes LF, as Mercury's
// demo turns it; the line is raw (the driver sends bytes as they are), so
// usrinit sends each line end as CR LF and a prompt "> " after it. DEL and
// BS rub out the last character on the screen.
#pragma once

#include "services.hpp"

namespace usrinit {

// Opens serial0 through devmgr and echoes until the device fails; returns
// the failure.
ipc::Status echo(const Services& services);

// The bytes to send back for `typed` (n bytes) into `out`, which has room
// for 4 × n (a line end goes out as CR LF and the prompt "> ");
// returns their count. Portable: the translation is one function.
size_t echo_bytes(const uint8_t* typed, size_t n, uint8_t* out);

} // namespace usrinit
