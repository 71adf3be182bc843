// kernel/kernel.hpp — the kernel-wide state: CPUs, the few system-wide
// registries (interrupt lines, I/O-port ranges, RAM ranges), the teardown
// queue and the fault-log limiter. One instance, created by the boot path (or
// a test); everything reaches it through Cpu.
#pragma once

#include <cpu.hpp>
#include <object/console.hpp>
#include <object/io_port.hpp>
#include <object/irq.hpp>
#include <object/system.hpp>
#include <smp/cpu_table.hpp>

namespace vesta {

// A run of physical pages (platform::PhysicalRange, in bytes, is discovery's).
struct PageRange {
    uint64_t physical;
    uint64_t pages;
};

// Lines about faults no handler receives: at most kLines per kWindowTicks,
// the rest counted and reported with the next line that is printed.
struct FaultLog {
    static constexpr uint32_t kLines = 8;
    static constexpr uint64_t kWindowTicks = 100;
    uint64_t window_start = 0;
    uint32_t lines_in_window = 0;
    uint64_t suppressed = 0;       // since the last printed line
    uint64_t suppressed_total = 0; // since boot (System.Info)
};

struct Kernel {
    static constexpr uint32_t kMaxInterrupts = 256;
    static constexpr size_t kMaxRamRanges = 64;

    Kernel();
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;

    Cpu cpu;                  // the boot CPU: cpus[0]
    Cpu* cpus[kMaxCpus] = {}; // by CpuTable index; null where a CPU has no Cpu
    uint32_t cpu_count = 1;   // cpus[0 .. cpu_count) are set
    IrqControl irq_control;
    IoPortControl io_port_control;
    Console console;
    System system;
    IrqHandler* irq_handlers[kMaxInterrupts] = {};
    IntrusiveList<IoPort, &IoPort::claimed_link> io_ports;
    IntrusiveList<Object, &Object::link> teardown; // dying objects (object/teardown.hpp)
    FaultLog fault_log;
    bool console_released = false;                      // System.ReleaseConsole handed the UART to a driver
    uint64_t console_released_at = kConsoleNotReleased; // the kernel log's sequence number at the hand-over
    PageRange ram[kMaxRamRanges] = {};
    size_t ram_count = 0;

    bool overlaps_ram(uint64_t physical, uint64_t pages) const;
    // Boot time (or a test): `storage` becomes the Cpu of index `index`
    // (1 .. kMaxCpus - 1, not taken; the caller keeps it alive: boot pages, a
    // test's array). Null when the index is out of range or taken.
    Cpu* add_cpu(Cpu& storage, uint32_t index);
    // The Cpu of index `index` that runs tasks, or null (absent, offline, or
    // one that only idles).
    Cpu* scheduling_cpu(uint64_t index) const;
};

} // namespace vesta
