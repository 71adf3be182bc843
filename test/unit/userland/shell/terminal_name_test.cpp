// Tests of userland/shell/terminal_name: the device usrinit names in the
// shell's argv[1] (serial0, console0) and every refusal.
#include <catch2/catch_test_macros.hpp>
#include <cstring>

#include <dev/console.ipc.hpp>
#include <dev/serial.ipc.hpp>

#include "terminal_name.hpp"

using shell::parse_terminal_name;
using shell::TerminalDevice;
namespace dev = vesta::proto::dev;

TEST_CASE("terminal name: serial and console devices with their index", "[shell]") {
    TerminalDevice device;
    REQUIRE(parse_terminal_name("serial0", &device));
    CHECK(device.interface_id == dev::serial::kId);
    CHECK(device.index == 0);
    CHECK(std::strcmp(device.name, "serial0") == 0);
    REQUIRE(parse_terminal_name("console0", &device));
    CHECK(device.interface_id == dev::console::kId);
    CHECK(device.index == 0);
    CHECK(std::strcmp(device.name, "console0") == 0);
    REQUIRE(parse_terminal_name("serial1", &device));
    CHECK(device.interface_id == dev::serial::kId);
    CHECK(device.index == 1);
    REQUIRE(parse_terminal_name("console255", &device));
    CHECK(device.index == 255);
    CHECK(std::strcmp(device.name, "console255") == 0);
}

TEST_CASE("terminal name: no argument is serial0", "[shell]") {
    TerminalDevice device;
    REQUIRE(parse_terminal_name(nullptr, &device));
    CHECK(device.interface_id == dev::serial::kId);
    CHECK(device.index == 0);
    CHECK(std::strcmp(device.name, "serial0") == 0);
}

TEST_CASE("terminal name: anything else is refused and leaves the device as it was", "[shell]") {
    for (const char* bad : {"", "serial", "console", "keyboard0", "serial-1", "serial01", "console00", "serial256",
                            "console99999999999", "serial0 ", " serial0", "Serial0", "serial0x", "consol0", "s"}) {
        TerminalDevice device;
        device.index = 77;
        INFO(bad);
        CHECK_FALSE(parse_terminal_name(bad, &device));
        CHECK(device.index == 77);
        CHECK(device.interface_id == 0);
    }
}
