// userland/demo/arch/aarch64/irq_demo.cpp — a device interrupt delivered to a
// notification: the PL031 real-time clock of QEMU virt (SPI 2) raises its
// match interrupt one second ahead. Its registers come from the device
// memory capabilities the kernel handed over.
#include <user/runtime.hpp>

#include "demo.hpp" // userland/demo/, on the include path

using namespace vesta;
using namespace vesta::user;

namespace {
constexpr uint64_t kRtc = 0x09010000; // QEMU virt's PL031
constexpr uint64_t kRtcSpi = 2;
constexpr uint64_t kRtcAddress = 0x0000'6800'0000'0000;
} // namespace

void irq_demo(const RootInfo& info) {
    uint64_t device = kNoSlot, first = 0;
    for (uint64_t i = 0; i < info.capability_count; ++i) {
        const RootCapability& c = info.capabilities[i];
        if (c.type == static_cast<uint64_t>(ObjectType::DeviceMemory) && c.physical <= kRtc &&
            kRtc < c.physical + c.pages * kPageSize) {
            device = c.slot;
            first = (kRtc - c.physical) / kPageSize;
        }
    }
    if (device == kNoSlot) {
        puts("root: no device memory for the PL031 RTC; skipping the IRQ demo\n");
        return;
    }
    const InvokeResult part = invoke(device, FrameLabel::Split, first, 1, kAnySlot, runtime.memory);
    if (part.error != Error::None) stop("cannot split device memory", part.error);
    if (Error e =
            invoke(runtime.vspace, VirtualSpaceLabel::Map, part.words[0], kRtcAddress, rights::kRead | rights::kWrite)
                .error;
        e != Error::None)
        stop("cannot map the RTC", e);
    const InvokeResult handler =
        invoke(root_slot::kIrqControl, IrqControlLabel::Get, kRtcSpi, kAnySlot, runtime.memory);
    if (handler.error != Error::None) stop("cannot claim SPI 2", handler.error);
    const uint64_t notification = make(ObjectType::Notification);
    if (Error e = invoke(handler.words[0], IrqHandlerLabel::Bind, notification).error; e != Error::None)
        stop("cannot bind SPI 2", e);
    auto* rtc = reinterpret_cast<volatile uint32_t*>(kRtcAddress);
    rtc[0x1c / 4] = 1;         // clear any old interrupt
    rtc[0x4 / 4] = rtc[0] + 1; // match one second ahead
    rtc[0x10 / 4] = 1;         // unmask
    SyscallResult bits = syscall(Syscall::Wait, notification);
    rtc[0x10 / 4] = 0;
    rtc[0x1c / 4] = 1;
    print("root: IRQ 2 (PL031 RTC) delivered to its notification, bits {:x}\n", bits.extra);
    invoke(handler.words[0], IrqHandlerLabel::Acknowledge);
    print("root: I/O ports on aarch64: {}\n",
          error_name(
              invoke(root_slot::kIoPortControl, IoPortControlLabel::Get, 0x60, 1, kAnySlot, runtime.memory).error));
}
