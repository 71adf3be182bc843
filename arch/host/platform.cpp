// Host backend: platform, interrupt and I/O-port functions of the arch
// interface, recording what the core asks for so tests can check it.
#include <arch/context.hpp>
#include <arch/cross_cpu.hpp>
#include <arch/host.hpp>
#include <arch/interrupts.hpp>
#include <arch/io_port.hpp>
#include <arch/platform.hpp>
#include <cpu.hpp>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

namespace vesta::arch {

HostMachine host_machine;

void console_write(const char* text, size_t length) {
    host_machine.console_bytes += length;
    char* tail = host_machine.console_tail;
    const size_t keep = HostMachine::kConsoleTail;
    const size_t used = strlen(tail);
    const size_t added = length < keep ? length : keep;
    const size_t kept = used + added <= keep ? used : keep - added;
    memmove(tail, tail + used - kept, kept);
    memcpy(tail + kept, text + length - added, added);
    tail[kept + added] = '\0';
    fwrite(text, 1, length, stderr);
}
void stop_machine(ExitStatus status) { exit(status == ExitStatus::Success ? 0 : 1); }
void reset_machine() { exit(0); }
ConsoleDevice console_device() { return host_machine.console_device; }
void halt_forever() { abort(); }
uint64_t kernel_stack_high_water() { return 0; } // host tests run on the test program's stack

void forget_context(UserContext&) {}

bool send_reschedule(const Cpu& cpu) {
    ++host_machine.reschedules_sent[cpu.index % 64];
    return true;
}
void release_user_state(Cpu& cpu) { ++host_machine.user_state_releases[cpu.index % 64]; }
void cpu_relax() {}
Cpu* current_cpu() { return nullptr; }
bool entered_by_syscall(const Cpu& cpu, const UserContext&) { return cpu.entry_is_syscall != 0; }

uint32_t interrupt_count() { return HostMachine::kInterrupts; }
void mask_interrupt(uint32_t irq) { host_machine.interrupt_masked[irq] = true; }
void unmask_interrupt(uint32_t irq) { host_machine.interrupt_masked[irq] = false; }

bool io_ports_supported() { return host_machine.io_ports_supported; }
uint32_t io_port_read(uint16_t port, uint8_t width) {
    uint32_t value = 0;
    for (uint8_t i = 0; i < width; ++i)
        value |= uint32_t{host_machine.io_ports[static_cast<uint16_t>(port + i)]} << (8 * i);
    return value;
}
void io_port_write(uint16_t port, uint8_t width, uint32_t value) {
    for (uint8_t i = 0; i < width; ++i)
        host_machine.io_ports[static_cast<uint16_t>(port + i)] = static_cast<uint8_t>(value >> (8 * i));
}

} // namespace vesta::arch
