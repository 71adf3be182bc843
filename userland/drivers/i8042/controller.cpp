// userland/drivers/i8042/controller.cpp — Controller (controller.hpp).
#include "controller.hpp"

namespace i8042 {

namespace {
constexpr uint8_t kReadConfig = 0x20, kWriteConfig = 0x60, kDisableAux = 0xa7, kSelfTest = 0xaa, kEnableKeyboard = 0xae,
                  kDisableKeyboard = 0xad;
constexpr uint8_t kSelfTestPassed = 0x55, kKeyboardEnableScanning = 0xf4;
} // namespace

const char* start_error_message(StartError error) {
    switch (error) {
    case StartError::None: return "ready";
    case StartError::NoController: return "no PS/2 controller (port 0x64 reads 0xff)";
    case StartError::SelfTestFailed: return "the PS/2 controller failed its self-test";
    case StartError::Timeout: return "the PS/2 controller does not answer";
    }
    return "?";
}

bool Controller::send(vesta::serial::Registers& port, uint8_t value) {
    for (uint32_t i = 0; i < kPolls; ++i) {
        if (!(command_.read(0) & kInputFull)) {
            port.write(0, value);
            return true;
        }
    }
    return false;
}

bool Controller::receive(uint8_t* value) {
    for (uint32_t i = 0; i < kPolls; ++i) {
        if (command_.read(0) & kOutputFull) {
            *value = static_cast<uint8_t>(data_.read(0));
            return true;
        }
    }
    return false;
}

void Controller::flush() {
    for (size_t i = 0; i < kMaxDrain && (command_.read(0) & kOutputFull); ++i) (void)data_.read(0);
}

StartError Controller::start() {
    if ((command_.read(0) & 0xff) == 0xff) return StartError::NoController;
    flush();
    if (!send_command(kDisableKeyboard) || !send_command(kDisableAux)) return StartError::Timeout;
    flush();
    uint8_t config = 0;
    if (!send_command(kReadConfig) || !receive(&config)) return StartError::Timeout;
    firmware_config_ = config;
    uint8_t answer = 0;
    if (!send_command(kSelfTest) || !receive(&answer)) return StartError::Timeout;
    if (answer != kSelfTestPassed) return StartError::SelfTestFailed;
    config = static_cast<uint8_t>((config | kConfigKeyboardIrq | kConfigTranslate | kConfigAuxClockOff) &
                                  ~(kConfigAuxIrq | kConfigKeyboardClockOff));
    // The self-test may reset the configuration on real controllers: write it either way.
    if (!send_command(kWriteConfig) || !send_data(config)) return StartError::Timeout;
    config_ = config;
    if (!send_command(kEnableKeyboard)) return StartError::Timeout;
    // Scanning on (the keyboard answers 0xFA, which the decoder ignores and flush() drops).
    if (!send_data(kKeyboardEnableScanning)) return StartError::Timeout;
    uint8_t ack = 0;
    (void)receive(&ack); // a keyboard that does not answer is not the controller's fault
    flush();
    return StartError::None;
}

} // namespace i8042
