// Tests of the drivers' chip code (pcserial's 16550, pl011's PL011,
// bcm2835-aux's mini-UART) over a recorded register file: what each
// setting programs, what each chip refuses (and that a refusal writes
// nothing), the FIFO bits that must not flush what was typed, receiving
// and transmitting by the status bits, and the 16550's presence check.
#include <catch2/catch_test_macros.hpp>

#include <deque>
#include <map>
#include <utility>
#include <vector>

#include "bcm2835-aux/mini_uart.hpp"
#include "pcserial/uart16550.hpp"
#include "pl011/pl011_uart.hpp"

namespace {

using namespace vesta;
using namespace vesta::serial;
namespace dev = vesta::proto::dev;

// Registers that remember the last value written, answer reads from a
// per-offset queue first (then the last value written), and log writes.
class RecordedRegisters final : public Registers {
public:
    std::map<uint32_t, uint32_t> value;
    std::map<uint32_t, std::deque<uint32_t>> reads;
    std::vector<std::pair<uint32_t, uint32_t>> writes;
    bool absent = false; // reads give all ones, as an empty I/O port does

    uint32_t read(uint32_t offset) override {
        if (absent) return 0xff;
        auto& queue = reads[offset];
        if (!queue.empty()) {
            const uint32_t v = queue.front();
            queue.pop_front();
            return v;
        }
        return value[offset];
    }
    void write(uint32_t offset, uint32_t v) override {
        writes.emplace_back(offset, v);
        value[offset] = v;
    }
    bool wrote(uint32_t offset) const {
        for (auto& [o, v] : writes)
            if (o == offset) return true;
        return false;
    }
};

LineSettings with(uint32_t baud, dev::char_length length, dev::stop_bits stop, dev::parity parity) {
    return LineSettings{baud, length, stop, parity};
}

TEST_CASE("16550: divisors for the speeds its clock can make", "[serial][16550]") {
    CHECK(Uart16550::divisor(115200) == 1);
    CHECK(Uart16550::divisor(38400) == 3);
    CHECK(Uart16550::divisor(9600) == 12);
    CHECK(Uart16550::divisor(50) == 2304);
    CHECK(Uart16550::divisor(0) == 0);
    CHECK(Uart16550::divisor(1000) == 0);   // 115200 / 1000 is not whole
    CHECK(Uart16550::divisor(230400) == 0); // faster than the clock
}

TEST_CASE("16550: line control for every format", "[serial][16550]") {
    using L = dev::char_length;
    using S = dev::stop_bits;
    using P = dev::parity;
    CHECK(Uart16550::line_control(with(0, L::EIGHT, S::ONE, P::NONE)) == 0x03);
    CHECK(Uart16550::line_control(with(0, L::SEVEN, S::ONE, P::EVEN)) == 0x1a);
    CHECK(Uart16550::line_control(with(0, L::SIX, S::TWO, P::ODD)) == 0x0d);
    CHECK(Uart16550::line_control(with(0, L::EIGHT, S::ONE, P::MARK)) == 0x2b);
    CHECK(Uart16550::line_control(with(0, L::EIGHT, S::ONE, P::SPACE)) == 0x3b);
    CHECK(Uart16550::line_control(with(0, L::FIVE, S::ONE, P::NONE)) == 0x00);
    CHECK(Uart16550::line_control(with(0, L::FIVE, S::TWO, P::NONE)) == -1); // 1.5 stop bits on the chip
}

TEST_CASE("16550: configure programs divisor, format, FIFO and modem control in order", "[serial][16550]") {
    RecordedRegisters r;
    Uart16550 uart(r);
    uart.set_receive_interrupt(true);
    r.writes.clear();
    REQUIRE(uart.configure(with(9600, dev::char_length::SEVEN, dev::stop_bits::ONE, dev::parity::EVEN)).ok());
    const std::vector<std::pair<uint32_t, uint32_t>> expected = {
        {Uart16550::kInterruptEnable, 0}, {Uart16550::kLineControl, 0x80},
        {Uart16550::kData, 12},           {Uart16550::kInterruptEnable, 0},
        {Uart16550::kLineControl, 0x1a},  {Uart16550::kFifoControl, 0x81},
        {Uart16550::kModemControl, 0x0b}, {Uart16550::kInterruptEnable, Uart16550::kReceiveInterrupt},
    };
    CHECK(r.writes == expected);
    // The FIFO control never asks to clear the FIFOs (bits 1, 2).
    CHECK((Uart16550::kFifoSetting & 0x06) == 0);
}

TEST_CASE("16550: refused settings write nothing", "[serial][16550]") {
    RecordedRegisters r;
    Uart16550 uart(r);
    CHECK(uart.configure(with(1000, dev::char_length::EIGHT, dev::stop_bits::ONE, dev::parity::NONE)).error() ==
          ipc::Status(dev::unsupported));
    CHECK(uart.configure(with(9600, dev::char_length::FIVE, dev::stop_bits::TWO, dev::parity::NONE)).error() ==
          ipc::Status(dev::unsupported));
    CHECK(r.writes.empty());
}

TEST_CASE("16550: presence by the scratch register", "[serial][16550]") {
    RecordedRegisters r;
    Uart16550 uart(r);
    CHECK(uart.present());
    RecordedRegisters empty;
    empty.absent = true;
    Uart16550 none(empty);
    CHECK_FALSE(none.present());
}

TEST_CASE("16550: drains while data is ready; transmits when the holding register is empty", "[serial][16550]") {
    RecordedRegisters r;
    Uart16550 uart(r);
    r.reads[Uart16550::kLineStatus] = {0x61, 0x61, 0x61, 0x60};
    r.reads[Uart16550::kData] = {'a', 'b', 'c'};
    uint8_t out[8];
    REQUIRE(uart.drain(out, sizeof(out)) == 3);
    CHECK(out[0] == 'a');
    CHECK(out[2] == 'c');
    r.reads[Uart16550::kLineStatus] = {0x01, 0x01};
    r.reads[Uart16550::kData] = {'x', 'y'};
    CHECK(uart.drain(out, 1) == 1); // stops at max, leaves the rest
    r.value[Uart16550::kLineStatus] = 0x00;
    CHECK_FALSE(uart.transmitter_ready());
    r.value[Uart16550::kLineStatus] = 0x20;
    CHECK(uart.transmitter_ready());
    uart.transmit('!');
    CHECK(r.writes.back() == std::make_pair(uint32_t{Uart16550::kData}, uint32_t{'!'}));
}

TEST_CASE("PL011: line control keeps the FIFOs on for every format", "[serial][pl011]") {
    using L = dev::char_length;
    using S = dev::stop_bits;
    using P = dev::parity;
    CHECK(Pl011Uart::line_control(with(0, L::EIGHT, S::ONE, P::NONE)) == 0x70);
    CHECK(Pl011Uart::line_control(with(0, L::SEVEN, S::TWO, P::EVEN)) == 0x5e);
    CHECK(Pl011Uart::line_control(with(0, L::FIVE, S::ONE, P::ODD)) == 0x12);
    CHECK(Pl011Uart::line_control(with(0, L::EIGHT, S::ONE, P::MARK)) == 0xf2);
    CHECK(Pl011Uart::line_control(with(0, L::EIGHT, S::ONE, P::SPACE)) == 0xf6);
}

TEST_CASE("PL011: the fixed-point divisor", "[serial][pl011]") {
    CHECK(Pl011Uart::divisor(24000000, 115200) == (13u << 6 | 1)); // QEMU virt's 24 MHz clock
    CHECK(Pl011Uart::divisor(48000000, 115200) == (26u << 6 | 3)); // the Pi's 48 MHz
    CHECK(Pl011Uart::divisor(0, 115200) == 0);                     // clock unknown
    CHECK(Pl011Uart::divisor(24000000, 0) == 0);
    CHECK(Pl011Uart::divisor(24000000, 3000000) == 0); // IBRD would be 0
    CHECK(Pl011Uart::divisor(24000000, 10) == 0);      // IBRD beyond 16 bits
}

TEST_CASE("PL011: configure keeps the firmware's speed and changes it only with a known clock", "[serial][pl011]") {
    RecordedRegisters r;
    Pl011Uart uart(r, 0, 115200);
    REQUIRE(uart.configure(LineSettings{}).ok());
    CHECK_FALSE(r.wrote(Pl011Uart::kIntegerBaud));
    CHECK(r.value[Pl011Uart::kLineControl] == 0x70);
    CHECK(r.value[Pl011Uart::kControl] ==
          (Pl011Uart::kControlEnable | Pl011Uart::kControlTransmit | Pl011Uart::kControlReceive));
    r.writes.clear();
    CHECK(uart.configure(with(9600, dev::char_length::EIGHT, dev::stop_bits::ONE, dev::parity::NONE)).error() ==
          ipc::Status(dev::unsupported));
    CHECK(r.writes.empty());

    RecordedRegisters known;
    Pl011Uart clocked(known, 24000000, 115200);
    REQUIRE(clocked.configure(with(9600, dev::char_length::EIGHT, dev::stop_bits::ONE, dev::parity::NONE)).ok());
    CHECK(known.value[Pl011Uart::kIntegerBaud] == 156);
    CHECK(known.value[Pl011Uart::kFractionalBaud] == 16);
    // IBRD/FBRD are written before LCR_H, which latches them.
    size_t ibrd = 0, lcr = 0;
    for (size_t i = 0; i < known.writes.size(); ++i) {
        if (known.writes[i].first == Pl011Uart::kIntegerBaud) ibrd = i;
        if (known.writes[i].first == Pl011Uart::kLineControl) lcr = i;
    }
    CHECK(ibrd < lcr);
}

TEST_CASE("PL011: receive by the flags, interrupts masked and cleared", "[serial][pl011]") {
    RecordedRegisters r;
    Pl011Uart uart(r, 0, 115200);
    r.reads[Pl011Uart::kFlags] = {0, 0, Pl011Uart::kFlagReceiveEmpty};
    r.reads[Pl011Uart::kData] = {0x841, 0x42}; // an overrun flag in bits 11:8 is not data
    uint8_t out[4];
    REQUIRE(uart.drain(out, sizeof(out)) == 2);
    CHECK(out[0] == 0x41);
    CHECK(out[1] == 0x42);
    uart.set_receive_interrupt(true);
    CHECK(r.value[Pl011Uart::kInterruptMask] == Pl011Uart::kReceiveInterrupts);
    uart.acknowledge_receive();
    CHECK(r.value[Pl011Uart::kInterruptClear] == Pl011Uart::kReceiveInterrupts);
    uart.set_receive_interrupt(false);
    CHECK(r.value[Pl011Uart::kInterruptMask] == 0);
    r.value[Pl011Uart::kFlags] = Pl011Uart::kFlagTransmitFull;
    CHECK_FALSE(uart.transmitter_ready());
}

TEST_CASE("mini-UART: 7 or 8 bits, one stop bit, no parity", "[serial][mini-uart]") {
    RecordedRegisters r;
    MiniUart uart(r, 0, 115200);
    REQUIRE(uart.configure(LineSettings{}).ok());
    CHECK(r.value[MiniUart::kLineControl] == MiniUart::kEightBits);
    CHECK(r.value[MiniUart::kControl] == MiniUart::kReceiverAndTransmitter);
    CHECK_FALSE(r.wrote(MiniUart::kBaud));
    REQUIRE(uart.configure(with(115200, dev::char_length::SEVEN, dev::stop_bits::ONE, dev::parity::NONE)).ok());
    CHECK(r.value[MiniUart::kLineControl] == MiniUart::kSevenBits);
    r.writes.clear();
    using L = dev::char_length;
    CHECK(!uart.configure(with(115200, L::SIX, dev::stop_bits::ONE, dev::parity::NONE)).ok());
    CHECK(!uart.configure(with(115200, L::EIGHT, dev::stop_bits::TWO, dev::parity::NONE)).ok());
    CHECK(!uart.configure(with(115200, L::EIGHT, dev::stop_bits::ONE, dev::parity::EVEN)).ok());
    CHECK(!uart.configure(with(9600, L::EIGHT, dev::stop_bits::ONE, dev::parity::NONE)).ok()); // clock unknown
    CHECK(r.writes.empty());
}

TEST_CASE("mini-UART: the baud register from a known clock", "[serial][mini-uart]") {
    CHECK(MiniUart::baud_register(250000000, 115200) == 270); // the Pi 3's core clock
    CHECK(MiniUart::baud_register(0, 115200) == -1);
    CHECK(MiniUart::baud_register(250000000, 0) == -1);
    CHECK(MiniUart::baud_register(250000000, 50) == -1); // beyond 16 bits
    RecordedRegisters r;
    MiniUart uart(r, 250000000, 115200);
    REQUIRE(uart.configure(with(9600, dev::char_length::EIGHT, dev::stop_bits::ONE, dev::parity::NONE)).ok());
    CHECK(r.value[MiniUart::kBaud] == 3254);
}

TEST_CASE("mini-UART: the receive interrupt bits survive reconfiguring", "[serial][mini-uart]") {
    RecordedRegisters r;
    MiniUart uart(r, 0, 115200);
    uart.set_receive_interrupt(true);
    CHECK(r.value[MiniUart::kInterruptEnable] == MiniUart::kReceiveInterrupt);
    REQUIRE(uart.configure(LineSettings{}).ok());
    CHECK(r.value[MiniUart::kInterruptEnable] == MiniUart::kReceiveInterrupt);
    r.reads[MiniUart::kLineStatus] = {1, 0};
    r.reads[MiniUart::kIo] = {'k'};
    uint8_t out[2];
    REQUIRE(uart.drain(out, 2) == 1);
    CHECK(out[0] == 'k');
}

} // namespace
