// kernel/scheduler/timeout_wheel.cpp — placing timeouts, marking due buckets.
#include <scheduler/timeout_wheel.hpp>

namespace vesta {
namespace {

constexpr unsigned kGranularityBits = 3; // level k: buckets of 8^k ticks

uint64_t granularity_bits(unsigned level) { return uint64_t{level} * kGranularityBits; }

} // namespace

void TimeoutWheel::insert(Task& task, uint64_t deadline, uint64_t now) {
    VESTA_ASSERT(deadline > now && !contains(task));
    task.timeout_deadline = deadline;
    for (unsigned level = 0; level < kLevels; ++level) {
        const uint64_t shift = granularity_bits(level);
        const uint64_t granularity = uint64_t{1} << shift;
        // The bucket time: the deadline rounded up to this level's granularity.
        const uint64_t fire = (deadline >> shift) + ((deadline & (granularity - 1)) ? 1 : 0);
        if (fire - (now >> shift) < kSlots) {
            buckets_[level][fire % kSlots].push_back(task);
            return;
        }
    }
    // Further than the top level reaches: its last bucket, checked again then.
    const uint64_t shift = granularity_bits(kLevels - 1);
    buckets_[kLevels - 1][((now >> shift) + kSlots - 1) % kSlots].push_back(task);
}

void TimeoutWheel::mark_due(uint64_t now) {
    for (unsigned level = 0; level < kLevels; ++level) {
        const uint64_t shift = granularity_bits(level);
        if (now & ((uint64_t{1} << shift) - 1)) break; // not a multiple: nor of coarser levels
        const unsigned slot = static_cast<unsigned>((now >> shift) % kSlots);
        if (!buckets_[level][slot].empty()) due_[level] |= uint64_t{1} << slot;
    }
}

bool TimeoutWheel::empty() const {
    for (const auto& level : buckets_)
        for (const TimeoutList& bucket : level)
            if (!bucket.empty()) return false;
    return true;
}

} // namespace vesta
