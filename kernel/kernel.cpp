// kernel/kernel.cpp — kernel-wide registries: interrupt lines, I/O ports, RAM.
#include <arch/interrupts.hpp>
#include <kernel.hpp>
#include <object/notification.hpp>

namespace vesta {

Kernel::Kernel() {
    cpu.kernel = this;
    // Boot objects are never destroyed: they hold a permanent reference.
    retain(irq_control);
    retain(io_port_control);
    retain(console);
}

bool Kernel::overlaps_ram(uint64_t physical, uint64_t pages) const {
    uint64_t end = physical + pages * kPageSize;
    for (size_t i = 0; i < ram_count; ++i) {
        uint64_t ram_end = ram[i].physical + ram[i].pages * kPageSize;
        if (physical < ram_end && ram[i].physical < end) return true;
    }
    return false;
}

void IrqHandler::destroy(Cpu& cpu, IrqHandler& handler) {
    arch::mask_interrupt(handler.irq);
    cpu.kernel->irq_handlers[handler.irq] = nullptr;
    if (Notification* notification = handler.notification) {
        handler.notification = nullptr;
        release(cpu, *notification);
    }
}

void IoPort::destroy(Cpu& cpu, IoPort& port) { cpu.kernel->io_ports.remove(port); }

} // namespace vesta
