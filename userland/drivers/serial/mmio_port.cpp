// userland/drivers/serial/mmio_port.cpp — mmio_port.hpp.
#include <user/runtime.hpp>

#include "mmio_port.hpp"

namespace vesta::serial {

Error map_registers(uint64_t slot, MappedRegisters* out) {
    const user::InvokeResult info = user::invoke(slot, FrameLabel::Info);
    if (info.error != Error::None) return info.error;
    auto mapped = user::map_frame(slot, rights::kRead | rights::kWrite);
    if (!mapped.ok()) return mapped.error();
    out->address = mapped.value();
    out->physical = info.words[0];
    out->console = ConsoleRange{2, info.words[0]};
    return Error::None;
}

uint32_t environment_number(const char* name, uint32_t fallback) {
    const char* text = user::environment(name);
    if (!text || !*text) return fallback;
    uint64_t value = 0;
    for (; *text; ++text) {
        if (*text < '0' || *text > '9') return fallback;
        value = value * 10 + static_cast<uint64_t>(*text - '0');
        if (value > 0xffff'ffff) return fallback;
    }
    return static_cast<uint32_t>(value);
}

} // namespace vesta::serial
