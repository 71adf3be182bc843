// The BCM2835 armctrl's line arithmetic (kernel/platform/armctrl.hpp), which
// the kernel's driver uses: lines to register bits, which pending registers
// the basic one points at (with the repeated GPU interrupts QEMU does not
// model as the hardware does), the first line pending and enabled.
#include <catch2/catch_test_macros.hpp>
#include <platform/armctrl.hpp>

using namespace vesta::platform;

TEST_CASE("armctrl lines map to register bits and back", "[armctrl]") {
    uint32_t set = 9, bit = 9;
    CHECK(armctrl::line_bit(32, set, bit));
    CHECK((set == 0 && bit == 0));
    CHECK(armctrl::line_bit(39, set, bit));
    CHECK((set == 0 && bit == 7));
    CHECK(armctrl::line_bit(93, set, bit)); // GPU 29: the AUX block
    CHECK((set == 1 && bit == 29));
    CHECK(armctrl::line_bit(127, set, bit));
    CHECK((set == 2 && bit == 31));
    for (uint32_t line : {0u, 31u, 40u, 63u, 128u, 255u, 0xffffffffu}) {
        INFO(line);
        CHECK(!armctrl::line_bit(line, set, bit));
    }
    // Every line with a source round-trips through first_line().
    for (uint32_t line = 0; line < 130; ++line) {
        if (!armctrl::line_bit(line, set, bit)) continue;
        uint32_t pending[3] = {}, enabled[3] = {};
        pending[set] = enabled[set] = 1u << bit;
        uint32_t found = 0;
        INFO(line);
        REQUIRE(armctrl::first_line(pending, enabled, found));
        CHECK(found == line);
    }
}

TEST_CASE("the basic pending register says which GPU sets to read", "[armctrl]") {
    CHECK(!armctrl::more_in(0xff, 1)); // ARM interrupts only
    CHECK(!armctrl::more_in(0xff, 2));
    CHECK(armctrl::more_in(1u << 8, 1));
    CHECK(!armctrl::more_in(1u << 8, 2));
    CHECK(armctrl::more_in(1u << 9, 2));
    // The hardware leaves repeated GPU interrupts out of bits 8 and 9: GPU 7,
    // 9, 10, 18, 19 show only in bits 10-14, GPU 53-57 and 62 in bits 15-20.
    for (uint32_t b = 10; b <= 14; ++b) {
        CHECK(armctrl::more_in(1u << b, 1));
        CHECK(!armctrl::more_in(1u << b, 2));
    }
    for (uint32_t b = 15; b <= 20; ++b) {
        CHECK(armctrl::more_in(1u << b, 2));
        CHECK(!armctrl::more_in(1u << b, 1));
    }
    CHECK(!armctrl::more_in(0xffffffff, 0));
    CHECK(!armctrl::more_in(0xffffffff, 3));
}

TEST_CASE("the first line pending and enabled is dispatched", "[armctrl]") {
    const uint32_t none[3] = {};
    uint32_t line = 0;
    CHECK(!armctrl::first_line(none, none, line));
    // Pending but not enabled (the pending words show every source): nothing.
    const uint32_t aux_pending[3] = {1u << 8, 1u << 29, 0};
    CHECK(!armctrl::first_line(aux_pending, none, line));
    const uint32_t aux_enabled[3] = {0, 1u << 29, 0};
    REQUIRE(armctrl::first_line(aux_pending, aux_enabled, line));
    CHECK(line == 93);
    // The basic word's summary and repeat bits are not ARM interrupts.
    const uint32_t summary_only[3] = {0x1fff00, 0, 0};
    const uint32_t all[3] = {0xffffffff, 0xffffffff, 0xffffffff};
    CHECK(!armctrl::first_line(summary_only, all, line));
    // Lowest line first: ARM before GPU 0-31 before GPU 32-63.
    const uint32_t several[3] = {1u << 1, 1u << 3, 1u << 0};
    REQUIRE(armctrl::first_line(several, all, line));
    CHECK(line == 33);
    const uint32_t gpu[3] = {0, 1u << 3 | 1u << 2, 1u << 0};
    REQUIRE(armctrl::first_line(gpu, all, line));
    CHECK(line == 66);
    const uint32_t high[3] = {0, 0, 1u << 30};
    REQUIRE(armctrl::first_line(high, all, line));
    CHECK(line == 126);
}
