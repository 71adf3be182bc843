// userland/drivers/serial/registers.hpp — a UART's register file as the
// chip code sees it: reads and writes at byte offsets from the chip's base.
// The drivers back it with I/O ports (pcserial: IoPort.In/Out) or mapped
// device memory (pl011, bcm2835-aux: 32-bit volatile accesses); the host
// tests back it with a model of the chip.
#pragma once

#include <stdint.h>

namespace vesta::serial {

class Registers {
public:
    // Contract: `offset` is one the chip code names (inside the chip's block).
    virtual uint32_t read(uint32_t offset) = 0;
    virtual void write(uint32_t offset, uint32_t value) = 0;

protected:
    Registers() = default;
    Registers(const Registers&) = default;
    Registers& operator=(const Registers&) = default;
    ~Registers() = default;
};

} // namespace vesta::serial
