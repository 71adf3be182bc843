// Tests of userland/lib's user::ByteRing, the one-producer, one-consumer
// byte ring of fbcon's keyboard thread (256 bytes) and the shell's reader
// (1,024): order, capacity, and the indices' wrap, against a model queue.
#include <algorithm>
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <deque>
#include <vector>

#include <user/byte_ring.hpp>

using vesta::user::ByteRing;

TEMPLATE_TEST_CASE("byte ring: bytes come out in order, never more than it holds", "[byte_ring]", ByteRing<1>,
                   ByteRing<256>, ByteRing<1024>) {
    TestType ring;
    CHECK(ring.empty());
    CHECK(ring.free_space() == TestType::kCapacity);
    std::vector<uint8_t> in(TestType::kCapacity + 5);
    for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<uint8_t>(i * 7);
    CHECK(ring.push(in.data(), in.size()) == TestType::kCapacity);
    CHECK(ring.free_space() == 0);
    CHECK_FALSE(ring.empty());
    std::deque<uint8_t> model(in.begin(), in.begin() + TestType::kCapacity);
    // Uneven pushes and pops, around the end of the storage many times,
    // against a model queue.
    uint8_t next = 0;
    for (int round = 0; round < 2000; ++round) {
        uint8_t chunk[37];
        const size_t n = ring.pop(chunk, 1 + round % sizeof(chunk));
        REQUIRE(n == std::min(model.size(), size_t{1} + round % sizeof(chunk)));
        for (size_t i = 0; i < n; ++i) {
            REQUIRE(chunk[i] == model.front());
            model.pop_front();
        }
        uint8_t fresh[29];
        const size_t want = 1 + (round * 5) % sizeof(fresh);
        for (size_t i = 0; i < want; ++i) fresh[i] = next++;
        const size_t room = ring.free_space();
        REQUIRE(room == TestType::kCapacity - model.size());
        const size_t pushed = ring.push(fresh, want);
        REQUIRE(pushed == std::min(room, want));
        model.insert(model.end(), fresh, fresh + pushed);
        next = static_cast<uint8_t>(next - (want - pushed)); // what did not fit is offered again
    }
    std::vector<uint8_t> rest(TestType::kCapacity);
    CHECK(ring.pop(rest.data(), rest.size()) == model.size());
    CHECK(ring.empty());
}
