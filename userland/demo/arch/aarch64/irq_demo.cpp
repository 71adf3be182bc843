// userland/demo/arch/aarch64/irq_demo.cpp — a device interrupt delivered to a
// notification. The device and its IrqControl line come from the device tree
// the kernel handed over (platform::irq_line(), the rule a driver loader uses):
//  - QEMU virt: the PL031 real-time clock raises its match interrupt one
//    second ahead; its registers come from the device memory capabilities
//    the kernel handed over (the firmware's memory map lists the RTC).
//  - Raspberry Pi 3 and 4: the console's mini-UART raises its receive
//    interrupt when a key is typed (line 93 on both: armctrl GPU interrupt
//    29 on the Pi 3, GIC SPI 93 on the Pi 4). Its registers come from
//    System.ReleaseConsole; from then on a thread of the root task copies the
//    kernel log to the UART, as a log service would.
#include <lib/fdt.hpp>
#include <platform/devicetree_platform.hpp>
#include <user/runtime.hpp>

#include "demo.hpp" // userland/demo/, on the include path

using namespace vesta;
using namespace vesta::user;

namespace {

constexpr uint64_t kDeviceAddress = 0x0000'6800'0000'0000;

// The device memory capability (split to one page) holding `physical`, or kNoSlot.
uint64_t device_page(const RootInfo& info, uint64_t physical) {
    for (uint64_t i = 0; i < info.capability_count; ++i) {
        const RootCapability& c = info.capabilities[i];
        if (c.type == static_cast<uint64_t>(ObjectType::DeviceMemory) && c.physical <= physical &&
            physical < c.physical + c.pages * kPageSize) {
            const InvokeResult part =
                invoke(c.slot, FrameLabel::Split, (physical - c.physical) / kPageSize, 1, kAnySlot, runtime.memory);
            if (part.error != Error::None) stop("cannot split device memory", part.error);
            return part.words[0];
        }
    }
    return kNoSlot;
}

void map_device(uint64_t slot, uint64_t address) {
    if (Error e = invoke(runtime.vspace, VirtualSpaceLabel::Map, slot, address, rights::kRead | rights::kWrite).error;
        e != Error::None)
        stop("cannot map device registers", e);
}

// A handler for `line`, bound to a new notification; returns the handler's slot.
uint64_t claim_line(uint64_t line, uint64_t* notification) {
    const InvokeResult handler = invoke(root_slot::kIrqControl, IrqControlLabel::Get, line, kAnySlot, runtime.memory);
    if (handler.error != Error::None) stop("cannot claim the IRQ line", handler.error);
    *notification = make(ObjectType::Notification);
    if (Error e = invoke(handler.words[0], IrqHandlerLabel::Bind, *notification).error; e != Error::None)
        stop("cannot bind the IRQ line", e);
    return handler.words[0];
}

// QEMU virt's PL031: a match interrupt one second ahead.
void rtc_demo(const RootInfo& info, uint64_t physical, uint64_t line) {
    const uint64_t device = device_page(info, physical);
    if (device == kNoSlot) {
        puts("root: no device memory for the PL031 RTC; skipping the IRQ demo\n");
        return;
    }
    map_device(device, kDeviceAddress);
    uint64_t notification = kNoSlot;
    const uint64_t handler = claim_line(line, &notification);
    auto* rtc = reinterpret_cast<volatile uint32_t*>(kDeviceAddress + physical % kPageSize);
    rtc[0x1c / 4] = 1;         // clear any old interrupt
    rtc[0x4 / 4] = rtc[0] + 1; // match one second ahead
    rtc[0x10 / 4] = 1;         // unmask
    SyscallResult bits = syscall(Syscall::Wait, notification);
    rtc[0x10 / 4] = 0;
    rtc[0x1c / 4] = 1;
    print("root: IRQ {} (PL031 RTC) delivered to its notification, bits {:x}\n", line, bits.extra);
    invoke(handler, IrqHandlerLabel::Acknowledge);
}

// Mini-UART registers (BCM2835 ARM Peripherals 2.2), from the node's `reg`.
// IER bit 0 enables the receive interrupt (the manual's table has bits 0 and
// 1 swapped; its errata, Linux and QEMU agree on bit 0). Bits 3:2 are set
// too: eLinux's datasheet errata reports boards need them for interrupts
// (not verified on a board here; QEMU ignores them).
constexpr uint32_t kMuIo = 0x00 / 4, kMuIer = 0x04 / 4, kMuLsr = 0x14 / 4;
constexpr uint32_t kIerReceive = 0x1 | 0xc;
constexpr uint32_t kLsrDataReady = 1u << 0, kLsrTransmitterEmpty = 1u << 5;

// The log forwarder thread: what the kernel logs after the hand-over (the
// root's own messages among them) goes to the UART, LF as CR LF.
volatile uint32_t* forward_uart = nullptr;
uint64_t forward_from = 0;
constexpr uint64_t kForwarderConsole = 1, kForwarderNotification = 2; // its own cspace (spawn: 1 = console)

void uart_put(char c) {
    while (!(forward_uart[kMuLsr] & kLsrTransmitterEmpty)) {
    }
    forward_uart[kMuIo] = static_cast<uint8_t>(c);
}

[[noreturn]] void forward_log(uint64_t ipc_address) {
    auto* buffer = reinterpret_cast<IpcBuffer*>(ipc_address);
    uint64_t sequence = forward_from;
    for (;;) {
        const InvokeResult read = invoke(kForwarderConsole, ConsoleLabel::Read, sequence);
        if (read.error == Error::None && read.words[1] != 0) {
            for (uint64_t i = 0; i < read.words[1]; ++i) {
                const char c = static_cast<char>(buffer->words[i / 8] >> (8 * (i % 8)));
                if (c == '\n') uart_put('\r');
                uart_put(c);
            }
            sequence = read.words[0];
            continue;
        }
        buffer->poll[0] = kForwarderNotification; // nothing signals it: a two-tick sleep
        syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, 2);
    }
}

void start_log_forwarder(volatile uint32_t* uart) {
    forward_uart = uart;
    forward_from = invoke(root_slot::kConsole, ConsoleLabel::Read, ~uint64_t{0}).words[0]; // the log's end
    uint64_t stack = 0, stack_page = 0;
    if (Error e = map_new_pages(2, rights::kRead | rights::kWrite, &stack, &stack_page); e != Error::None)
        stop("no stack for the log forwarder", e);
    SpawnOptions options;
    options.vspace = runtime.vspace;
    options.priority = 64; // below the root's 128: it prints when the root waits or ends
    options.entry = reinterpret_cast<uint64_t>(&forward_log);
    options.stack_top = thread_stack_top(stack, 2 * kPageSize);
    Spawned thread{};
    if (Error e = spawn(nullptr, 0, options, &thread); e != Error::None) stop("cannot spawn the log forwarder", e);
    if (Error e = give(thread, kForwarderNotification, make(ObjectType::Notification)); e != Error::None)
        stop("cannot equip the log forwarder", e);
    start(thread);
}

// The console's mini-UART: the receive interrupt brings a typed key.
void uart_demo(const fdt::DeviceTree& tree, fdt::Node uart, uint64_t line) {
    auto registers = tree.cpu_region(uart, 0);
    if (!registers.ok()) {
        print("root: the console's registers: {}; skipping the IRQ demo\n", fdt::message(registers.error()));
        return;
    }
    print("root: type a key: the mini-UART's receive interrupt (IRQ line {}, from the device tree) brings it\n", line);
    const InvokeResult released = invoke(root_slot::kSystem, SystemLabel::ReleaseConsole, kAnySlot, runtime.memory);
    if (released.error != Error::None) stop("cannot take the console's UART", released.error);
    const uint64_t first = released.words[2], bytes = released.words[3];
    const uint64_t physical = registers.value().address;
    if (physical < first || physical + registers.value().size > first + bytes)
        stop("the released UART is not the device tree's console", Error::InvalidArgument);
    map_device(released.words[0], kDeviceAddress);
    auto* mu = reinterpret_cast<volatile uint32_t*>(kDeviceAddress + (physical - first));
    start_log_forwarder(mu);

    uint64_t notification = kNoSlot;
    const uint64_t handler = claim_line(line, &notification);
    mu[kMuIer] = kIerReceive;
    SyscallResult bits = syscall(Syscall::Wait, notification);
    mu[kMuIer] = 0;
    uint32_t received = 0;
    uint8_t key = 0;
    for (; mu[kMuLsr] & kLsrDataReady; ++received) {
        const uint8_t byte = static_cast<uint8_t>(mu[kMuIo]);
        if (received == 0) key = byte;
    }
    print("root: IRQ {} (mini-UART receive) delivered to its notification, bits {:x}; "
          "{} byte(s) read, the first {:x}\n",
          line, bits.extra, received, key);
    invoke(handler, IrqHandlerLabel::Acknowledge);
}

} // namespace

void irq_demo(const RootInfo& info) {
    auto opened = fdt::DeviceTree::open(reinterpret_cast<const void*>(info.device_tree), info.device_tree_size);
    if (!info.device_tree || !opened.ok()) {
        puts("root: no device tree; skipping the IRQ demo\n");
        return;
    }
    const fdt::DeviceTree& tree = opened.value();
    // A PL031 (QEMU virt), else the console if it is a mini-UART (the Pis).
    // AAVMF marks the PL031 "disabled" (its runtime services read the clock);
    // the demo only borrows its match interrupt, as before.
    fdt::Node device = tree.next_compatible(fdt::Node(), "arm,pl031");
    const bool rtc = device.valid();
    if (!rtc) {
        auto console = tree.stdout_path();
        if (console.ok() && tree.is_compatible(console.value().node, "brcm,bcm2835-aux-uart"))
            device = console.value().node;
    }
    if (!device.valid()) {
        puts("root: no PL031 RTC and no mini-UART console; skipping the IRQ demo\n");
    } else if (auto line = platform::irq_line(tree, device, 0); !line.ok()) {
        print("root: the device's interrupt has no IRQ line: {}; skipping the IRQ demo\n",
              platform::message(line.error()));
    } else if (rtc) {
        auto registers = tree.cpu_region(device, 0);
        if (registers.ok()) rtc_demo(info, registers.value().address, line.value());
    } else {
        uart_demo(tree, device, line.value());
    }
    const Error ports =
        invoke(root_slot::kIoPortControl, IoPortControlLabel::Get, 0x60, 1, kAnySlot, runtime.memory).error;
    print("root: I/O ports on aarch64: {}\n", error_name(ports));
}
