// userland/drivers/pl011/pl011_uart.cpp — Pl011Uart (pl011_uart.hpp).
#include "pl011_uart.hpp"

namespace vesta::serial {

int Pl011Uart::line_control(const LineSettings& settings) {
    const auto bits = static_cast<uint32_t>(settings.length);
    if (bits < 5 || bits > 8) return -1;
    uint32_t value = kLineFifoEnable | (bits - 5) << 5;
    if (settings.stop_bits == dev::stop_bits::TWO) value |= 1u << 3; // STP2
    constexpr uint32_t kParityEnable = 1u << 1, kEvenParity = 1u << 2, kStickParity = 1u << 7;
    switch (settings.parity) {
    case dev::parity::NONE: break;
    case dev::parity::ODD: value |= kParityEnable; break;
    case dev::parity::EVEN: value |= kParityEnable | kEvenParity; break;
    case dev::parity::MARK: value |= kParityEnable | kStickParity; break; // EPS 0: the bit is 1
    case dev::parity::SPACE: value |= kParityEnable | kEvenParity | kStickParity; break;
    }
    return static_cast<int>(value);
}

uint32_t Pl011Uart::divisor(uint32_t clock_hz, uint32_t baud) {
    if (clock_hz == 0 || baud == 0) return 0;
    // 64 × clock / (16 × baud), rounded: the 16.6 fixed-point divisor.
    const uint64_t scaled = (uint64_t{clock_hz} * 4 + baud / 2) / baud;
    if (scaled < (1u << 6) || scaled >= (uint64_t{0xffff} << 6 | 0x3f) + 1) return 0; // IBRD 1 … 65535
    return static_cast<uint32_t>(scaled);
}

ipc::Result<void> Pl011Uart::configure(const LineSettings& settings) {
    const int format = line_control(settings);
    if (format < 0) return dev::unsupported;
    uint32_t divider = 0;
    if (settings.baud != line_baud_) {
        divider = divisor(clock_hz_, settings.baud);
        if (divider == 0) return dev::unsupported;
    }
    for (uint32_t polls = 0; polls < kBusyPolls && (registers_.read(kFlags) & kFlagBusy); ++polls) {
    }
    registers_.write(kControl, 0);
    if (divider != 0) {
        registers_.write(kIntegerBaud, divider >> 6);
        registers_.write(kFractionalBaud, divider & 0x3f);
        line_baud_ = settings.baud;
    }
    registers_.write(kLineControl, static_cast<uint32_t>(format)); // latches IBRD/FBRD too
    registers_.write(kFifoLevel, 0);                               // interrupts at 1/8 full
    registers_.write(kControl, kControlEnable | kControlTransmit | kControlReceive);
    return {};
}

bool Pl011Uart::transmitter_ready() { return (registers_.read(kFlags) & kFlagTransmitFull) == 0; }

void Pl011Uart::transmit(uint8_t byte) { registers_.write(kData, byte); }

size_t Pl011Uart::drain(uint8_t* out, size_t max) {
    size_t n = 0;
    while (n < max && !(registers_.read(kFlags) & kFlagReceiveEmpty))
        out[n++] = static_cast<uint8_t>(registers_.read(kData)); // bits 11:8 are error flags
    return n;
}

void Pl011Uart::set_receive_interrupt(bool enabled) {
    registers_.write(kInterruptMask, enabled ? kReceiveInterrupts : 0);
}

void Pl011Uart::acknowledge_receive() { registers_.write(kInterruptClear, kReceiveInterrupts); }

} // namespace vesta::serial
