// kernel/boot/secondary_cpus.hpp — bringing up every CPU the firmware lists
// (docs/smp.md).
#pragma once

#include <smp/cpu_table.hpp>

namespace vesta {
class PageAllocator;

// Boot CPU, at boot, after initialise_platform: builds the CPU table from
// the firmware's list (records in boot-time pages), starts every other CPU
// within `timeout_microseconds` each (kCpuStartTimeoutMicroseconds; 0 for
// `test-cpus-no-wait`), and prints "cpus: N online of M listed" with the
// ones that did not come up and why.
void start_secondary_cpus(PageAllocator& pages, uint64_t timeout_microseconds);

// The CPU table (after start_secondary_cpus).
CpuTable& cpu_table();

// Where a secondary CPU's backend entry ends: marks the CPU online and
// idles. A CPU the boot CPU gave up on stops here without touching anything.
[[noreturn]] void secondary_main(CpuRecord& cpu);

} // namespace vesta
