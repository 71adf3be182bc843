// userland/usrinit/line_echo.hpp — what usrinit's echo sends back for what
// was typed (portable: the host tests call it).
//
// A typed CR (what Enter sends) becomes LF, as Mercury's demo turns it; the
// serial line is raw (the driver sends bytes as they are), so a line end
// goes back as CR LF followed by the prompt "> ". DEL and BS rub out the
// last character on the screen ("\b \b"). Every other byte comes back as is.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace usrinit {

inline constexpr size_t kMaxEchoPerByte = 4; // CR LF and the prompt

// The bytes to send back for `typed` (n bytes) into `out`, which has room
// for kMaxEchoPerByte × n; returns their count.
size_t echo_bytes(const uint8_t* typed, size_t n, uint8_t* out);

} // namespace usrinit
