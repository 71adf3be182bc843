// Tests of lib/byte_copy.hpp (the freestanding memcpy/memmove/memset loops)
// against the C library, for every alignment pair and sizes around the word
// and unrolled-block boundaries, with guard bytes around the destination.
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <lib/byte_copy.hpp>
#include <vector>

using namespace vesta::bytes;

namespace {

constexpr size_t kSizes[] = {0, 1, 2, 7, 8, 9, 15, 16, 31, 32, 33, 63, 64, 65, 100, 255, 4096, 4099};
constexpr size_t kArena = 4096 + 3 * 64;

std::vector<unsigned char> pattern(size_t size, unsigned seed) {
    std::vector<unsigned char> bytes(size);
    for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<unsigned char>(seed * 131 + i * 7 + (i >> 8));
    return bytes;
}

} // namespace

TEST_CASE("copy_bytes copies exactly the bytes asked for, at every alignment", "[lib][bytes]") {
    const auto source = pattern(kArena, 1);
    for (size_t size : kSizes)
        for (size_t from = 0; from < 16; ++from)
            for (size_t to = 0; to < 16; ++to) {
                auto got = pattern(kArena, 2), want = got;
                copy_bytes(got.data() + 16 + to, source.data() + from, size);
                std::memcpy(want.data() + 16 + to, source.data() + from, size);
                REQUIRE(got == want);
            }
}

TEST_CASE("move_bytes handles overlap in both directions", "[lib][bytes]") {
    for (size_t size : kSizes)
        for (size_t from = 0; from < 24; ++from)
            for (size_t to = 0; to < 24; ++to) {
                if (size + 24 + 8 > kArena) continue;
                auto got = pattern(kArena, 3), want = got;
                move_bytes(got.data() + to, got.data() + from, size);
                std::memmove(want.data() + to, want.data() + from, size);
                REQUIRE(got == want);
            }
}

TEST_CASE("fill_bytes fills exactly the bytes asked for, at every alignment", "[lib][bytes]") {
    for (size_t size : kSizes)
        for (size_t at = 0; at < 16; ++at)
            for (int value : {0x00, 0xa5, 0xff}) {
                auto got = pattern(kArena, 4), want = got;
                fill_bytes(got.data() + 16 + at, static_cast<unsigned char>(value), size);
                std::memset(want.data() + 16 + at, value, size);
                REQUIRE(got == want);
            }
}
