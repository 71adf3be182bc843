// Tests of userland/drivers/i8042/controller: start-up against a model of
// the 8042 (commands, the configuration byte, self-test, the keyboard's
// acknowledgement), a missing controller, a failed self-test, a controller
// that never answers, and draining that drops the mouse's bytes.
#include <catch2/catch_test_macros.hpp>
#include <deque>
#include <string>
#include <vector>

#include "controller.hpp"

namespace {

using i8042::Controller;
using i8042::StartError;

// The 8042 as QEMU models it, enough for start(): one output buffer queue,
// commands on port 0x64, data on 0x60.
struct Model {
    std::deque<std::pair<uint8_t, bool>> output; // byte, from the auxiliary port
    uint8_t config = 0x61;                       // what OVMF leaves: translate, keyboard IRQ, aux clock off
    uint8_t pending_command = 0;
    bool absent = false, self_test_fails = false, deaf = false, keyboard_enabled = true, scanning = false;
    std::vector<uint8_t> commands;

    uint32_t status() const {
        if (absent) return 0xff;
        uint32_t s = deaf ? Controller::kInputFull : 0;
        if (!output.empty()) s |= Controller::kOutputFull | (output.front().second ? Controller::kAuxiliaryData : 0);
        return s;
    }
    uint32_t read_data() {
        if (absent) return 0xff;
        if (output.empty()) return 0;
        const uint8_t b = output.front().first;
        output.pop_front();
        return b;
    }
    void command(uint8_t c) {
        commands.push_back(c);
        switch (c) {
        case 0x20: output.push_back({config, false}); break;
        case 0x60: pending_command = 0x60; break;
        case 0xaa: output.push_back({self_test_fails ? 0xfc : 0x55, false}); break;
        case 0xad: keyboard_enabled = false; break;
        case 0xae: keyboard_enabled = true; break;
        default: break;
        }
    }
    void data(uint8_t d) {
        if (pending_command == 0x60) {
            config = d;
            pending_command = 0;
            return;
        }
        if (d == 0xf4) {
            scanning = true;
            output.push_back({0xfa, false});
        }
    }
};

struct DataPort final : vesta::serial::Registers {
    Model& m;
    explicit DataPort(Model& model) : m(model) {}
    uint32_t read(uint32_t) override { return m.read_data(); }
    void write(uint32_t, uint32_t value) override { m.data(static_cast<uint8_t>(value)); }
};
struct CommandPort final : vesta::serial::Registers {
    Model& m;
    explicit CommandPort(Model& model) : m(model) {}
    uint32_t read(uint32_t) override { return m.status(); }
    void write(uint32_t, uint32_t value) override { m.command(static_cast<uint8_t>(value)); }
};

struct Fixture {
    Model model;
    DataPort data{model};
    CommandPort command{model};
    Controller controller{data, command};
};

} // namespace

TEST_CASE("i8042 controller: start flushes, keeps translation, enables the keyboard's interrupt, disables the mouse") {
    Fixture f;
    f.model.output.push_back({0x1e, false}); // left from the firmware
    f.model.output.push_back({0x08, true});  // a mouse byte
    REQUIRE(f.controller.start() == StartError::None);
    CHECK(f.controller.firmware_config() == 0x61);
    CHECK(f.model.config ==
          (Controller::kConfigKeyboardIrq | Controller::kConfigTranslate | Controller::kConfigAuxClockOff));
    CHECK(f.controller.config() == f.model.config);
    CHECK(f.model.keyboard_enabled);
    CHECK(f.model.scanning);
    CHECK(f.model.output.empty()); // the keyboard's 0xFA was flushed
    CHECK(f.model.commands == std::vector<uint8_t>{0xad, 0xa7, 0x20, 0xaa, 0x60, 0xae});
}

TEST_CASE("i8042 controller: translation off and a disabled keyboard clock are corrected, not assumed") {
    Fixture f;
    f.model.config = 0x10 | 0x02; // keyboard clock off, aux IRQ on, no translation
    REQUIRE(f.controller.start() == StartError::None);
    CHECK(f.controller.firmware_config() == 0x12);
    CHECK(f.model.config ==
          (Controller::kConfigKeyboardIrq | Controller::kConfigTranslate | Controller::kConfigAuxClockOff));
}

TEST_CASE("i8042 controller: no controller, a failed self-test, a controller that never takes a command") {
    Fixture absent;
    absent.model.absent = true;
    CHECK(absent.controller.start() == StartError::NoController);
    CHECK(absent.model.commands.empty());
    Fixture failing;
    failing.model.self_test_fails = true;
    CHECK(failing.controller.start() == StartError::SelfTestFailed);
    Fixture deaf;
    deaf.model.deaf = true;
    CHECK(deaf.controller.start() == StartError::Timeout);
    CHECK(std::string(i8042::start_error_message(StartError::NoController)).find("0xff") != std::string::npos);
}

TEST_CASE("i8042 controller: drain hands over keyboard bytes, drops the mouse's, and is bounded") {
    Fixture f;
    REQUIRE(f.controller.start() == StartError::None);
    f.model.output = {{0x1e, false}, {0x09, true}, {0x9e, false}};
    std::vector<uint8_t> got;
    f.controller.drain([&](uint8_t b) { got.push_back(b); });
    CHECK(got == std::vector<uint8_t>{0x1e, 0x9e});
    for (int i = 0; i < 500; ++i) f.model.output.push_back({0x1e, false});
    got.clear();
    f.controller.drain([&](uint8_t b) { got.push_back(b); });
    CHECK(got.size() == Controller::kMaxDrain);
}
