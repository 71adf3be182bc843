// kernel/ipc/poll.cpp — waiting on several objects at once, with a timeout.
#include <ipc/ipc.hpp>

namespace vesta {
namespace {

PollerList& pollers_of(Object& object) {
    if (object.type == ObjectType::Endpoint) return static_cast<Endpoint&>(object).pollers;
    return static_cast<Notification&>(object).pollers;
}

} // namespace

void finish_poll(Cpu& cpu, Task& task, Error error) {
    uint64_t mask = 0;
    for (uint32_t i = 0; i < task.poll_count; ++i) {
        PollEntry& entry = task.poll_entries[i];
        if (error == Error::None && poll_ready(*entry.object)) mask |= uint64_t{1} << i;
        pollers_of(*entry.object).remove(entry);
        entry.object = nullptr;
    }
    task.poll_count = 0;
    if (TimeoutWheel::contains(task)) home_cpu(cpu, task).timeouts.remove(task);
    task.set_status(error);
    task.set_register(reg::kExtra, mask);
    make_ready(cpu, task);
}

bool poll_ready(const Object& object) {
    if (object.type == ObjectType::Endpoint) return !static_cast<const Endpoint&>(object).senders.empty();
    return static_cast<const Notification&>(object).bits != 0;
}

void block_poll(Cpu& cpu, Task& task, uint64_t timeout) {
    VESTA_ASSERT(timeout > 0);
    for (uint32_t i = 0; i < task.poll_count; ++i) {
        PollEntry& entry = task.poll_entries[i];
        entry.task = &task;
        pollers_of(*entry.object).push_back(entry);
    }
    task.state = TaskState::BlockedPoll;
    if (timeout != kNoTimeout) {
        Cpu& home = home_cpu(cpu, task);
        uint64_t deadline;
        if (!checked_add(home.now, timeout, &deadline)) deadline = ~uint64_t{0};
        home.timeouts.insert(task, deadline, home.now);
    }
}

void wake_pollers(Cpu& cpu, PollerList& pollers, Error error) {
    while (PollEntry* entry = pollers.front()) finish_poll(cpu, *entry->task, error);
}

void expire_timeouts(Cpu& cpu) {
    cpu.timeouts.tick(cpu.now, [&cpu](Task& task) { finish_poll(cpu, task, Error::TimedOut); });
}

void cancel_poll(Cpu& cpu, Task& task) {
    for (uint32_t i = 0; i < task.poll_count; ++i) {
        PollEntry& entry = task.poll_entries[i];
        pollers_of(*entry.object).remove(entry);
        entry.object = nullptr;
    }
    task.poll_count = 0;
    if (TimeoutWheel::contains(task)) home_cpu(cpu, task).timeouts.remove(task);
}

} // namespace vesta
