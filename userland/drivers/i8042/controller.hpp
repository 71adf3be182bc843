// userland/drivers/i8042/controller.hpp — the PC's 8042 keyboard
// controller: its data port (0x60) and status/command port (0x64), reached
// through serial::Registers (IoPort capabilities in the driver, a model in
// the host tests).
//
// Contracts:
// - start() brings the controller to a known state without assuming what
//   the firmware left: it flushes the output buffer, disables both ports,
//   reads the configuration byte (command 0x20), runs the controller
//   self-test (0xAA, expects 0x55), then writes the configuration back with
//   the keyboard's interrupt on, its clock enabled, translation to set 1
//   on (firmware leaves it on; it is turned on if it was not, since the
//   decoder reads set 1) and the auxiliary (mouse) port's interrupt off and
//   the port disabled (this driver serves no mouse: its bytes would block
//   the keyboard's in the one output buffer); then it enables the keyboard
//   port, tells the keyboard to scan (0xF4) and flushes again.
//   Failures: NoController (the status port reads 0xff: nothing decodes
//   port 0x64), SelfTestFailed, Timeout (the controller never took a
//   command or never answered). Every wait is bounded (kPolls).
// - drain() reads every byte the output buffer holds (at most kMaxDrain
//   per call, so a stuck status bit cannot hang the driver), hands keyboard
//   bytes to `sink` and discards the auxiliary port's.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "serial/registers.hpp"

namespace i8042 {

enum class StartError : uint8_t { None, NoController, SelfTestFailed, Timeout };
const char* start_error_message(StartError error);

class Controller {
public:
    static constexpr uint32_t kPolls = 100000;
    static constexpr size_t kMaxDrain = 64;

    // Status register bits and the configuration byte's.
    static constexpr uint8_t kOutputFull = 1u << 0, kInputFull = 1u << 1, kAuxiliaryData = 1u << 5;
    static constexpr uint8_t kConfigKeyboardIrq = 1u << 0, kConfigAuxIrq = 1u << 1, kConfigKeyboardClockOff = 1u << 4,
                             kConfigAuxClockOff = 1u << 5, kConfigTranslate = 1u << 6;

    Controller(vesta::serial::Registers& data, vesta::serial::Registers& command) : data_(data), command_(command) {}

    StartError start();
    // The configuration byte the firmware left, and the one start() wrote.
    uint8_t firmware_config() const { return firmware_config_; }
    uint8_t config() const { return config_; }

    template <class Sink>
    void drain(Sink&& sink) {
        for (size_t i = 0; i < kMaxDrain; ++i) {
            const uint8_t status = static_cast<uint8_t>(command_.read(0));
            if (status == 0xff || !(status & kOutputFull)) return;
            const uint8_t byte = static_cast<uint8_t>(data_.read(0));
            if (!(status & kAuxiliaryData)) sink(byte);
        }
    }

private:
    // Writes `value` to `port` once the controller's input buffer is empty.
    bool send(vesta::serial::Registers& port, uint8_t value);
    bool send_command(uint8_t command) { return send(command_, command); }
    bool send_data(uint8_t value) { return send(data_, value); }
    bool receive(uint8_t* value);
    void flush();

    vesta::serial::Registers& data_;
    vesta::serial::Registers& command_;
    uint8_t firmware_config_ = 0;
    uint8_t config_ = 0;
};

} // namespace i8042
