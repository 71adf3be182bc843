// userland/sysinit/restart_policy.cpp — RestartTracker (restart_policy.hpp).
#include "restart_policy.hpp"

namespace sysinit {

using vesta::manifest::RestartMode;

void RestartTracker::forget_before(uint64_t now_ms) {
    if (now_ms < last_now_) now_ms = last_now_;
    last_now_ = now_ms;
    while (count_ > 0 && now_ms - times_[head_] >= policy_.window_ms) {
        head_ = (head_ + 1) % vesta::manifest::kMaxRestartLimit;
        --count_;
    }
}

uint32_t RestartTracker::restarts_in_window(uint64_t now_ms) {
    forget_before(now_ms);
    return static_cast<uint32_t>(count_);
}

RestartTracker::Decision RestartTracker::on_end(uint64_t now_ms, bool failed) {
    Decision decision;
    decision.limit = policy_.limit;
    decision.window_ms = policy_.window_ms;
    if (policy_.mode == RestartMode::Never || (policy_.mode == RestartMode::OnFailure && !failed)) return decision;
    forget_before(now_ms);
    now_ms = last_now_;
    const uint32_t limit = policy_.limit < vesta::manifest::kMaxRestartLimit
                               ? policy_.limit
                               : static_cast<uint32_t>(vesta::manifest::kMaxRestartLimit);
    if (count_ >= limit) {
        decision.verdict = Verdict::GiveUp;
        decision.ends_in_window = static_cast<uint32_t>(count_) + 1;
        return decision;
    }
    times_[(head_ + count_) % vesta::manifest::kMaxRestartLimit] = now_ms;
    ++count_;
    decision.verdict = Verdict::Restart;
    decision.restart = static_cast<uint32_t>(count_);
    uint64_t delay = policy_.delay_ms;
    for (uint32_t n = 1; n < decision.restart && delay < policy_.delay_max_ms; ++n) delay *= 2;
    decision.delay_ms = delay < policy_.delay_max_ms ? delay : policy_.delay_max_ms;
    if (policy_.delay_ms > policy_.delay_max_ms) decision.delay_ms = policy_.delay_ms; // the parser forbids it
    return decision;
}

} // namespace sysinit
