// kernel/platform/uart.hpp — the kernel's own console UART drivers, for
// memory-mapped UARTs found in the device tree: PL011, the BCM283x
// mini-UART, and 16550-compatibles.
//
// They only transmit, polling, on a UART the firmware already configured
// (U-Boot and UEFI leave the console set up; reprogramming baud rates would
// need the clock tree). Every wait is bounded, so a dead UART costs time,
// never a hang.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::platform {

// The UART models the kernel drives, as discovery names them
// (platform/devicetree_platform.hpp) and the driver below uses them.
enum class UartKind : uint8_t {
    Pl011,    // arm,pl011
    MiniUart, // brcm,bcm2835-aux-uart (the BCM283x auxiliary "mini-UART")
    Ns16550,  // ns16550a, ns16550, snps,dw-apb-uart
};

} // namespace vesta::platform

namespace vesta {

class MmioUart {
public:
    MmioUart() = default;
    // `registers` is the kernel virtual address of the register block.
    MmioUart(platform::UartKind model, uint64_t registers, uint32_t register_shift, uint32_t register_width)
        : model_(model), registers_(registers), shift_(register_shift), width_(register_width) {}

    bool ready() const { return registers_ != 0; }
    // Writes bytes, turning "\n" into "\r\n".
    void write(const char* text, size_t length) const;

private:
    void put(char c) const;
    uint32_t read_register(uint32_t offset) const;
    void write_register(uint32_t offset, uint32_t value) const;

    platform::UartKind model_ = platform::UartKind::Pl011;
    uint64_t registers_ = 0;
    uint32_t shift_ = 0;
    uint32_t width_ = 1;
};

} // namespace vesta
