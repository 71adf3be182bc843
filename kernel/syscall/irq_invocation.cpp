// kernel/syscall/irq_invocation.cpp — IrqControl.Get and IrqHandler: Bind,
// Unbind, Acknowledge.
#include <arch/interrupts.hpp>
#include <kernel.hpp>
#include <object/memory.hpp>
#include <object/binding.hpp>
#include <syscall/invocation.hpp>

namespace vesta {

InvocationOutcome invoke_irq_control(Invocation& invocation) {
    if (static_cast<IrqControlLabel>(invocation.label) != IrqControlLabel::Get) return Error::NotSupported;
    if (!invocation.capability.has_rights(rights::kWrite)) return Error::MissingRights;
    TRY(invocation.require(3));
    Kernel& kernel = *invocation.cpu.kernel;
    uint64_t irq = invocation.words[0];
    if (irq >= arch::interrupt_count() || irq >= Kernel::kMaxInterrupts) return Error::OutOfRange;
    if (kernel.irq_handlers[irq]) return Error::Busy;
    uint32_t slot = TRY(invocation.cspace().find_free(invocation.words[1]));
    Memory* memory = TRY(invocation.cspace().lookup_object<Memory>(invocation.words[2], rights::kWrite));
    IrqHandler* handler = TRY(memory->create<IrqHandler>(sizeof(IrqHandler), static_cast<uint32_t>(irq)));
    kernel.irq_handlers[irq] = handler;
    arch::mask_interrupt(handler->irq);
    invocation.cspace().install(slot, *handler, rights::kAll, 0);
    return InvocationResult::of(slot);
}

InvocationOutcome invoke_irq_handler(Invocation& invocation) {
    auto& handler = *static_cast<IrqHandler*>(invocation.capability.object);
    if (!invocation.capability.has_rights(rights::kWrite)) return Error::MissingRights;
    switch (static_cast<IrqHandlerLabel>(invocation.label)) {
    case IrqHandlerLabel::Bind: {
        TRY(invocation.require(1));
        Capability* capability =
            TRY(invocation.cspace().lookup(invocation.words[0], ObjectType::Notification, rights::kWrite));
        if (handler.notification) return Error::Busy;
        bind_notification(handler, static_cast<Notification*>(capability->object), capability->badge);
        arch::unmask_interrupt(handler.irq);
        return InvocationResult::none();
    }
    case IrqHandlerLabel::Unbind: {
        if (!handler.notification) return Error::InvalidArgument;
        arch::mask_interrupt(handler.irq);
        bind_notification(handler, nullptr, 0);
        return InvocationResult::none();
    }
    case IrqHandlerLabel::Acknowledge:
        if (!handler.notification) return Error::InvalidArgument;
        arch::unmask_interrupt(handler.irq);
        return InvocationResult::none();
    }
    return Error::NotSupported;
}

} // namespace vesta
