// kernel/syscall/system_invocation.cpp — System: PowerOff, Reboot, Info.
#include <arch/platform.hpp>
#include <kernel.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

uint64_t queued_teardown_objects(const Kernel& kernel) {
    uint64_t count = 0;
    for (Object* object = kernel.teardown.front(); object; object = kernel.teardown.next(*object)) ++count;
    return count;
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
};

} // namespace

const OperationTable kSystemOperations{kOperations};

} // namespace vesta
