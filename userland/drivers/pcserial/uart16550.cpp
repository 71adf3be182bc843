// userland/drivers/pcserial/uart16550.cpp — Uart16550 (uart16550.hpp).
#include "uart16550.hpp"

namespace vesta::serial {

bool Uart16550::present() {
    constexpr uint8_t kPatterns[] = {0x5a, 0xa5};
    for (uint8_t pattern : kPatterns) {
        registers_.write(kScratch, pattern);
        if ((registers_.read(kScratch) & 0xff) != pattern) return false;
    }
    return true;
}

uint16_t Uart16550::divisor(uint32_t baud) {
    if (baud == 0 || kClockDivisorBase % baud != 0) return 0;
    return static_cast<uint16_t>(kClockDivisorBase / baud); // baud ≥ 2, so it fits
}

int Uart16550::line_control(const LineSettings& settings) {
    const auto bits = static_cast<uint8_t>(settings.length);
    if (bits < 5 || bits > 8) return -1;
    int value = bits - 5;
    if (settings.stop_bits == dev::stop_bits::TWO) {
        if (bits == 5) return -1; // the chip sends 1.5 stop bits there
        value |= 0x04;
    }
    switch (settings.parity) {
    case dev::parity::NONE: break;
    case dev::parity::ODD: value |= 0x08; break;
    case dev::parity::EVEN: value |= 0x18; break;
    case dev::parity::MARK: value |= 0x28; break;  // stick parity, bit 1
    case dev::parity::SPACE: value |= 0x38; break; // stick parity, bit 0
    }
    return value;
}

ipc::Result<void> Uart16550::configure(const LineSettings& settings) {
    const uint16_t divider = divisor(settings.baud);
    const int format = line_control(settings);
    if (divider == 0 || format < 0) return dev::unsupported;
    registers_.write(kInterruptEnable, 0);
    registers_.write(kLineControl, kDivisorLatch);
    registers_.write(kData, divider & 0xff);
    registers_.write(kInterruptEnable, divider >> 8);
    registers_.write(kLineControl, static_cast<uint32_t>(format));
    registers_.write(kFifoControl, kFifoSetting);
    registers_.write(kModemControl, kModemSetting);
    registers_.write(kInterruptEnable, interrupt_enable_);
    return {};
}

bool Uart16550::transmitter_ready() { return (registers_.read(kLineStatus) & kTransmitterEmpty) != 0; }

void Uart16550::transmit(uint8_t byte) { registers_.write(kData, byte); }

size_t Uart16550::drain(uint8_t* out, size_t max) {
    size_t n = 0;
    while (n < max && (registers_.read(kLineStatus) & kDataReady))
        out[n++] = static_cast<uint8_t>(registers_.read(kData));
    return n;
}

void Uart16550::set_receive_interrupt(bool enabled) {
    interrupt_enable_ = enabled ? kReceiveInterrupt : 0;
    registers_.write(kInterruptEnable, interrupt_enable_);
}

} // namespace vesta::serial
