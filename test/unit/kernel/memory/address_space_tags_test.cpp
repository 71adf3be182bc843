// Tests of kernel/memory/address_space_tags: numbers, generations, the
// reserved numbers of a rollover, and — against a model of each CPU's TLB —
// that no CPU can ever hit a translation another space left under a number.
#include <catch2/catch_test_macros.hpp>
#include <map>
#include <memory/address_space_tags.hpp>
#include <memory>
#include <random>
#include <set>
#include <vector>

using namespace vesta;

TEST_CASE("tags: a space keeps its number while its generation lasts; live spaces never share one", "[tags]") {
    auto tags = std::make_unique<AddressSpaceTags>();
    tags->initialise(16, 1);
    std::vector<SpaceTag> spaces(10);
    std::set<uint32_t> numbers;
    for (SpaceTag& space : spaces) {
        const auto a = tags->activate(space, 0);
        CHECK(a.fresh);
        CHECK(a.number != 0);
        CHECK(a.number < 16);
        numbers.insert(a.number);
    }
    CHECK(numbers.size() == spaces.size());
    CHECK(tags->in_use() == 10);
    const auto again = tags->activate(spaces[3], 0);
    CHECK(!again.fresh);
    CHECK(again.number == AddressSpaceTags::number(spaces[3]));

    // A released number goes back to the pool and comes out fresh.
    const uint32_t freed = AddressSpaceTags::number(spaces[5]);
    tags->release(spaces[5]);
    CHECK(spaces[5].value == 0);
    CHECK(tags->in_use() == 9);
    SpaceTag newcomer;
    for (int i = 0; i < 5; ++i) { // 5 free numbers plus the released one: the released one is among them
        SpaceTag s;
        const auto a = tags->activate(s, 0);
        CHECK(a.fresh);
        if (a.number == freed) newcomer = s;
    }
    CHECK(newcomer.value != 0);
}

TEST_CASE("tags: when every number is taken a new generation begins; the running space keeps its number", "[tags]") {
    auto tags = std::make_unique<AddressSpaceTags>();
    tags->initialise(4, 2); // numbers 1..3; two CPUs
    SpaceTag a, b, c, d;
    CHECK(tags->activate(a, 0).number == 1);
    CHECK(tags->activate(b, 1).number == 2); // CPU 1 runs b
    CHECK(tags->activate(c, 0).number == 3); // CPU 0 runs c
    const uint64_t first = tags->generation();
    const auto rolled = tags->activate(d, 0); // no number left
    CHECK(tags->generation() == first + 1);
    CHECK(rolled.fresh);
    // b (CPU 1) and c (CPU 0 until now) keep theirs; d gets the one left.
    CHECK(rolled.number == 1);
    // b comes back under 2 without a fresh flush.
    const auto back = tags->activate(b, 1);
    CHECK(back.number == 2);
    CHECK(!back.fresh);
    // a lost its number. 1 (d), 2 (b) and 3 (kept for c, which CPU 0 ran at the
    // rollover) are taken: another rollover keeps what each CPU runs now (d on
    // CPU 0, b on CPU 1) and frees 3 for a.
    const auto a_again = tags->activate(a, 1);
    CHECK(a_again.fresh);
    CHECK(a_again.number == 3);
    CHECK(tags->generation() == first + 2);
    // d kept its number across the second rollover (CPU 0 still runs it).
    const auto d_again = tags->activate(d, 0);
    CHECK(d_again.number == 1);
    CHECK(!d_again.fresh);
}

TEST_CASE("tags: releasing a space kept through a rollover frees its number", "[tags]") {
    auto tags = std::make_unique<AddressSpaceTags>();
    tags->initialise(3, 1); // numbers 1, 2
    SpaceTag a, b, c;
    tags->activate(a, 0);
    tags->activate(b, 0); // CPU 0 runs b (2)
    tags->activate(c, 0); // rollover: b's 2 is kept, c gets 1
    CHECK(tags->in_use() == 2);
    tags->release(b); // b was never run again
    CHECK(tags->in_use() == 1);
    SpaceTag e;
    const auto got = tags->activate(e, 0);
    CHECK(got.number == 2);
    CHECK(got.fresh);
}

// The safety property, against a model: each CPU's TLB holds (number → space)
// translations, never flushed but for activate's `fresh` (that number on
// every CPU, as the backends do); running a space must never find another
// space's translation under its number on that CPU.
TEST_CASE("tags: random switches and deaths on 4 CPUs never expose another space's translations", "[tags]") {
    for (uint32_t count : {3u, 8u, 64u, 256u}) {
        const uint32_t cpus = count == 3 ? 1 : 4;
        auto tags = std::make_unique<AddressSpaceTags>();
        tags->initialise(count, cpus);
        std::mt19937 random(count);
        struct Space {
            SpaceTag tag;
            bool alive = false;
        };
        std::vector<Space> spaces(count * 3);
        std::vector<std::map<uint32_t, size_t>> tlb(cpus);
        std::vector<long> running(cpus, -1);
        uint64_t rollovers = 0, generation = tags->generation();
        for (int step = 0; step < 20000; ++step) {
            const uint32_t cpu = random() % cpus;
            const size_t index = random() % spaces.size();
            Space& space = spaces[index];
            bool runs_somewhere = false;
            for (long r : running) runs_somewhere |= r == static_cast<long>(index);
            if (space.alive && !runs_somewhere && random() % 8 == 0) {
                tags->release(space.tag); // dies
                space.alive = false;
                continue;
            }
            space.alive = true;
            const auto a = tags->activate(space.tag, cpu);
            REQUIRE(a.number != 0);
            REQUIRE(a.number < count);
            if (a.fresh)
                for (auto& cpu_tlb : tlb) cpu_tlb.erase(a.number);
            auto hit = tlb[cpu].find(a.number);
            if (hit != tlb[cpu].end()) REQUIRE(hit->second == index);
            // No other CPU runs another space under this number.
            for (uint32_t other = 0; other < cpus; ++other) {
                if (other == cpu || running[other] < 0 || running[other] == static_cast<long>(index)) continue;
                REQUIRE(AddressSpaceTags::number(spaces[running[other]].tag) != a.number);
            }
            tlb[cpu][a.number] = index;
            running[cpu] = static_cast<long>(index);
            if (tags->generation() != generation) ++rollovers, generation = tags->generation();
        }
        INFO("count " << count);
        CHECK(rollovers > 0);
    }
}
