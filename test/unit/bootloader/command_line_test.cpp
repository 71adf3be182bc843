// bootloader/command_line: \vesta\cmdline.txt as the kernel receives it.
#include <catch2/catch_test_macros.hpp>
#include <command_line.hpp>

#include <string>

using namespace vesta::loader;

namespace {
std::string normalised(std::string file) {
    file.push_back('?'); // the byte after the file, where the NUL goes
    const uint64_t size = normalise_command_line(file.data(), file.size() - 1);
    REQUIRE(file[size] == '\0');
    return file.substr(0, size);
}
} // namespace

TEST_CASE("the command line file is normalised to one line of words", "[bootloader]") {
    CHECK(normalised("console=serial emulator-exit\n") == "console=serial emulator-exit");
    CHECK(normalised("a\r\nb\tc") == "a  b c");
    CHECK(normalised(std::string("a\0b", 3)) == "a b");
    CHECK(normalised("   \n\n") == "");
    CHECK(normalised("") == "");
}

TEST_CASE("has_word finds whole words only", "[bootloader]") {
    const std::string line = "console=serial loader-test=mmio-over-kernel gdb";
    CHECK(has_word(line.data(), line.size(), "gdb"));
    CHECK(has_word(line.data(), line.size(), "console=serial"));
    CHECK(has_word(line.data(), line.size(), "loader-test=mmio-over-kernel"));
    CHECK_FALSE(has_word(line.data(), line.size(), "console"));
    CHECK_FALSE(has_word(line.data(), line.size(), "serial"));
    CHECK_FALSE(has_word(line.data(), line.size(), "gd"));
    CHECK_FALSE(has_word(line.data(), 0, "gdb"));
}
