// The per-CPU timeout wheel: never early, boundedly late, O(1) to queue.
#include <catch2/catch_test_macros.hpp>
#include <memory>
#include <random>
#include <vector>

#include <scheduler/timeout_wheel.hpp>

using namespace vesta;

namespace {

struct Clock {
    TimeoutWheel wheel;
    uint64_t now = 0;
    std::vector<std::pair<Task*, uint64_t>> fired; // task, tick

    void advance_to(uint64_t until) {
        while (now < until) {
            ++now;
            wheel.tick(now, [&](Task& task) {
                wheel.remove(task);
                fired.emplace_back(&task, now);
            });
        }
    }
};

} // namespace

TEST_CASE("timeouts under 64 ticks fire on their tick exactly", "[timeout]") {
    Clock clock;
    clock.now = 1000;
    auto tasks = std::make_unique<Task[]>(64);
    for (uint64_t i = 1; i < 64; ++i) clock.wheel.insert(tasks[i], clock.now + i, clock.now);
    clock.advance_to(1100);
    REQUIRE(clock.fired.size() == 63);
    for (auto [task, tick] : clock.fired) CHECK(tick == task->timeout_deadline);
    CHECK(clock.wheel.empty());
}

TEST_CASE("longer timeouts are never early and late by less than an eighth", "[timeout]") {
    Clock clock;
    clock.now = 12345;
    constexpr size_t kCount = 3000;
    auto tasks = std::make_unique<Task[]>(kCount);
    std::mt19937_64 random(7);
    std::vector<uint64_t> length(kCount);
    for (size_t i = 0; i < kCount; ++i) {
        length[i] = 1 + random() % (1u << (random() % 20));
        clock.wheel.insert(tasks[i], clock.now + length[i], clock.now);
    }
    const uint64_t start = clock.now;
    clock.advance_to(start + (1u << 20) + (1u << 18));
    REQUIRE(clock.fired.size() == kCount);
    for (auto [task, tick] : clock.fired) {
        const size_t i = static_cast<size_t>(task - tasks.get());
        CHECK(tick >= start + length[i]);
        CHECK(tick - (start + length[i]) <= length[i] / 7 + 1);
    }
}

TEST_CASE("removal, far deadlines and more wakeups than one tick allows", "[timeout]") {
    Clock clock;
    auto tasks = std::make_unique<Task[]>(4000);
    SECTION("a removed timeout never fires") {
        clock.wheel.insert(tasks[0], 10, 0);
        clock.wheel.insert(tasks[1], 500, 0);
        CHECK(TimeoutWheel::contains(tasks[0]));
        clock.wheel.remove(tasks[0]);
        clock.wheel.remove(tasks[1]);
        CHECK_FALSE(TimeoutWheel::contains(tasks[0]));
        clock.advance_to(1000);
        CHECK(clock.fired.empty());
    }
    SECTION("deadlines beyond the top level wait there, not firing early") {
        clock.wheel.insert(tasks[0], uint64_t{1} << 45, 0);
        clock.wheel.insert(tasks[1], ~uint64_t{0}, 0); // "forever" saturates
        clock.wheel.insert(tasks[2], 70000, 0);
        clock.advance_to(80000);
        REQUIRE(clock.fired.size() == 1);
        CHECK(clock.fired[0].first == &tasks[2]);
        CHECK(TimeoutWheel::contains(tasks[0]));
        CHECK(TimeoutWheel::contains(tasks[1]));
    }
    SECTION("a herd due on one tick is woken over several ticks, none early, none lost") {
        for (int i = 0; i < 4000; ++i) clock.wheel.insert(tasks[i], 20, 0);
        clock.advance_to(20);
        CHECK(clock.fired.size() == TimeoutWheel::kWakeupsPerTick);
        clock.advance_to(30);
        CHECK(clock.fired.size() == 4000);
        for (auto [task, tick] : clock.fired) CHECK(tick >= 20);
    }
}
