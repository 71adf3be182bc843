// kernel/boot/secondary_cpus.hpp — bringing up every CPU the firmware lists
// (docs/smp.md).
#pragma once

#include <lib/result.hpp>
#include <smp/cpu_table.hpp>

namespace vesta {
class PageAllocator;
struct Kernel;

// Boot CPU, at boot, after initialise_platform: builds the CPU table from
// the firmware's list (records in boot-time pages), starts every other CPU
// within `timeout_microseconds` each (kCpuStartTimeoutMicroseconds; 0 for
// `test-cpus-no-wait`), and prints "cpus: N online of M listed" with the
// ones that did not come up and why.
void start_secondary_cpus(PageAllocator& pages, uint64_t timeout_microseconds);

// The CPU table (after start_secondary_cpus).
CpuTable& cpu_table();

// Boot time, for the backends' start_cpu: a kernel stack of `size` bytes
// (pages from `pages`) mapped at an `alignment` boundary above an unmapped
// guard page (arch::map_guarded), painted for its high-water mark
// (lib/kernel_stack.hpp). Fails: OutOfMemory, or the window's refusal.
Result<KernelStack> allocate_cpu_stack(uint64_t size, uint64_t alignment, PageAllocator& pages);

// Boot CPU, once `kernel` exists and before any task runs: a Cpu (boot
// pages) for every online secondary CPU when the backend runs tasks on them
// (arch::secondaries_schedule), each registered (smp/cross_cpu.hpp) and
// handed to its CPU, which waits in secondary_main and then takes the lock
// to enter the scheduler (after the boot CPU releases it). Decides the
// kernel lock's mode (vesta_kernel_locking): when a secondary gets a Cpu,
// the lock is in use and the boot CPU holds it on return; when none does,
// no entry ever takes it.
void start_secondary_schedulers(Kernel& kernel, PageAllocator& pages);

// Where a secondary CPU's backend entry ends: marks the CPU online and
// idles. A CPU the boot CPU gave up on stops here without touching anything.
[[noreturn]] void secondary_main(CpuRecord& cpu);

} // namespace vesta
