// kernel/smp/cross_cpu.hpp — how the CPUs share the kernel (docs/smp.md,
// "The concurrency model"): the kernel lock around every entry, and the one
// request the lock holder can make of another CPU.
//
// Every backend entry (syscall, fault, interrupt, tick) calls enter_kernel()
// after saving the user frame and before touching any shared state, and
// every exit calls leave_kernel() just before returning to user mode or
// idling. Between the two the CPU holds the kernel lock.
//
// Tasks stay on their home CPU (Task::home). Another CPU can hold state of a
// task outside the lock: run it in user mode, hold its FP/SIMD registers,
// keep its vspace's translations in the TLB. The lock holder that must
// change such a task (suspend, destroy, read its registers, move it) or
// unmap from such a vspace first *synchronises* that CPU (sync_cpu): it
// bumps the CPU's request_sequence, sends it an IPI, and waits until the
// CPU has answered. A CPU answers only while it waits for the lock (the
// IPI, or its next tick, brings it into the kernel), by
// arch::release_user_state(): it then runs no task in user mode, holds no
// FP/SIMD state and no user translations. No deadlock: the holder waits for
// a CPU that is waiting for the lock, never for a lock holder, and every
// request is made under the lock, so two CPUs never wait for each other.
#pragma once

#include <cpu.hpp>
#include <smp/kernel_lock.hpp>

namespace vesta {

class VirtualSpace;

// The one kernel lock (its address is used by entry.S).
extern "C" KernelLock vesta_kernel_lock;

// Whether the kernel lock is in use: true exactly when more than one CPU runs
// tasks (docs/smp.md, "One CPU: no lock"). The boot decides it once
// (start_secondary_schedulers), before any secondary CPU is handed its Cpu
// and so before any of them can enter the kernel, and it never changes
// afterwards (no hot-plug). While it is false only the boot CPU ever runs
// kernel code with interrupts or syscalls from user mode, so no entry takes
// the lock: enter_kernel() and leave_kernel() do nothing, the boot CPU's
// syscall entry is the unlocked one (x86_64 LSTAR, aarch64 VBAR_EL1: see
// arch::run_user), and no CPU records loaded spaces. Secondary
// CPUs install only the locked entries and stop if they find it false.
extern "C" bool vesta_kernel_locking;

// Takes the kernel lock for `cpu` (answering requests while it waits).
// `syscall`: the entry is a syscall of the task that ran in user mode.
// Returns false when that task was taken off this CPU by another CPU in the
// meantime (take_off_cpu): the entry must then do nothing on its behalf
// (a syscall was rewound to be made again), only schedule and resume.
inline bool enter_kernel(Cpu& cpu, bool syscall);
// Releases the lock before returning to user mode with cpu.current (null:
// before idling). Nothing shared may be touched after it.
inline void leave_kernel(Cpu& cpu);
// leave_kernel() for callers that know the lock is in use (vesta_kernel_locking).
inline void leave_locked_kernel(Cpu& cpu);
// Out of line: waits for `ticket`'s turn, answering requests meanwhile, and
// records `cpu` as the holder. (C linkage: the x86_64 syscall entry takes
// the lock inline and calls it only when it must wait.)
extern "C" void vesta_wait_for_turn(Cpu& cpu, uint32_t ticket);
// While waiting for the lock: answers the holder's request, if any.
void answer_requests(Cpu& cpu);

// Lock holder on `here`: waits until `other` (a CPU that schedules) has
// answered a request made now (see above). No-op for `here` itself and for
// CPUs that do not schedule.
void sync_cpu(Cpu& here, Cpu& other);
// Lock holder on `here`: after it, no other CPU holds state of `task`: its
// home is synchronised, and if `task` was running there it is Ready at the
// front of that CPU's run queue (a syscall it was entering is rewound to be
// made again), as on one CPU a task another one acts on is never running.
void settle_task(Cpu& here, Task& task);
// Lock holder on `here`: `task` makes `to` its home (Task.SetAffinity):
// settled first; Ready, it moves to `to`'s run queue; blocked in a poll with
// a timeout, to `to`'s timeouts with the ticks it had left; running on
// `here` (the caller moving itself), it leaves this CPU at the end of the
// entry. Its FP/SIMD state is in its context before `to` can run it.
void move_task(Cpu& here, Task& task, Cpu& to);
// Lock holder: `other` should look at its run queue (a task of a higher
// priority than its current one became ready there).
void request_reschedule(Cpu& here, Cpu& other);

// Where `space` may be in a CPU's TLB (bit = CPU index), kept by the
// backends' resume(); shoot_down() synchronises every such CPU but the
// lock holder, so that no CPU can use a translation removed before it.
void shoot_down(VirtualSpace& space);
// The backends' resume(), under the lock, when `cpu` switches to `space`
// (bookkeeping only once a second CPU runs tasks: vesta_kernel_locking).
inline void note_space_loaded(Cpu& cpu, VirtualSpace* space);
void record_space_loaded(Cpu& cpu, VirtualSpace* space);

// `space` is dying: no CPU records it as loaded any more (after shoot_down).
void forget_space(VirtualSpace& space);
// The Cpu of the lock holder (kernel: cross-CPU bookkeeping from code that
// has no Cpu at hand, e.g. VirtualSpace::unmap_frame); null when no CPU
// was registered (host tests).
Cpu* lock_holder_cpu();
// Boot time: `cpu` may take part in the protocol (the registry lock_holder_cpu reads).
void register_cpu(Cpu& cpu);
// Host tests: forget every registration (their Cpus die with the test).
void reset_cpu_registry();

// Offsets the entry assembly uses (x86_64 and aarch64 entry.S).
static_assert(offsetof(Cpu, index) == 8);
static_assert(offsetof(Cpu, current) == 16);
static_assert(offsetof(Cpu, user_task) == 24);
static_assert(offsetof(Cpu, entry_is_syscall) == 40);

[[gnu::always_inline]] inline bool enter_kernel(Cpu& cpu, bool syscall) {
    // One CPU runs tasks: no other CPU can act on this one's task.
    if (!vesta_kernel_locking) return true;
    __atomic_store_n(&cpu.entry_is_syscall, static_cast<uint8_t>(syscall), __ATOMIC_RELAXED);
    // Release: the frame just saved in the task's context (and entry_is_syscall)
    // are visible to a lock holder that sees user_task cleared.
    Task* trapped = __atomic_exchange_n(&cpu.user_task, nullptr, __ATOMIC_ACQ_REL);
    const uint32_t ticket = vesta_kernel_lock.take_ticket();
    if (vesta_kernel_lock.is_turn(ticket))
        vesta_kernel_lock.set_owner(cpu.index);
    else
        vesta_wait_for_turn(cpu, ticket);
    return !trapped || cpu.current == trapped;
}

inline void note_space_loaded(Cpu& cpu, VirtualSpace* space) {
    if (vesta_kernel_locking) record_space_loaded(cpu, space);
}

[[gnu::always_inline]] inline void leave_locked_kernel(Cpu& cpu) {
    __atomic_store_n(&cpu.user_task, cpu.current, __ATOMIC_RELAXED);
    vesta_kernel_lock.release(cpu.index);
}

[[gnu::always_inline]] inline void leave_kernel(Cpu& cpu) {
    if (vesta_kernel_locking) leave_locked_kernel(cpu);
}

} // namespace vesta
