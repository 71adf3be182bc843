// kernel/scheduler/scheduler.cpp — run queues and the priority bitmap.
#include <scheduler/scheduler.hpp>

namespace vesta {

void Scheduler::mark(uint8_t priority) {
    non_empty_[priority / 64] |= uint64_t{1} << (priority % 64);
    summary_ |= 1u << (priority / 64);
}

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
    if (queue.empty()) {
        non_empty_[task.priority / 64] &= ~(uint64_t{1} << (task.priority % 64));
        if (!non_empty_[task.priority / 64]) summary_ &= ~(1u << (task.priority / 64));
    }
}

Task* Scheduler::highest() const {
    const int priority = highest_priority();
    return priority < 0 ? nullptr : queues_[priority].front();
}

} // namespace vesta
