// kernel/arch/cross_cpu.hpp — the part of the arch interface that lets
// several CPUs run tasks (docs/smp.md): waking another CPU and releasing
// this CPU's hold on a task's state. The portable protocol is in
// smp/cross_cpu.hpp.
#pragma once

#include <stdint.h>

#include <arch/context.hpp>

namespace vesta {
struct Cpu;
}

namespace vesta::arch {

// Makes `cpu` (another CPU that schedules) enter the kernel soon: a
// reschedule IPI. Where the backend has no IPI it does nothing and returns
// false: the CPU enters at its next timer tick (a bounded delay).
bool send_reschedule(const Cpu& cpu);
// On this CPU, without the kernel lock, answering the lock holder: the
// FP/SIMD registers are saved into their owner's context and forgotten (so
// are other per-task registers the backend switches lazily), and the CPU
// switches to no user address space (so no translation of any vspace stays
// in its TLB). The next resume() reloads what it needs.
void release_user_state(Cpu& cpu);
// A pause in a busy-wait loop.
void cpu_relax();
// The Cpu of the CPU running this (its per-CPU data), or null before the
// kernel gave it one.
Cpu* current_cpu();
// `cpu` (synchronised: waiting for the kernel lock in an entry it made from
// the task whose registers are `context`) entered by a syscall: x86_64 reads
// the frame's vector, aarch64 (and the host) Cpu::entry_is_syscall.
bool entered_by_syscall(const Cpu& cpu, const UserContext& context);

} // namespace vesta::arch
