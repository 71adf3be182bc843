// kernel/syscall/irq_invocation.cpp — IrqControl.Get and IrqHandler: Bind,
// Unbind, Acknowledge.
#include <arch/interrupts.hpp>
#include <kernel.hpp>
#include <object/binding.hpp>
#include <object/memory.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

InvocationOutcome get(Invocation& invocation) {
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

InvocationOutcome bind(Invocation& invocation) {
    auto& handler = invocation.object<IrqHandler>();
    Capability* capability =
        TRY(invocation.cspace().lookup(invocation.words[0], ObjectType::Notification, rights::kWrite));
    if (handler.notification) return Error::Busy;
    bind_notification(handler, static_cast<Notification*>(capability->object), capability->badge);
    arch::unmask_interrupt(handler.irq);
    return InvocationResult::none();
}

InvocationOutcome unbind(Invocation& invocation) {
    auto& handler = invocation.object<IrqHandler>();
    if (!handler.notification) return Error::InvalidArgument;
    arch::mask_interrupt(handler.irq);
    bind_notification(handler, nullptr, 0);
    return InvocationResult::none();
}

InvocationOutcome acknowledge(Invocation& invocation) {
    auto& handler = invocation.object<IrqHandler>();
    if (!handler.notification) return Error::InvalidArgument;
    arch::unmask_interrupt(handler.irq);
    return InvocationResult::none();
}

constexpr Operation kControl[] = {
    operation(IrqControlLabel::Get, rights::kWrite, 3, get),
};
// Every handler operation changes the line: all need Write. (An unknown
// label is NotSupported whatever the rights, as for every type; it used to
// be MissingRights without Write.)
constexpr Operation kHandler[] = {
    operation(IrqHandlerLabel::Bind, rights::kWrite, 1, bind),
    operation(IrqHandlerLabel::Unbind, rights::kWrite, 0, unbind),
    operation(IrqHandlerLabel::Acknowledge, rights::kWrite, 0, acknowledge),
};

} // namespace

const OperationTable kIrqControlOperations{kControl};
const OperationTable kIrqHandlerOperations{kHandler};

} // namespace vesta
