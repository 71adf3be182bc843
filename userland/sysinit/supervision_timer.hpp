// userland/sysinit/supervision_timer.hpp — the clock and the one-shot timer
// sysinit's supervisor uses for the restart back-off (docs/userland.md,
// "Supervision"), without busy waiting.
//
// now_us(): microseconds since boot from the cycle counter (TSC, CNTVCT)
// and the frequency the kernel reported in RootInfo; with no frequency,
// System.Info's ticks (10 ms each).
//
// arm(delay_us): the loop's notification (notification(), which sysinit's
// ServerLoop waits on beside its endpoint) is signalled once delay_us have
// passed — at the next timer tick at the earliest for a delay above 0, and
// at once for 0. A later arm() replaces an earlier one. A signal may come
// early or twice (arm and expiry crossing): the supervisor compares the due
// times with now_us() at each signal and arms again for what is still due.
//
// How: a thread of sysinit (its priority, its own small cspace, sysinit's
// vspace) blocks in Poll on an "arm" notification with the delay as the
// timeout (ticks); a timeout means "due": it signals the loop's
// notification and waits for the next arm. Made once at start-up, before
// any process exists, so sysinit's pool changes only with what it pays for
// processes.
#pragma once

#include <stdint.h>

#include <vesta/error.hpp>

namespace sysinit {

class SupervisionTimer {
public:
    // Makes the notifications and the thread. `counter_frequency`: RootInfo's.
    vesta::Error initialise(uint64_t counter_frequency);
    uint64_t notification() const { return fire_; }
    uint64_t now_us() const;
    void arm(uint64_t delay_us);

private:
    uint64_t frequency_ = 0;
    uint64_t fire_ = 0; // the loop waits on it
    uint64_t arm_ = 0;  // the thread polls it
};

} // namespace sysinit
