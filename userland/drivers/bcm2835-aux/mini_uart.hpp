// userland/drivers/bcm2835-aux/mini_uart.hpp — the BCM2835 auxiliary
// mini-UART (the Raspberry Pi 3 and 4 console U-Boot uses), as a
// serial::Uart over its registers (BCM2835 ARM Peripherals, section 2.2,
// with its errata).
//
// What the chip can do: 7 or 8 data bits, 1 stop bit, no parity; speed =
// system clock / (8 × (BAUD + 1)). The system clock is the VideoCore's and
// the driver cannot learn it, so it keeps the speed U-Boot set
// (`line_baud`) and changes it only when told the clock (`clock_hz` ≠ 0).
// Receive FIFO of 8 bytes. IER bit 0 enables the receive interrupt (the
// manual's table swaps bits 0 and 1; its errata, Linux and QEMU agree on
// bit 0); bits 3:2 are set too, as the errata says boards need.
#pragma once

#include "serial/registers.hpp"
#include "serial/uart.hpp"

namespace vesta::serial {

class MiniUart final : public Uart {
public:
    // Offsets from the mini-UART's registers (AUX_MU_IO_REG), 0x40 into the
    // auxiliary block.
    enum Register : uint32_t {
        kIo = 0x00,
        kInterruptEnable = 0x04,
        kLineControl = 0x0c,
        kLineStatus = 0x14,
        kControl = 0x20,
        kBaud = 0x28,
    };
    static constexpr uint32_t kOffsetInAuxBlock = 0x40;
    static constexpr uint32_t kDataReady = 1u << 0, kTransmitterEmpty = 1u << 5; // LSR
    static constexpr uint32_t kReceiveInterrupt = 0x1 | 0xc;                     // IER
    static constexpr uint32_t kEightBits = 0x3, kSevenBits = 0x0;                // LCR (errata: 3 for 8 bits)
    static constexpr uint32_t kReceiverAndTransmitter = 0x3;                     // CNTL

    MiniUart(Registers& registers, uint32_t clock_hz, uint32_t line_baud)
        : registers_(registers), clock_hz_(clock_hz), line_baud_(line_baud) {}

    // The BAUD register value for `baud`, or -1 when out of range or the clock is unknown.
    static int32_t baud_register(uint32_t clock_hz, uint32_t baud);

    ipc::Result<void> configure(const LineSettings& settings) override;
    bool transmitter_ready() override;
    void transmit(uint8_t byte) override;
    size_t drain(uint8_t* out, size_t max) override;
    void set_receive_interrupt(bool enabled) override;

private:
    Registers& registers_;
    uint32_t clock_hz_;
    uint32_t line_baud_;
    uint32_t interrupt_enable_ = 0;
};

} // namespace vesta::serial
