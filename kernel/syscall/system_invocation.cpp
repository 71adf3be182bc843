// kernel/syscall/system_invocation.cpp — System: PowerOff, Reboot, Info,
// ReleaseConsole.
#include <arch/platform.hpp>
#include <console.hpp>
#include <kernel.hpp>
#include <object/frame.hpp>
#include <object/memory.hpp>
#include <object/teardown.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

uint64_t queued_teardown_objects(const Kernel& kernel) {
    uint64_t count = 0;
    for (Object* object = kernel.teardown.front(); object; object = kernel.teardown.next(*object)) ++count;
    return count;
}

// ReleaseConsole: hand the debug console's UART to the caller (its driver).
// Decode: the kernel still owns it, the destination and the memory for a
// DeviceMemory object (MMIO consoles). Perform: the kernel stops writing to
// the UART (its messages go only to the kernel log), and the UART's I/O
// ports become claimable (IoPortControl.Get) or its registers arrive as a
// DeviceMemory capability.
InvocationOutcome release_console(Invocation& invocation) {
    Kernel& kernel = *invocation.cpu.kernel;
    const arch::ConsoleDevice device = arch::console_device();
    if (device.kind == arch::ConsoleDevice::Kind::None) return Error::NotSupported;
    if (kernel.console_released) return Error::Busy;
    uint64_t slot = kNoSlot;
    if (device.kind == arch::ConsoleDevice::Kind::Mmio) {
        const uint32_t free = TRY(invocation.cspace().find_free(invocation.words[0]));
        Memory* memory = TRY(invocation.cspace().lookup_object<Memory>(invocation.words[1], rights::kWrite));
        DeviceMemory* registers =
            TRY(memory->create<DeviceMemory>(sizeof(DeviceMemory), device.first, device.count / kPageSize));
        invocation.cspace().install(free, *registers, rights::kRead | rights::kWrite, 0);
        slot = free;
    } else {
        // The kernel's own claim on the ports goes; they can be claimed now.
        for (IoPort* port = kernel.io_ports.front(); port; port = kernel.io_ports.next(*port)) {
            if (port->first != device.first) continue;
            kernel.io_ports.remove(*port);
            port->flags &= static_cast<uint8_t>(~Object::kPermanent);
            kill(invocation.cpu, *port);
            break;
        }
    }
    kernel.console_released = true;
    kernel_log().echo = false;
    const uint64_t kind = device.kind == arch::ConsoleDevice::Kind::IoPorts ? 1 : 2;
    return InvocationResult::of(slot, kind, device.first, device.count);
}

// PowerOff (1): words[0] = status (0 success). The emulator's exit device
// when the command line says `emulator-exit`, else power off or halt; never
// returns.
InvocationOutcome power_off(Invocation& invocation) {
    arch::stop_machine(invocation.words[0] == 0 ? arch::ExitStatus::Success : arch::ExitStatus::Failure);
}

// Reboot (2): resets the machine; never returns.
InvocationOutcome reboot(Invocation&) { arch::reset_machine(); }

// Info (3): (kernel stack bytes ever used, objects queued for teardown,
// timer ticks since boot, fault lines not printed).
InvocationOutcome info(Invocation& invocation) {
    const Kernel& kernel = *invocation.cpu.kernel;
    return InvocationResult::of(arch::kernel_stack_high_water(), queued_teardown_objects(kernel), invocation.cpu.now,
                                kernel.fault_log.suppressed_total);
}

constexpr Operation kOperations[] = {
    operation(SystemLabel::PowerOff, rights::kWrite, 1, power_off),
    operation(SystemLabel::Reboot, rights::kWrite, 0, reboot),
    operation(SystemLabel::Info, rights::kRead, 0, info),
    operation(SystemLabel::ReleaseConsole, rights::kWrite, 2, release_console),
};

} // namespace

const OperationTable kSystemOperations{kOperations};

} // namespace vesta
