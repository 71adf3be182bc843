// userland/drivers/pl011/pl011_uart.hpp — the Arm PrimeCell UART (PL011) of
// QEMU virt and the Raspberry Pi, as a serial::Uart over its registers
// (PL011 Technical Reference Manual, r1p5, chapter 3).
//
// The line: UARTCLK / (16 × divisor) with a 16.6 fixed-point divisor (IBRD,
// FBRD); 5 to 8 data bits, 1 or 2 stop bits, parity none, odd, even, mark
// or space (stick parity). The driver does not learn UARTCLK from the
// device tree, so it keeps the speed the firmware set (`line_baud`, what
// get_baud reports) and can change it only when told the clock
// (`clock_hz` ≠ 0); otherwise another speed is unsupported. FIFOs stay on
// (LCR_H.FEN is never cleared: that would flush what was typed); the
// receive interrupt comes at 1/8 full or after 32 bits' time of silence
// (receive timeout).
#pragma once

#include "serial/registers.hpp"
#include "serial/uart.hpp"

namespace vesta::serial {

class Pl011Uart final : public Uart {
public:
    enum Register : uint32_t {
        kData = 0x00,
        kFlags = 0x18,
        kIntegerBaud = 0x24,
        kFractionalBaud = 0x28,
        kLineControl = 0x2c,
        kControl = 0x30,
        kFifoLevel = 0x34,
        kInterruptMask = 0x38,
        kInterruptClear = 0x44,
    };
    static constexpr uint32_t kFlagBusy = 1u << 3, kFlagReceiveEmpty = 1u << 4, kFlagTransmitFull = 1u << 5;
    static constexpr uint32_t kLineFifoEnable = 1u << 4;
    static constexpr uint32_t kControlEnable = 1u << 0, kControlTransmit = 1u << 8, kControlReceive = 1u << 9;
    static constexpr uint32_t kReceiveInterrupts = (1u << 4) | (1u << 6); // RXIM, RTIM (also the ICR bits)
    // Polls of FR.BUSY before reprogramming gives up waiting for the transmitter.
    static constexpr uint32_t kBusyPolls = 1u << 20;

    Pl011Uart(Registers& registers, uint32_t clock_hz, uint32_t line_baud)
        : registers_(registers), clock_hz_(clock_hz), line_baud_(line_baud) {}

    // LCR_H for a format (FIFOs on), or -1 when the chip cannot send it.
    static int line_control(const LineSettings& settings);
    // IBRD << 6 | FBRD for `baud` from `clock_hz`, or 0 when out of range.
    static uint32_t divisor(uint32_t clock_hz, uint32_t baud);

    ipc::Result<void> configure(const LineSettings& settings) override;
    bool transmitter_ready() override;
    void transmit(uint8_t byte) override;
    size_t drain(uint8_t* out, size_t max) override;
    void set_receive_interrupt(bool enabled) override;
    void acknowledge_receive() override;

private:
    Registers& registers_;
    uint32_t clock_hz_;
    uint32_t line_baud_; // the speed the line runs at now
};

} // namespace vesta::serial
