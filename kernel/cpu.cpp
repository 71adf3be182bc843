// kernel/cpu.cpp — making tasks ready, detaching them, choosing the next one.
#include <cpu.hpp>
#include <ipc/ipc.hpp>
#include <smp/cross_cpu.hpp>

namespace vesta {

void make_ready(Cpu& cpu, Task& task) {
    if (!task.home) task.home = &cpu;
    Cpu& home = *task.home;
    task.state = TaskState::Ready;
    home.scheduler.enqueue(task);
    if (&home != &cpu && (!home.current || home.current->priority < task.priority)) request_reschedule(cpu, home);
}

void detach_task(Cpu& cpu, Task& task) {
    settle_task(cpu, task); // running elsewhere: now Ready there
    switch (task.state) {
    case TaskState::Ready: home_cpu(cpu, task).scheduler.remove(task); break;
    case TaskState::Running: break;
    case TaskState::BlockedSend: static_cast<Endpoint*>(task.blocked_on)->senders.remove(task); break;
    case TaskState::BlockedReceive:
        static_cast<Endpoint*>(task.blocked_on)->receivers.remove(task);
        if (Reply* reply = task.reply) {
            task.reply = nullptr;
            reply->receiver = nullptr;
        }
        break;
    case TaskState::BlockedReply:
        task.reply->caller = nullptr;
        task.reply = nullptr;
        break;
    case TaskState::BlockedNotification: static_cast<Notification*>(task.blocked_on)->waiters.remove(task); break;
    case TaskState::BlockedPoll: cancel_poll(cpu, task); break;
    case TaskState::Inactive:
    case TaskState::Faulted:
    case TaskState::Exited: break;
    }
    if (cpu.current == &task) cpu.current = nullptr;
    task.blocked_on = nullptr;
    task.fault_pending = false;
    task.restart = PendingRestart{};
    task.state = TaskState::Inactive;
}

void schedule(Cpu& cpu) {
    Task* current = cpu.current;
    if (current && current->home != &cpu && current->home && current->state == TaskState::Running) {
        // It moved itself (Task.SetAffinity): it runs next on its new home.
        Cpu& home = *current->home;
        current->state = TaskState::Ready;
        home.scheduler.enqueue(*current);
        request_reschedule(cpu, home);
        cpu.current = current = nullptr;
    }
    Task* best = cpu.scheduler.highest();
    bool rotate = cpu.rotate_requested;
    cpu.rotate_requested = false;
    if (current && current->state == TaskState::Running) {
        if (!best || best->priority < current->priority) return;
        if (best->priority == current->priority && !rotate) return;
        current->state = TaskState::Ready;
        if (rotate)
            cpu.scheduler.enqueue(*current);
        else
            cpu.scheduler.enqueue_front(*current); // preempted: keeps its turn
        best = cpu.scheduler.highest();
    }
    cpu.current = best;
    if (best) {
        cpu.scheduler.remove(*best);
        best->state = TaskState::Running;
    }
}

} // namespace vesta
