// userland/usrinit/line_echo.cpp — line_echo.hpp.
#include "line_echo.hpp"

namespace usrinit {

size_t echo_bytes(const uint8_t* typed, size_t n, uint8_t* out) {
    constexpr uint8_t kLineEnd[] = {'\r', '\n', '>', ' '};
    static_assert(sizeof(kLineEnd) == kMaxEchoPerByte);
    size_t m = 0;
    for (size_t i = 0; i < n; ++i) {
        uint8_t byte = typed[i];
        if (byte == '\r') byte = '\n'; // CR → LF, as Mercury's demo
        if (byte == '\n') {
            for (uint8_t c : kLineEnd) out[m++] = c;
        } else if (byte == 0x7f || byte == '\b') {
            out[m++] = '\b';
            out[m++] = ' ';
            out[m++] = '\b';
        } else {
            out[m++] = byte;
        }
    }
    return m;
}

} // namespace usrinit
