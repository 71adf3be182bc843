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
class VirtualSpace;

struct Cpu {
    Kernel* kernel = nullptr;
    uint32_t index = 0; // its CpuTable index (0: the boot CPU)
    Task* current = nullptr;
    // --- Touched by other CPUs (smp/cross_cpu.hpp); offsets used by entry.S ---
    // The task this CPU runs in user mode, or is about to: set under the
    // kernel lock just before it is released for a return to user mode,
    // cleared by the entry (before it takes the lock).
    Task* user_task = nullptr;
    uint32_t request_sequence = 0;  // bumped by the lock holder: "release your user state"
    uint32_t answered_sequence = 0; // the last request this CPU answered (from its lock wait)
    uint8_t entry_is_syscall = 0;   // the entry that cleared user_task was a syscall
    // --- This CPU's own ---
    bool schedules = false;               // runs tasks (its timer ticks, it answers requests); the boot CPU always
    uint64_t arch_id = 0;                 // the backend's id for IPIs (APIC ID, MPIDR affinity)
    void* arch = nullptr;                 // the backend's per-CPU data (CpuRecord::arch)
    VirtualSpace* loaded_space = nullptr; // whose translations this CPU may hold (VirtualSpace::loaded_on)
    Scheduler scheduler;
    uint64_t now = 0;              // timer ticks since boot
    TimeoutWheel timeouts;         // polling tasks with a deadline
    bool rotate_requested = false; // yield or slice end: let equal priorities run
    Task* restarted = nullptr;     // the task this entry rewound to repeat its call (for tests)
};

// Make a blocked or inactive task ready on its home CPU (`cpu`, the CPU
// making it ready, becomes its home when it has none); a home CPU other than
// `cpu` is asked to reschedule when the task should preempt what it runs.
void make_ready(Cpu& cpu, Task& task);
// The CPU whose run queue and timeouts hold `task`: its home, or `here`.
inline Cpu& home_cpu(Cpu& here, const Task& task);
// Take `task` off whatever it waits in (run queue, endpoint, notification,
// poll, timeout, reply binding), forget a pending restart, and leave it
// Inactive. A current task stops being current. Its bindings stay.
void detach_task(Cpu& cpu, Task& task);
// Choose the task to run next: keep the current one unless a higher priority
// is ready (or an equal one after a yield or the end of its slice).
void schedule(Cpu& cpu);

inline Cpu& home_cpu(Cpu& here, const Task& task) { return task.home ? *task.home : here; }

} // namespace vesta
