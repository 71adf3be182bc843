// kernel/scheduler/scheduler.hpp — per-CPU run queues (all inline): one FIFO per priority
// (0 lowest .. 255 highest) and a bitmap of non-empty queues, so enqueue,
// remove and finding the highest-priority ready task are O(1).
//
// Invariant: a task is in a run queue iff its state is Ready. The running task
// (Cpu::current) is not in any queue.
#pragma once

#include <object/task.hpp>

namespace vesta {

class Scheduler {
public:
    static constexpr size_t kPriorities = 256;

    // Inline, always: the fast paths (syscall/fast_path.cpp) use them on every
    // switch, and with many callers clang kept out-of-line copies (a call and a
    // frame per use).
    [[gnu::always_inline]] void enqueue(Task& task) { // at the back of its priority's queue
        queues_[task.priority].push_back(task);
        mark(task.priority);
    }
    [[gnu::always_inline]] void enqueue_front(Task& task) { // preempted: resumes before its peers
        queues_[task.priority].push_front(task);
        mark(task.priority);
    }
    [[gnu::always_inline]] void remove(Task& task) {
        TaskQueue& queue = queues_[task.priority];
        queue.remove(task);
        if (queue.empty()) {
            non_empty_[task.priority / 64] &= ~(uint64_t{1} << (task.priority % 64));
            if (!non_empty_[task.priority / 64]) summary_ &= ~(1u << (task.priority / 64));
        }
    }
    Task* highest() const { // null when nothing is ready
        const int priority = highest_priority();
        return priority < 0 ? nullptr : queues_[priority].front();
    }
    // The highest priority with a ready task, or -1 when nothing is ready.
    [[gnu::always_inline]] int highest_priority() const {
        if (!summary_) return -1;
        const size_t word = 31 - static_cast<size_t>(__builtin_clz(summary_));
        return static_cast<int>(word * 64 + 63 - static_cast<size_t>(__builtin_clzll(non_empty_[word])));
    }
    // highest() taken off its queue (what schedule() does with it), or null
    // when nothing is ready: one bitmap search for both.
    [[gnu::always_inline]] Task* take_highest() {
        if (!summary_) return nullptr;
        const size_t word = 31 - static_cast<size_t>(__builtin_clz(summary_));
        const size_t bit = 63 - static_cast<size_t>(__builtin_clzll(non_empty_[word]));
        TaskQueue& queue = queues_[word * 64 + bit];
        Task* task = queue.pop_front();
        if (queue.empty()) {
            non_empty_[word] &= ~(uint64_t{1} << bit);
            if (!non_empty_[word]) summary_ &= ~(1u << word);
        }
        return task;
    }
    bool empty() const { return highest() == nullptr; }
    const TaskQueue& queue(uint8_t priority) const { return queues_[priority]; } // for tests: the order

private:
    [[gnu::always_inline]] void mark(uint8_t priority) {
        non_empty_[priority / 64] |= uint64_t{1} << (priority % 64);
        summary_ |= 1u << (priority / 64);
    }
    TaskQueue queues_[kPriorities];
    uint64_t non_empty_[kPriorities / 64] = {};
    uint32_t summary_ = 0; // bit w set iff non_empty_[w] != 0
};

} // namespace vesta
