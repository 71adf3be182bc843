// userland/drivers/pcserial/uart16550.hpp — the 16550 UART of PC serial
// ports (COM1, COM2), as a serial::Uart over its eight registers.
//
// The line: a 1.8432 MHz clock divided by 16 × divisor, so speeds that
// divide 115200 (50 … 115200 baud); 5 to 8 data bits; 1 or 2 stop bits
// (with 5 data bits the chip sends 1.5 for "2": unsupported here); parity
// none, odd, even, mark or space (stick parity). FIFOs on with an 8-byte
// receive trigger: the interrupt comes at 8 bytes or after four characters'
// time of silence (the FIFO timeout), so a burst costs one interrupt per
// 8 bytes and a single keystroke still arrives at once.
#pragma once

#include "serial/registers.hpp"
#include "serial/uart.hpp"

namespace vesta::serial {

class Uart16550 final : public Uart {
public:
    // Register offsets (from the base port).
    enum Register : uint32_t {
        kData = 0,            // receive buffer / transmit holding; divisor low with DLAB
        kInterruptEnable = 1, // divisor high with DLAB
        kFifoControl = 2,     // write; reads give the interrupt identification
        kLineControl = 3,
        kModemControl = 4,
        kLineStatus = 5,
        kScratch = 7,
    };
    static constexpr uint32_t kClockDivisorBase = 115200; // 1.8432 MHz / 16
    static constexpr uint8_t kDivisorLatch = 0x80;        // LCR.DLAB
    static constexpr uint8_t kDataReady = 0x01;           // LSR.DR
    static constexpr uint8_t kTransmitterEmpty = 0x20;    // LSR.THRE
    static constexpr uint8_t kReceiveInterrupt = 0x01;    // IER: data available (and the FIFO timeout)
    // FIFO on, receive trigger 8 bytes. Bit 0 stays set as the kernel left
    // it: toggling it would clear the FIFOs and what was typed before us.
    static constexpr uint8_t kFifoSetting = 0x81;
    static constexpr uint8_t kModemSetting = 0x0b; // DTR, RTS, OUT2 (routes the interrupt on PCs)

    explicit Uart16550(Registers& registers) : registers_(registers) {}

    // A 16550 answers at these ports: the scratch register keeps what is
    // written (an absent port reads 0xff whatever was written).
    bool present();

    // The divisor for `baud`, or 0 when the clock cannot make that speed.
    static uint16_t divisor(uint32_t baud);
    // LCR for a format, or -1 when the chip cannot send it.
    static int line_control(const LineSettings& settings);

    ipc::Result<void> configure(const LineSettings& settings) override;
    bool transmitter_ready() override;
    void transmit(uint8_t byte) override;
    size_t drain(uint8_t* out, size_t max) override;
    void set_receive_interrupt(bool enabled) override;

private:
    Registers& registers_;
    uint8_t interrupt_enable_ = 0;
};

} // namespace vesta::serial
