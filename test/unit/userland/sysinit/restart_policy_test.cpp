// Tests of userland/sysinit/restart_policy: the manifest's restart policy
// applied to a driver's ends — never / on-failure / always, the back-off's
// doubling and ceiling, the limit within a sliding window, giving up.
#include <catch2/catch_test_macros.hpp>
#include <memory>
#include <restart_policy.hpp>

using sysinit::RestartTracker;
using vesta::manifest::RestartMode;
using vesta::manifest::RestartPolicy;
using Verdict = RestartTracker::Verdict;

namespace {

RestartPolicy policy(RestartMode mode, uint32_t delay, uint32_t delay_max, uint32_t limit, uint32_t window) {
    RestartPolicy p;
    p.mode = mode;
    p.delay_ms = delay;
    p.delay_max_ms = delay_max;
    p.limit = limit;
    p.window_ms = window;
    return p;
}

// The tracker holds a ring of up to 1000 times: keep it off the stack.
std::unique_ptr<RestartTracker> tracker(const RestartPolicy& p) { return std::make_unique<RestartTracker>(p); }

} // namespace

TEST_CASE("restart = never never restarts, failed or not") {
    auto t = tracker(policy(RestartMode::Never, 100, 10000, 5, 60000));
    CHECK(t->on_end(0, true).verdict == Verdict::Stay);
    CHECK(t->on_end(10, false).verdict == Verdict::Stay);
}

TEST_CASE("on-failure restarts a failed end only; always restarts every end") {
    auto on_failure = tracker(policy(RestartMode::OnFailure, 100, 10000, 5, 60000));
    CHECK(on_failure->on_end(0, false).verdict == Verdict::Stay);
    CHECK(on_failure->restarts_in_window(0) == 0); // a clean end does not count
    CHECK(on_failure->on_end(0, true).verdict == Verdict::Restart);
    auto always = tracker(policy(RestartMode::Always, 100, 10000, 5, 60000));
    CHECK(always->on_end(0, false).verdict == Verdict::Restart);
    CHECK(always->on_end(1, true).verdict == Verdict::Restart);
}

TEST_CASE("the back-off doubles from restart-delay up to restart-delay-max") {
    auto t = tracker(policy(RestartMode::OnFailure, 10, 1000, 1000, 3600000));
    const uint64_t expected[] = {10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000};
    uint64_t now = 0;
    for (uint32_t i = 0; i < 10; ++i) {
        const auto d = t->on_end(now, true);
        REQUIRE(d.verdict == Verdict::Restart);
        CHECK(d.restart == i + 1);
        CHECK(d.delay_ms == expected[i]);
        now += d.delay_ms + 1;
    }
    // Many more: the doubling stays at the ceiling, no overflow.
    for (uint32_t i = 10; i < 900; ++i) CHECK(t->on_end(now, true).delay_ms == 1000);
}

TEST_CASE("a zero delay restarts at once, every time") {
    auto t = tracker(policy(RestartMode::Always, 0, 0, 1000, 1000));
    for (int i = 0; i < 50; ++i) CHECK(t->on_end(static_cast<uint64_t>(i), true).delay_ms == 0);
}

TEST_CASE("more than restart-limit restarts within the window: give up") {
    auto t = tracker(policy(RestartMode::OnFailure, 10, 1000, 3, 10000));
    CHECK(t->on_end(0, true).restart == 1);
    CHECK(t->on_end(100, true).restart == 2);
    CHECK(t->on_end(200, true).restart == 3);
    const auto d = t->on_end(300, true);
    CHECK(d.verdict == Verdict::GiveUp);
    CHECK(d.ends_in_window == 4);
    CHECK(d.limit == 3);
    CHECK(d.window_ms == 10000);
    // It stays given up while the window holds the three restarts.
    CHECK(t->on_end(9999, true).verdict == Verdict::GiveUp);
}

TEST_CASE("restarts leave the window after restart-window ms; the back-off starts over") {
    auto t = tracker(policy(RestartMode::OnFailure, 10, 1000, 2, 1000));
    CHECK(t->on_end(0, true).delay_ms == 10);
    CHECK(t->on_end(500, true).delay_ms == 20);
    CHECK(t->on_end(900, true).verdict == Verdict::GiveUp);
    // At 1000 the restart at 0 is exactly window_ms old: no longer counted.
    CHECK(t->restarts_in_window(1000) == 1);
    const auto d = t->on_end(1000, true);
    CHECK(d.verdict == Verdict::Restart);
    CHECK(d.restart == 2);
    // Long quiet: everything left the window; the next restart is the first.
    const auto later = t->on_end(100000, true);
    CHECK(later.restart == 1);
    CHECK(later.delay_ms == 10);
}

TEST_CASE("time going back is taken as standing still") {
    auto t = tracker(policy(RestartMode::OnFailure, 10, 1000, 2, 1000));
    CHECK(t->on_end(5000, true).verdict == Verdict::Restart);
    CHECK(t->on_end(10, true).verdict == Verdict::Restart); // as if at 5000
    CHECK(t->on_end(5999, true).verdict == Verdict::GiveUp);
    CHECK(t->restarts_in_window(6000) == 0);
}

TEST_CASE("the largest limit the manifest allows fits the tracker") {
    auto t = tracker(policy(RestartMode::Always, 0, 0, vesta::manifest::kMaxRestartLimit, 3600000));
    for (uint32_t i = 0; i < vesta::manifest::kMaxRestartLimit; ++i) REQUIRE(t->on_end(i, false).restart == i + 1);
    CHECK(t->on_end(5000, false).verdict == Verdict::GiveUp);
}
