// userland/tests/irq_tests.cpp — a device interrupt delivered to a bound
// notification and acknowledged (x86_64: PIT channel 0 on GSI 2 through an
// I/O-port capability; aarch64: the PL031 RTC on SPI 2 through device
// memory), IRQ handler errors, I/O ports.
#include "suite.hpp"

namespace suite {

namespace {

InvokeResult get_line(uint64_t line) {
    return invoke(slot::kIrqControl, IrqControlLabel::Get, line, kAnySlot, runtime.memory);
}

#if defined(__x86_64__)
constexpr uint64_t kLine = 2; // ISA IRQ 0 (PIT) is GSI 2 on a PC
uint64_t pit = kNoSlot;
bool arm_device() {
    if (pit == kNoSlot) {
        const InvokeResult ports =
            invoke(slot::kIoPortControl, IoPortControlLabel::Get, 0x40, 4, kAnySlot, runtime.memory);
        if (ports.error != Error::None) return false;
        pit = ports.words[0];
    }
    invoke(pit, IoPortLabel::Out, 0x43, 1, 0x30); // channel 0, lobyte/hibyte, mode 0 (one shot)
    invoke(pit, IoPortLabel::Out, 0x40, 1, 1193 & 0xff);
    return invoke(pit, IoPortLabel::Out, 0x40, 1, 1193 >> 8).error == Error::None;
}
void quiet_device() {}
#else
constexpr uint64_t kLine = 2; // the PL031's SPI on QEMU virt
constexpr uint64_t kDeviceAddress = 0x0000'3200'0000'0000;
volatile uint32_t* rtc = nullptr;
bool arm_device() {
    if (!rtc) {
        if (invoke(runtime.vspace, VirtualSpaceLabel::Map, slot::kDevice, kDeviceAddress,
                   rights::kRead | rights::kWrite)
                .error != Error::None)
            return false;
        rtc = reinterpret_cast<volatile uint32_t*>(kDeviceAddress);
    }
    rtc[0x1c / 4] = 1;         // clear an old match
    rtc[0x4 / 4] = rtc[0] + 1; // match one second ahead
    rtc[0x10 / 4] = 1;         // unmask
    return true;
}
void quiet_device() {
    rtc[0x10 / 4] = 0;
    rtc[0x1c / 4] = 1;
}
#endif

bool interrupt_delivered(int rounds) {
    const InvokeResult handler = get_line(kLine);
    EXPECT_OK(handler.error);
    const uint64_t notification = make(ObjectType::Notification);
    uint64_t badged = 0;
    EXPECT_OK(copy_cap(notification, rights::kWrite, 0x200, &badged));
    EXPECT_OK(invoke(handler.words[0], IrqHandlerLabel::Bind, badged).error);
    for (int i = 0; i < rounds; ++i) {
        EXPECT(arm_device());
        const SyscallResult bits = syscall(Syscall::Wait, notification);
        quiet_device();
        EXPECT_OK(bits.error);
        EXPECT(bits.extra == 0x200);
        EXPECT_OK(invoke(handler.words[0], IrqHandlerLabel::Acknowledge).error);
    }
    return true;
}
bool interrupt_once() { return interrupt_delivered(1); }
bool interrupt_after_acknowledge() { return interrupt_delivered(2); }

bool line_claimed_once() {
    const InvokeResult a = get_line(kLine);
    EXPECT_OK(a.error);
    EXPECT_ERROR(get_line(kLine).error, Error::Busy);
    // Destroying the handler releases the line.
    EXPECT_OK(delete_cap(a.words[0]));
    EXPECT_OK(get_line(kLine).error);
    return true;
}

bool handler_errors() {
    EXPECT_ERROR(get_line(100000).error, Error::OutOfRange);
    EXPECT_ERROR(get_line(~uint64_t{0}).error, Error::OutOfRange);
    const InvokeResult h = get_line(kLine);
    EXPECT_OK(h.error);
    EXPECT_ERROR(invoke(h.words[0], IrqHandlerLabel::Unbind).error, Error::InvalidArgument);
    EXPECT_ERROR(invoke(h.words[0], IrqHandlerLabel::Acknowledge).error, Error::InvalidArgument);
    const uint64_t notification = make(ObjectType::Notification);
    uint64_t read_only = 0;
    EXPECT_OK(copy_cap(notification, rights::kRead, 0, &read_only));
    EXPECT_ERROR(invoke(h.words[0], IrqHandlerLabel::Bind, read_only).error, Error::MissingRights);
    EXPECT_ERROR(invoke(h.words[0], IrqHandlerLabel::Bind, make(ObjectType::Endpoint)).error, Error::WrongType);
    EXPECT_OK(invoke(h.words[0], IrqHandlerLabel::Bind, notification).error);
    EXPECT_ERROR(invoke(h.words[0], IrqHandlerLabel::Bind, notification).error, Error::Busy);
    EXPECT_OK(invoke(h.words[0], IrqHandlerLabel::Unbind).error);
    return true;
}

bool get_checks_memory_and_destination() {
    EXPECT_ERROR(invoke(slot::kIrqControl, IrqControlLabel::Get, kLine, kAnySlot, slot::kConsole).error,
                 Error::WrongType);
    EXPECT_ERROR(invoke(slot::kIrqControl, IrqControlLabel::Get, kLine, slot::kConsole, runtime.memory).error,
                 Error::SlotOccupied);
    return true;
}

#if defined(__x86_64__)
bool io_ports() {
    const InvokeResult ports = invoke(slot::kIoPortControl, IoPortControlLabel::Get, 0x70, 2, kAnySlot, runtime.memory);
    EXPECT_OK(ports.error);
    const uint64_t port = ports.words[0];
    EXPECT_ERROR(invoke(port, IoPortLabel::In, 0x70, 3).error, Error::InvalidArgument);
    EXPECT_ERROR(invoke(port, IoPortLabel::In, 0x72, 1).error, Error::OutOfRange);
    EXPECT_ERROR(invoke(port, IoPortLabel::In, 0x71, 2).error, Error::OutOfRange); // straddles the end
    EXPECT_ERROR(invoke(port, IoPortLabel::Out, 0x70, 1, 0x100).error, Error::OutOfRange);
    EXPECT_OK(invoke(port, IoPortLabel::Out, 0x70, 1, 0x0a).error); // CMOS status A
    EXPECT_OK(invoke(port, IoPortLabel::In, 0x71, 1).error);
    EXPECT_ERROR(invoke(slot::kIoPortControl, IoPortControlLabel::Get, 0x71, 1, kAnySlot, runtime.memory).error,
                 Error::Busy);
    return true;
}
bool kernel_ports_refused() {
    EXPECT_ERROR(invoke(slot::kIoPortControl, IoPortControlLabel::Get, 0x3f8, 8, kAnySlot, runtime.memory).error,
                 Error::Busy);
    EXPECT_ERROR(invoke(slot::kIoPortControl, IoPortControlLabel::Get, 0xf4, 1, kAnySlot, runtime.memory).error,
                 Error::Busy);
    EXPECT_ERROR(invoke(slot::kIoPortControl, IoPortControlLabel::Get, 0xffff, 2, kAnySlot, runtime.memory).error,
                 Error::OutOfRange);
    EXPECT_ERROR(invoke(slot::kIoPortControl, IoPortControlLabel::Get, 0x80, 0, kAnySlot, runtime.memory).error,
                 Error::OutOfRange);
    return true;
}
bool in_out_instructions_fault() {
    const FaultReport f = run_expecting_fault(
        [](uint64_t) {
            asm volatile("outb %%al, $0x80" ::"a"(0));
            thread_exit();
        },
        1);
    EXPECT(f.faulted && f.kind == FaultKind::Protection);
    return true;
}
#else
bool io_ports() {
    EXPECT_ERROR(invoke(slot::kIoPortControl, IoPortControlLabel::Get, 0x70, 2, kAnySlot, runtime.memory).error,
                 Error::NotSupported);
    return true;
}
#endif

} // namespace

extern const Test kIrqTests[] = {
    {"irq.interrupt_delivered", interrupt_once},
    {"irq.interrupt_after_acknowledge", interrupt_after_acknowledge},
    {"irq.line_claimed_once", line_claimed_once},
    {"irq.handler_errors", handler_errors},
    {"irq.get_checks_memory_and_destination", get_checks_memory_and_destination},
    {"io.ports", io_ports},
#if defined(__x86_64__)
    {"io.kernel_ports_refused", kernel_ports_refused},
    {"io.in_out_instructions_fault", in_out_instructions_fault},
#endif
};
extern const size_t kIrqTestCount = sizeof(kIrqTests) / sizeof(kIrqTests[0]);

} // namespace suite
