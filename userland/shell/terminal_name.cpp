// userland/shell/terminal_name.cpp — terminal_name.hpp.
#include "terminal_name.hpp"

#include <dev/console.ipc.hpp>
#include <dev/serial.ipc.hpp>

namespace shell {

namespace {

// `text` starts with `prefix`: the rest, else nullptr.
const char* after(const char* text, const char* prefix) {
    for (; *prefix; ++prefix, ++text)
        if (*text != *prefix) return nullptr;
    return text;
}

} // namespace

bool parse_terminal_name(const char* name, TerminalDevice* out) {
    if (!name) name = "serial0";
    TerminalDevice device;
    const char* digits = nullptr;
    if ((digits = after(name, "serial")) != nullptr)
        device.interface_id = vesta::proto::dev::serial::kId;
    else if ((digits = after(name, "console")) != nullptr)
        device.interface_id = vesta::proto::dev::console::kId;
    else
        return false;
    if (*digits == '\0' || (digits[0] == '0' && digits[1] != '\0')) return false; // no index, or a leading zero
    uint32_t index = 0;
    for (const char* d = digits; *d; ++d) {
        if (*d < '0' || *d > '9') return false;
        index = index * 10 + static_cast<uint32_t>(*d - '0');
        if (index > 255) return false;
    }
    device.index = index;
    size_t n = 0;
    for (; name[n]; ++n) device.name[n] = name[n]; // at most "console255": fits
    device.name[n] = '\0';
    *out = device;
    return true;
}

} // namespace shell
