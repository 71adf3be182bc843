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

    Cpu cpu; // single CPU for now; SMP makes this an array
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
};

} // namespace vesta
