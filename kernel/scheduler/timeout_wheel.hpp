// kernel/scheduler/timeout_wheel.hpp — per-CPU timeouts of polling tasks.
//
// A hierarchical timing wheel without cascading: kLevels levels of kSlots
// buckets; a bucket of level k covers 8^k ticks. A timeout goes into the
// first level where its deadline, rounded up to that level's granularity,
// is fewer than kSlots buckets ahead, so it fires at that rounded time: never
// early, and late by less than an eighth of its length (a timeout under 64
// ticks is exact). Each tick marks the buckets that became due (at most one
// per level) and drains due buckets with a budget of wakeups; a task found
// there whose deadline has not come (a far timeout clamped into the top
// level) is put back.
//
// Costs: insert and remove O(1), whatever other tasks queued; a tick does
// O(kLevels) work plus at most kWakeupsPerTick wakeups — a task that would be
// woken beyond that budget is woken on a later tick (late, never early).
#pragma once

#include <object/task.hpp>

namespace vesta {

class TimeoutWheel {
public:
    static constexpr unsigned kLevels = 12;
    static constexpr unsigned kSlots = 64;
    static constexpr uint32_t kWakeupsPerTick = 1024;

    // Queue `task` to time out at tick `deadline` (> now); it must not be queued (both asserted).
    void insert(Task& task, uint64_t deadline, uint64_t now);
    void remove(Task& task) { TimeoutList::unlink(task); }
    static bool contains(const Task& task) { return TimeoutList::linked(task); }
    bool empty() const;

    // Called once per tick with the new time: wake (through `expire(task)`)
    // tasks whose deadline has come, within the budget. `expire` must take
    // the task off the wheel (remove) before returning.
    template <class Expire>
    void tick(uint64_t now, Expire expire) {
        mark_due(now);
        uint32_t budget = kWakeupsPerTick;
        for (unsigned level = 0; level < kLevels && budget; ++level) {
            while (due_[level] && budget) {
                const unsigned slot = static_cast<unsigned>(__builtin_ctzll(due_[level]));
                TimeoutList& bucket = buckets_[level][slot];
                while (Task* task = bucket.front()) {
                    if (!budget) return;
                    --budget;
                    if (task->timeout_deadline <= now) {
                        expire(*task);
                    } else { // clamped far timeout: not yet
                        bucket.remove(*task);
                        insert(*task, task->timeout_deadline, now);
                    }
                }
                due_[level] &= ~(uint64_t{1} << slot);
            }
        }
    }

private:
    void mark_due(uint64_t now);

    TimeoutList buckets_[kLevels][kSlots];
    uint64_t due_[kLevels] = {}; // per level: buckets whose time came, not yet drained
};

} // namespace vesta
