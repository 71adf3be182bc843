// userland/demo/arch/x86_64/irq_demo.cpp — a device interrupt delivered to
// a notification: PIT channel 0 (I/O ports through a capability) fires ISA
// IRQ 0, which ACPI routes to GSI 2 on a PC.
#include <user/runtime.hpp>

#include "demo.hpp" // userland/demo/, on the include path

using namespace vesta;
using namespace vesta::user;

void irq_demo(const RootInfo&) {
    const InvokeResult ports =
        invoke(root_slot::kIoPortControl, IoPortControlLabel::Get, 0x40, 4, kAnySlot, runtime.memory);
    if (ports.error != Error::None) stop("cannot claim the PIT ports", ports.error);
    const InvokeResult handler = invoke(root_slot::kIrqControl, IrqControlLabel::Get, 2, kAnySlot, runtime.memory);
    if (handler.error != Error::None) stop("cannot claim IRQ 2", handler.error);
    const uint64_t notification = make(ObjectType::Notification);
    if (Error e = invoke(handler.words[0], IrqHandlerLabel::Bind, notification).error; e != Error::None)
        stop("cannot bind IRQ 2", e);
    const uint64_t port = ports.words[0];
    invoke(port, IoPortLabel::Out, 0x43, 1, 0x30); // channel 0, lobyte/hibyte, mode 0 (one shot)
    invoke(port, IoPortLabel::Out, 0x40, 1, 1193 & 0xff);
    invoke(port, IoPortLabel::Out, 0x40, 1, 1193 >> 8);
    SyscallResult bits = syscall(Syscall::Wait, notification);
    print("root: IRQ 2 (PIT channel 0) delivered to its notification, bits {:x}\n", bits.extra);
    invoke(handler.words[0], IrqHandlerLabel::Acknowledge);
    // A port outside the claimed range is refused, and so are the kernel's own.
    print("root: I/O port 0x60 through the PIT capability: {}\n",
          error_name(invoke(port, IoPortLabel::In, 0x60, 1).error));
    print("root: claiming COM1 (the kernel's console): {}\n",
          error_name(
              invoke(root_slot::kIoPortControl, IoPortControlLabel::Get, 0x3f8, 8, kAnySlot, runtime.memory).error));
}
