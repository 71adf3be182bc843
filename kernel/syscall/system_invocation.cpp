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

} // namespace

// PowerOff (1): words[0] = status (0 success). The emulator's exit device
// when the command line says `emulator-exit`, else power off or halt; never
// returns. Reboot (2): resets the machine; never returns. Both need Write.
// Info (3, Read): (kernel stack bytes ever used, objects queued for teardown,
// timer ticks since boot, fault lines not printed).
InvocationOutcome invoke_system(Invocation& invocation) {
    switch (static_cast<SystemLabel>(invocation.label)) {
    case SystemLabel::PowerOff:
        if (!invocation.capability.has_rights(rights::kWrite)) return Error::MissingRights;
        TRY(invocation.require(1));
        arch::stop_machine(invocation.words[0] == 0 ? arch::ExitStatus::Success : arch::ExitStatus::Failure);
    case SystemLabel::Reboot:
        if (!invocation.capability.has_rights(rights::kWrite)) return Error::MissingRights;
        arch::reset_machine();
    case SystemLabel::Info: {
        if (!invocation.capability.has_rights(rights::kRead)) return Error::MissingRights;
        const Kernel& kernel = *invocation.cpu.kernel;
        return InvocationResult::of(arch::kernel_stack_high_water(), queued_teardown_objects(kernel),
                                    invocation.cpu.now, kernel.fault_log.suppressed_total);
    }
    }
    return Error::NotSupported;
}

} // namespace vesta
