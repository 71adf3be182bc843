// kernel/entry.cpp — ticks, interrupts and faults (syscalls: syscall/).
#include <arch/interrupts.hpp>
#include <entry.hpp>
#include <ipc/ipc.hpp>
#include <kernel.hpp>
#include <object/teardown.hpp>

namespace vesta {

void handle_timer_tick(Cpu& cpu) {
    ++cpu.now;
    expire_timeouts(cpu);
    run_teardown(cpu, kTeardownBudgetPerTick); // work a task left when it died mid-Delete
    if (Task* current = cpu.current) {
        if (current->time_slice_left > 0) --current->time_slice_left;
        if (current->time_slice_left == 0) {
            current->time_slice_left = Task::kTimeSliceTicks;
            cpu.rotate_requested = true;
        }
    }
    schedule(cpu);
}

void handle_interrupt(Cpu& cpu, uint32_t irq) {
    if (irq < Kernel::kMaxInterrupts) {
        // Masked until the driver acknowledges through its handler.
        arch::mask_interrupt(irq);
        IrqHandler* handler = cpu.kernel->irq_handlers[irq];
        if (handler && handler->notification) signal(cpu, *handler->notification, handler->badge);
    }
    schedule(cpu);
}

void handle_fault(Cpu& cpu, FaultKind kind, uint64_t address, uint64_t detail) {
    Task& task = *cpu.current;
    raise_fault(cpu, task, FaultInfo{kind, address, task.context.instruction_pointer(), detail});
    schedule(cpu);
}

} // namespace vesta
