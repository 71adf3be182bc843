// kernel/arch/smp.hpp — the CPU bring-up half of the arch interface
// (docs/smp.md). Implemented by the real backends only: the host tests
// drive the portable bring-up (smp/bring_up.hpp) with a fake starter.
//
// Contract of the secondary path: a CPU started by start_cpu() runs the
// backend's entry, which sets up this CPU alone (descriptor tables or
// vectors, its per-CPU pointer, its interrupt controller interface) and then
// calls secondary_main(record) (boot/secondary_cpus.hpp) on the kernel
// stack prepare_cpu() gave it. A secondary CPU touches no scheduler,
// capability or object state: the kernel is not SMP-safe yet.
#pragma once

#include <stdint.h>

#include <lib/result.hpp>
#include <smp/cpu_table.hpp>

namespace vesta {
class PageAllocator;
}

namespace vesta::arch {

// The firmware's processors (x86_64: the MADT; aarch64: /cpus), up to
// `capacity` written to `out`; returns how many were written.
uint32_t firmware_cpus(FirmwareCpu* out, uint32_t capacity);
// The arch id of the CPU running this (the boot CPU at boot).
uint64_t this_cpu_arch_id();
// Fills in the boot CPU's record (kernel stack, backend data).
void describe_boot_cpu(CpuRecord& boot);
// Boot time: allocates `cpu`'s stacks (each above an unmapped guard page)
// and backend per-CPU data from `pages`, then asks the hardware or firmware
// to start it. Fails: OutOfMemory, or the firmware's refusal (as an Error).
Result<void> start_cpu(CpuRecord& cpu, PageAllocator& pages);
// `cpu` did not answer in time: keep it from arriving later if the
// hardware allows (x86_64: INIT puts it back in wait-for-SIPI).
void abandon_cpu(CpuRecord& cpu);
// A monotonic microsecond clock usable during bring-up, before the
// scheduler's timer runs; bring_up_relax() pauses briefly between polls.
uint64_t bring_up_microseconds();
void bring_up_relax();
// A short name for the arch id in messages: "APIC ID", "MPIDR".
extern const char* const kCpuIdName;

// Maps boot-time RAM [physical, physical + size) in the kernel's window,
// write-back, read/write, never executable, aligned to `alignment`, above an
// unmapped guard page (DeviceWindow::map_guarded): stacks of secondary CPUs.
Result<uint64_t> map_guarded(uint64_t physical, uint64_t size, uint64_t alignment, PageAllocator& pages);

// A secondary CPU's idle loop, with interrupts masked (docs/smp.md). Never
// returns. For CPUs that run no tasks (secondaries_schedule() false).
[[noreturn]] void idle_secondary(CpuRecord& cpu);
// Whether this backend (on this machine) runs tasks on the secondary CPUs:
// their timer, IPIs and user-mode set-up. When false they only idle.
bool secondaries_schedule();
// A secondary CPU enters the scheduler: this CPU's per-CPU data points at
// `cpu`; it takes the kernel lock (smp/cross_cpu.hpp), sets up what user mode
// needs, starts its timer, marks itself scheduling and resumes (idles).
[[noreturn]] void run_secondary(Cpu& cpu);

} // namespace vesta::arch
