// kernel/scheduler/scheduler.cpp — run queues and the priority bitmap.
#include <scheduler/scheduler.hpp>

namespace vesta {

void Scheduler::mark(uint8_t priority) { non_empty_[priority / 64] |= uint64_t{1} << (priority % 64); }

void Scheduler::enqueue(Task& task) {
    queues_[task.priority].push_back(task);
    mark(task.priority);
}

void Scheduler::enqueue_front(Task& task) {
    queues_[task.priority].push_front(task);
    mark(task.priority);
}

void Scheduler::remove(Task& task) {
    TaskQueue& queue = queues_[task.priority];
    queue.remove(task);
    if (queue.empty()) non_empty_[task.priority / 64] &= ~(uint64_t{1} << (task.priority % 64));
}

Task* Scheduler::highest() const {
    for (size_t word = kPriorities / 64; word-- > 0;) {
        if (non_empty_[word]) {
            size_t bit = 63 - static_cast<size_t>(__builtin_clzll(non_empty_[word]));
            return queues_[word * 64 + bit].front();
        }
    }
    return nullptr;
}

} // namespace vesta
