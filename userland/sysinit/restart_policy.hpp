// userland/sysinit/restart_policy.hpp — when a supervised driver is
// restarted: the manifest's restart policy (lib/manifest.hpp RestartPolicy,
// docs/manifest.md) applied to the ends of one driver (docs/userland.md,
// "Supervision"). Portable: no system calls, time is passed in; host-tested
// in test/unit/userland/sysinit/restart_policy_test.cpp.
//
// Contract of on_end(now_ms, failed):
// - `failed`: the driver ended by a fault, by procmgr.kill with a status
//   other than 0, or by Exit with a status other than 0 (or it could not
//   be started again). restart = never never restarts; on-failure restarts
//   only a failed end; always restarts every end.
// - The limit: the restarts of the last `window_ms` milliseconds are
//   counted (a restart exactly window_ms ago no longer counts). When
//   `limit` of them have been made already, the verdict is GiveUp: the
//   driver stays down, and `ends_in_window` says how many ends the window
//   saw (the restarts plus this end).
// - The back-off: the n-th restart in the window waits
//   min(delay_ms · 2^(n−1), delay_max_ms) (no overflow: the doubling stops
//   at the ceiling). A driver that ran longer than the window without an end
//   starts again from delay_ms.
// - Time never goes back; a `now_ms` smaller than an earlier one is taken
//   as equal to it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/manifest.hpp>

namespace sysinit {

class RestartTracker {
public:
    enum class Verdict : uint8_t {
        Restart, // restart after delay_ms
        Stay,    // the policy does not restart this end (never, or on-failure and a clean end)
        GiveUp,  // the limit is reached: leave the driver down
    };
    struct Decision {
        Verdict verdict = Verdict::Stay;
        uint64_t delay_ms = 0;       // Restart: the back-off
        uint32_t restart = 0;        // Restart: its number in the window, from 1
        uint32_t limit = 0;          // the policy's limit
        uint32_t ends_in_window = 0; // GiveUp: the ends counted (limit + 1)
        uint64_t window_ms = 0;      // the policy's window
    };

    RestartTracker() = default;
    explicit RestartTracker(const vesta::manifest::RestartPolicy& policy) : policy_(policy) {}

    Decision on_end(uint64_t now_ms, bool failed);

    // Restarts made within the window ending at `now_ms` (for reports).
    uint32_t restarts_in_window(uint64_t now_ms);
    const vesta::manifest::RestartPolicy& policy() const { return policy_; }

private:
    void forget_before(uint64_t now_ms);

    vesta::manifest::RestartPolicy policy_;
    // The times of the restarts still within the window, oldest first, in a
    // ring (the manifest's limit is at most kMaxRestartLimit).
    uint64_t times_[vesta::manifest::kMaxRestartLimit] = {};
    size_t head_ = 0;
    size_t count_ = 0;
    uint64_t last_now_ = 0;
};

} // namespace sysinit
