#include <boot/command_line.hpp>
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <string>
#include <vector>

using namespace vesta;

namespace {
std::vector<std::string> unknown;
void collect(const char* word, size_t length) { unknown.emplace_back(word, length); }
KernelOptions parse(const char* text) {
    unknown.clear();
    return parse_command_line(text, std::strlen(text), collect);
}
} // namespace

TEST_CASE("the command line sets options and reports unknown words", "[command-line]") {
    auto options = parse("  console=serial emulator-exit   exit-on-ready fault-test=page bogus=1 ");
    CHECK(options.emulator_exit);
    CHECK(options.exit_on_ready);
    CHECK(options.fault_test == FaultTest::PageFault);
    CHECK(unknown == std::vector<std::string>{"bogus=1"});

    options = parse("fault-test=trap fault-test=other exit-on-ready-not");
    CHECK(options.fault_test == FaultTest::Trap);
    CHECK_FALSE(options.exit_on_ready);
    CHECK(unknown == std::vector<std::string>{"fault-test=other", "exit-on-ready-not"});

    options = parse("fault-test=stack");
    CHECK(options.fault_test == FaultTest::StackOverflow);
    options = parse("fault-test=user-access test-firmware-leftovers");
    CHECK(options.fault_test == FaultTest::UserAccess);
    CHECK(options.firmware_leftovers);
    CHECK(unknown.empty());

    options = parse("");
    CHECK_FALSE(options.emulator_exit);
    CHECK_FALSE(options.firmware_leftovers);
    CHECK(unknown.empty());
}

TEST_CASE("the command line stops at an embedded NUL", "[command-line]") {
    unknown.clear();
    const char text[] = "emulator-exit\0exit-on-ready";
    auto options = parse_command_line(text, sizeof(text) - 1, collect);
    CHECK(options.emulator_exit);
    CHECK_FALSE(options.exit_on_ready);
}
