#include "uart.hpp"

namespace vesta {
namespace {

// PL011 (ARM DDI 0183): data register, flag register and its "transmit FIFO full" bit.
constexpr uint32_t kPl011Data = 0x00, kPl011Flags = 0x18, kPl011TransmitFull = 1u << 5;
// BCM2835 mini-UART, offsets from AUX_MU_IO (the node's reg): I/O and line status.
constexpr uint32_t kMiniIo = 0x00, kMiniLineStatus = 0x14, kMiniTransmitEmpty = 1u << 5;
// 16550: transmit holding and line status registers (register index, scaled by reg-shift).
constexpr uint32_t kNsTransmit = 0, kNsLineStatus = 5, kNsTransmitEmpty = 1u << 5;

constexpr unsigned kMaxSpins = 100000;

} // namespace

uint32_t MmioUart::read_register(uint32_t offset) const {
    const uint64_t address = registers_ + offset;
    if (width_ == 4 || model_ != platform::UartKind::Ns16550) return *reinterpret_cast<volatile uint32_t*>(address);
    return *reinterpret_cast<volatile uint8_t*>(address);
}

void MmioUart::write_register(uint32_t offset, uint32_t value) const {
    const uint64_t address = registers_ + offset;
    if (width_ == 4 || model_ != platform::UartKind::Ns16550) {
        *reinterpret_cast<volatile uint32_t*>(address) = value;
    } else {
        *reinterpret_cast<volatile uint8_t*>(address) = static_cast<uint8_t>(value);
    }
}

void MmioUart::put(char c) const {
    const auto byte = static_cast<uint8_t>(c);
    switch (model_) {
    case platform::UartKind::Pl011:
        for (unsigned spins = 0; spins < kMaxSpins && (read_register(kPl011Flags) & kPl011TransmitFull); ++spins) {
        }
        write_register(kPl011Data, byte);
        break;
    case platform::UartKind::MiniUart:
        for (unsigned spins = 0; spins < kMaxSpins && !(read_register(kMiniLineStatus) & kMiniTransmitEmpty); ++spins) {
        }
        write_register(kMiniIo, byte);
        break;
    case platform::UartKind::Ns16550:
        for (unsigned spins = 0; spins < kMaxSpins && !(read_register(kNsLineStatus << shift_) & kNsTransmitEmpty);
             ++spins) {
        }
        write_register(kNsTransmit << shift_, byte);
        break;
    }
}

void MmioUart::write(const char* text, size_t length) const {
    if (!ready()) return;
    for (size_t i = 0; i < length; ++i) {
        if (text[i] == '\n') put('\r');
        put(text[i]);
    }
}

} // namespace vesta
