#include <catch2/catch_test_macros.hpp>
#include <lib/utility.hpp>

using namespace vesta;

TEST_CASE("alignment helpers round to powers of two", "[lib][utility]") {
    CHECK(align_down(0x1fff, 0x1000) == 0x1000);
    CHECK(align_up(0x1001, 0x1000) == 0x2000);
    CHECK(align_up(0x1000, 0x1000) == 0x1000);
    CHECK(is_aligned(0x3000, 0x1000));
    CHECK_FALSE(is_aligned(0x3008, 0x1000));
    CHECK(is_power_of_two(4096));
    CHECK_FALSE(is_power_of_two(0));
    CHECK_FALSE(is_power_of_two(12));
}

TEST_CASE("checked arithmetic reports overflow", "[lib][utility]") {
    uint64_t out = 0;
    CHECK(checked_add(1, 2, &out));
    CHECK(out == 3);
    CHECK_FALSE(checked_add(UINT64_MAX, 1, &out));
    CHECK_FALSE(checked_mul(UINT64_MAX / 2, 3, &out));
    CHECK(checked_align_up(0x1001, 0x1000, &out));
    CHECK(out == 0x2000);
    CHECK_FALSE(checked_align_up(UINT64_MAX - 5, 0x1000, &out));
}

#include <lib/string.hpp>

TEST_CASE("string helpers compare NUL-terminated and counted strings", "[lib][string]") {
    STATIC_CHECK(vesta::string_length("vesta") == 5);
    STATIC_CHECK(vesta::strings_equal("root", "root"));
    STATIC_CHECK_FALSE(vesta::strings_equal("root", "roo"));
    STATIC_CHECK_FALSE(vesta::strings_equal("roo", "root"));
    STATIC_CHECK(vesta::equals_bytes("page", "page=1", 4));
    STATIC_CHECK_FALSE(vesta::equals_bytes("page", "pag", 3));
    STATIC_CHECK_FALSE(vesta::equals_bytes("pa", "page", 4));
    STATIC_CHECK(vesta::starts_with("cap.copy", "cap."));
    STATIC_CHECK(vesta::starts_with("cap", ""));
    STATIC_CHECK_FALSE(vesta::starts_with("ca", "cap"));
}
