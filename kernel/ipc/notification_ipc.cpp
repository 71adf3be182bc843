// kernel/ipc/notification_ipc.cpp — signal and wait.
#include <ipc/ipc.hpp>

namespace vesta {

void signal(Cpu& cpu, Notification& notification, uint64_t badge) {
    uint64_t value = badge ? badge : 1;
    if (Task* waiter = notification.waiters.pop_front()) {
        waiter->blocked_on = nullptr;
        waiter->set_status(Error::None);
        waiter->set_register(reg::kExtra, notification.bits | value);
        notification.bits = 0;
        make_ready(cpu, *waiter);
        return;
    }
    notification.bits |= value;
    wake_pollers(cpu, notification.pollers);
}

void wait(Cpu&, Task& task, Notification& notification) {
    if (notification.bits) {
        task.set_status(Error::None);
        task.set_register(reg::kExtra, notification.bits);
        notification.bits = 0;
        return;
    }
    task.state = TaskState::BlockedNotification;
    task.blocked_on = &notification;
    notification.waiters.push_back(task);
}

} // namespace vesta
