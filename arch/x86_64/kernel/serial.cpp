#include "serial.hpp"

#include "cpu.hpp"

namespace vesta::x86_64 {
namespace {

constexpr uint16_t kCom1 = 0x3f8;
enum Register : uint16_t {
    kData = 0,            // DLAB=0: transmit/receive; DLAB=1: divisor low
    kInterruptEnable = 1, // DLAB=1: divisor high
    kFifoControl = 2,
    kLineControl = 3,
    kModemControl = 4,
    kLineStatus = 5,
};
constexpr uint8_t kTransmitEmpty = 0x20;

void put(char c) {
    // Bounded wait: a missing UART must not hang the kernel.
    for (unsigned spins = 0; spins < 100000 && !(inb(kCom1 + kLineStatus) & kTransmitEmpty); ++spins) {
    }
    outb(kCom1 + kData, static_cast<uint8_t>(c));
}

} // namespace

void serial_initialise() {
    outb(kCom1 + kInterruptEnable, 0x00); // no interrupts
    outb(kCom1 + kLineControl, 0x80);     // DLAB: set the divisor
    outb(kCom1 + kData, 0x01);            // 115200 baud
    outb(kCom1 + kInterruptEnable, 0x00);
    outb(kCom1 + kLineControl, 0x03);  // 8 data bits, no parity, one stop bit
    outb(kCom1 + kFifoControl, 0xc7);  // FIFOs on, cleared, 14-byte threshold
    outb(kCom1 + kModemControl, 0x03); // DTR, RTS
}

void serial_write(const char* text, size_t length) {
    for (size_t i = 0; i < length; ++i) {
        if (text[i] == '\n') put('\r');
        put(text[i]);
    }
}

} // namespace vesta::x86_64
