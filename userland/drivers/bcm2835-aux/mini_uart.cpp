// userland/drivers/bcm2835-aux/mini_uart.cpp — MiniUart (mini_uart.hpp).
#include "mini_uart.hpp"

namespace vesta::serial {

int32_t MiniUart::baud_register(uint32_t clock_hz, uint32_t baud) {
    if (clock_hz == 0 || baud == 0) return -1;
    const uint64_t divider = (uint64_t{clock_hz} + 4ull * baud) / (8ull * baud); // rounded clock / (8 × baud)
    if (divider < 1 || divider > 0x10000) return -1;
    return static_cast<int32_t>(divider - 1);
}

ipc::Result<void> MiniUart::configure(const LineSettings& settings) {
    if (settings.stop_bits != dev::stop_bits::ONE || settings.parity != dev::parity::NONE) return dev::unsupported;
    uint32_t format = 0;
    if (settings.length == dev::char_length::EIGHT)
        format = kEightBits;
    else if (settings.length == dev::char_length::SEVEN)
        format = kSevenBits;
    else
        return dev::unsupported;
    int32_t baud = -1;
    if (settings.baud != line_baud_) {
        baud = baud_register(clock_hz_, settings.baud);
        if (baud < 0) return dev::unsupported;
    }
    registers_.write(kInterruptEnable, 0);
    if (baud >= 0) {
        registers_.write(kBaud, static_cast<uint32_t>(baud));
        line_baud_ = settings.baud;
    }
    registers_.write(kLineControl, format);
    registers_.write(kControl, kReceiverAndTransmitter);
    registers_.write(kInterruptEnable, interrupt_enable_);
    return {};
}

bool MiniUart::transmitter_ready() { return (registers_.read(kLineStatus) & kTransmitterEmpty) != 0; }

void MiniUart::transmit(uint8_t byte) { registers_.write(kIo, byte); }

size_t MiniUart::drain(uint8_t* out, size_t max) {
    size_t n = 0;
    while (n < max && (registers_.read(kLineStatus) & kDataReady))
        out[n++] = static_cast<uint8_t>(registers_.read(kIo));
    return n;
}

void MiniUart::set_receive_interrupt(bool enabled) {
    interrupt_enable_ = enabled ? kReceiveInterrupt : 0;
    registers_.write(kInterruptEnable, interrupt_enable_);
}

} // namespace vesta::serial
