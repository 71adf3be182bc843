// userland/drivers/serial/uart.hpp — what a serial driver implements for its
// hardware, and the line settings it programs. The shared core (SerialPort,
// serial_port.hpp) speaks dev::serial and io::file over this interface;
// a driver (pcserial, pl011, bcm2835-aux) is a Uart plus its main().
//
// Portable and freestanding: the host tests drive the core through a fake
// Uart (test/unit/drivers/serial/).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <dev/serial.ipc.hpp>

namespace vesta::serial {

namespace dev = proto::dev;

// A line's settings, as dev::serial names them.
struct LineSettings {
    uint32_t baud = 115200;
    dev::char_length length = dev::char_length::EIGHT;
    dev::stop_bits stop_bits = dev::stop_bits::ONE;
    dev::parity parity = dev::parity::NONE;

    friend constexpr bool operator==(const LineSettings&, const LineSettings&) = default;
};

// One UART. Every member is called from the driver's one serving thread.
class Uart {
public:
    // Program the line with `settings`: character format, speed, FIFOs on.
    // Contract (decide, then act): a setting the hardware cannot do returns
    // dev::unsupported and changes nothing; on success the receive interrupt
    // is as it was before the call.
    virtual ipc::Result<void> configure(const LineSettings& settings) = 0;

    // The transmitter has room for one more byte.
    virtual bool transmitter_ready() = 0;
    // Hand one byte to the transmitter. Contract: transmitter_ready().
    virtual void transmit(uint8_t byte) = 0;

    // Move up to `max` received bytes from the hardware into `out`, oldest
    // first; returns how many (0: none waiting). Reading them is what clears
    // the hardware's receive interrupt condition.
    virtual size_t drain(uint8_t* out, size_t max) = 0;

    // Enable or disable the receive interrupt (data available and, where the
    // hardware has one, the receive timeout).
    virtual void set_receive_interrupt(bool enabled) = 0;

    // Clear interrupt state the hardware keeps after drain() (PL011's ICR);
    // most UARTs need nothing.
    virtual void acknowledge_receive() {}

protected:
    Uart() = default;
    Uart(const Uart&) = default;
    Uart& operator=(const Uart&) = default;
    ~Uart() = default;
};

} // namespace vesta::serial
