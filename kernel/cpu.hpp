// kernel/cpu.hpp — per-CPU state, passed explicitly (no hidden globals).
//
// Each CPU has its own run queues, current task, tick count and timeout
// list. The kernel is not preemptible: an entry (syscall, interrupt, fault,
// tick) runs to completion on one CPU, then schedule() picks `current`, which
// the backend resumes. `current` is null when the CPU should idle.
#pragma once

#include <scheduler/scheduler.hpp>
#include <scheduler/timeout_wheel.hpp>

namespace vesta {

struct Kernel;

struct Cpu {
    Kernel* kernel = nullptr;
    uint32_t index = 0;
    Task* current = nullptr;
    Scheduler scheduler;
    uint64_t now = 0;              // timer ticks since boot
    TimeoutWheel timeouts;         // polling tasks with a deadline
    bool rotate_requested = false; // yield or slice end: let equal priorities run
    Task* restarted = nullptr;     // the task this entry rewound to repeat its call (for tests)
};

// Make a blocked or inactive task ready on `cpu`.
void make_ready(Cpu& cpu, Task& task);
// Take `task` off whatever it waits in (run queue, endpoint, notification,
// poll, timeout, reply binding), forget a pending restart, and leave it
// Inactive. A current task stops being current. Its bindings stay.
void detach_task(Cpu& cpu, Task& task);
// Choose the task to run next: keep the current one unless a higher priority
// is ready (or an equal one after a yield or the end of its slice).
void schedule(Cpu& cpu);

} // namespace vesta
