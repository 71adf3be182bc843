// kernel/smp/cross_cpu.cpp — the kernel lock at the entries, and
// synchronising another CPU (smp/cross_cpu.hpp).
#include <arch/cross_cpu.hpp>
#include <lib/assert.hpp>
#include <object/virtual_space.hpp>
#include <smp/cpu_table.hpp>
#include <smp/cross_cpu.hpp>

namespace vesta {

extern "C" {
KernelLock vesta_kernel_lock;
bool vesta_kernel_locking = false;
}

namespace {

Cpu* registered[kMaxCpus] = {};
uint32_t registered_count = 0;

// How long sync_cpu waits before it declares the other CPU dead: far more
// than the timer tick that brings every scheduling CPU into the kernel.
constexpr uint64_t kSyncSpinLimit = uint64_t{1} << 36;

} // namespace

void vesta_wait_for_turn(Cpu& cpu, uint32_t ticket) {
    VESTA_ASSERT(vesta_kernel_locking); // only the locked entries take tickets
#ifdef VESTA_LOCK_CHECKS
    VESTA_ASSERT(vesta_kernel_lock.owner() != cpu.index); // taken twice by one entry: it would wait for itself
#endif
    while (!vesta_kernel_lock.is_turn(ticket)) {
        answer_requests(cpu);
        arch::cpu_relax();
    }
    vesta_kernel_lock.set_owner(cpu.index);
}

namespace {

// This CPU drops its hold on every task's state (arch::release_user_state).
void release_here(Cpu& cpu) {
    arch::release_user_state(cpu);
    if (VirtualSpace* space = cpu.loaded_space) {
        space->loaded_on &= ~(uint64_t{1} << cpu.index);
        cpu.loaded_space = nullptr;
    }
}

} // namespace

void answer_requests(Cpu& cpu) {
    const uint32_t requested = __atomic_load_n(&cpu.request_sequence, __ATOMIC_ACQUIRE);
    if (requested == cpu.answered_sequence) return;
    release_here(cpu);
    __atomic_store_n(&cpu.answered_sequence, requested, __ATOMIC_RELEASE);
}

void sync_cpu(Cpu& here, Cpu& other) {
    if (&other == &here || !__atomic_load_n(&other.schedules, __ATOMIC_ACQUIRE)) return;
    // A second CPU that schedules exists only with the lock in use.
    VESTA_ASSERT(vesta_kernel_locking && vesta_kernel_lock.held());
#ifdef VESTA_LOCK_CHECKS
    VESTA_ASSERT(vesta_kernel_lock.held_by(here.index));
#endif
    const uint32_t request = __atomic_add_fetch(&other.request_sequence, 1, __ATOMIC_ACQ_REL);
    arch::send_reschedule(other);
    for (uint64_t spins = 0; __atomic_load_n(&other.answered_sequence, __ATOMIC_ACQUIRE) != request; ++spins) {
        if (spins == kSyncSpinLimit) VESTA_PANIC("a CPU did not answer the kernel lock holder's request");
        arch::cpu_relax();
    }
}

void settle_task(Cpu& here, Task& task) {
    if (!task.home || task.home == &here) return;
    Cpu& home = *task.home;
    sync_cpu(here, home);
    if (home.current != &task) return;
    // It was running there; that CPU is now waiting for the lock in an entry
    // it made from this task (or about to: user_task was set), with its
    // frame saved. The entry will find it no longer current and do nothing.
    VESTA_ASSERT(task.state == TaskState::Running);
    if (arch::entered_by_syscall(home, task.context)) task.context.restart_syscall(); // made again when it runs
    home.current = nullptr;
    task.state = TaskState::Ready;
    home.scheduler.enqueue_front(task);
}

void move_task(Cpu& here, Task& task, Cpu& to) {
    settle_task(here, task);
    Cpu& from = home_cpu(here, task);
    if (&from == &to) {
        task.home = &to;
        return;
    }
    if (&from == &here) release_here(here); // its FP/SIMD state may be in this CPU's registers
    switch (task.state) {
    case TaskState::Running: // the caller itself, on `here`: schedule() sends it home at the end of the entry
        task.home = &to;
        return;
    case TaskState::Ready:
        from.scheduler.remove(task);
        task.home = &to;
        to.scheduler.enqueue(task);
        break;
    default:
        if (TimeoutWheel::contains(task)) {
            const uint64_t left = task.timeout_deadline > from.now ? task.timeout_deadline - from.now : 0;
            from.timeouts.remove(task);
            uint64_t deadline = to.now + left;
            if (deadline < to.now) deadline = ~uint64_t{0};
            to.timeouts.insert(task, deadline, to.now);
        }
        task.home = &to;
        return;
    }
    request_reschedule(here, to);
}

void request_reschedule(Cpu& here, Cpu& other) {
    if (&other == &here) return;
    (void)arch::send_reschedule(other);
}

void shoot_down(VirtualSpace& space) {
    if (!space.loaded_on) return; // never loaded (and always so in host tests)
    Cpu* here = lock_holder_cpu();
    if (!here || !(space.loaded_on & ~(uint64_t{1} << here->index))) return;
    for (uint32_t i = 0; i < registered_count; ++i) {
        if (i == here->index || !registered[i] || !(space.loaded_on & (uint64_t{1} << i))) continue;
        sync_cpu(*here, *registered[i]);
        space.loaded_on &= ~(uint64_t{1} << i); // answered: it switched away
    }
}

void record_space_loaded(Cpu& cpu, VirtualSpace* space) {
    if (cpu.loaded_space == space) return;
    if (cpu.loaded_space) cpu.loaded_space->loaded_on &= ~(uint64_t{1} << cpu.index);
    if (space) space->loaded_on |= uint64_t{1} << cpu.index;
    cpu.loaded_space = space;
}

void forget_space(VirtualSpace& space) {
    if (!space.loaded_on) return; // a CPU that records it loaded has its bit set
    for (uint32_t i = 0; i < registered_count; ++i)
        if (registered[i] && registered[i]->loaded_space == &space) registered[i]->loaded_space = nullptr;
    space.loaded_on = 0;
}

Cpu* lock_holder_cpu() { return registered_count ? arch::current_cpu() : nullptr; }

void reset_cpu_registry() {
    for (Cpu*& cpu : registered) cpu = nullptr;
    registered_count = 0;
}

void register_cpu(Cpu& cpu) {
    if (cpu.index < kMaxCpus) registered[cpu.index] = &cpu;
    if (cpu.index + 1 > registered_count) registered_count = cpu.index + 1;
}

} // namespace vesta
