// arch/aarch64/kernel/interrupt_controller.hpp — the interrupt controllers
// found in the device tree (GICv2, GICv3; on the Raspberry Pi 3 the BCM2836
// per-core controller with the BCM2835 "armctrl" chained behind it) and the
// generic timer's tick.
//
// Interrupt lines of IrqControl.Get (platform::irq_line() computes them from
// the device tree): on a GIC, line n is shared peripheral interrupt n (INTID
// 32 + n); on the armctrl, ARM interrupt n is line 32 + n and GPU interrupt n
// line 64 + n, the numbers the Pi 4's GIC gives the same peripherals. The
// timer is the EL1 virtual timer's PPI, or its bcm2836 local interrupt.
#pragma once

#include <lib/result.hpp>
#include <stdint.h>

namespace vesta {
class PageAllocator;
struct Cpu;
namespace platform {
struct Platform;
}
} // namespace vesta

namespace vesta::aarch64 {

inline constexpr uint32_t kTickMicroseconds = 10000;

Result<void> initialise_interrupts(const platform::Platform& machine, PageAllocator& pages);
void start_timer();
// An IRQ exception: find its source (GIC acknowledge, or the bcm2836 local
// source register and then the armctrl's pending registers), dispatch one
// interrupt, end it. Others still pending raise the exception again.
void dispatch_interrupt(Cpu& cpu);

} // namespace vesta::aarch64
