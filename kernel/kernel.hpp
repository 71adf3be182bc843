// kernel/kernel.hpp — the kernel-wide state: CPUs and the few system-wide
// registries (interrupt lines, I/O-port ranges, RAM ranges). One instance,
// created by the boot path (or a test); everything reaches it through Cpu.
#pragma once

#include <cpu.hpp>
#include <object/console.hpp>
#include <object/io_port.hpp>
#include <object/irq.hpp>

namespace vesta {

struct PhysicalRange {
    uint64_t physical;
    uint64_t pages;
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
    IrqHandler* irq_handlers[kMaxInterrupts] = {};
    IntrusiveList<IoPort, &IoPort::link> io_ports;
    PhysicalRange ram[kMaxRamRanges] = {};
    size_t ram_count = 0;

    bool overlaps_ram(uint64_t physical, uint64_t pages) const;
};

} // namespace vesta
