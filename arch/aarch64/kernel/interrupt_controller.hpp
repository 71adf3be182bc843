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
// Whether secondaries run tasks here: a GIC (SGIs, a per-CPU timer PPI), or
// the Pi 3's BCM2836 local controller (per-core mailboxes and timer
// interrupt control) when every CPU the tree lists is one of its four cores
// (docs/smp.md).
bool schedules_secondaries();
// This CPU takes the reschedule IPI: SGI 1 (and learns its GICv2 target
// bit), or its BCM2836 mailbox 0.
void enable_reschedule_interrupt();
// Sends the reschedule IPI to `cpu` (SGI 1, or a write to its BCM2836
// mailbox 0); false where there is none.
bool send_reschedule_sgi(const Cpu& cpu);
// An IRQ exception: find its source (GIC acknowledge, or the bcm2836 local
// source register and then the armctrl's pending registers), dispatch one
// interrupt, end it. Others still pending raise the exception again.
void dispatch_interrupt(Cpu& cpu);

// --- SMP (smp.cpp) -------------------------------------------------------------

// The machine the device tree describes (platform.cpp).
const platform::Platform& machine_description();
// Boot CPU, before starting the CPU with affinity `mpidr`: on a GICv3, finds
// and returns its redistributor (kernel virtual; the region is mapped once);
// 0 on other controllers. Fails: NotFound (no redistributor has that
// affinity), OutOfMemory.
Result<uint64_t> find_redistributor(uint64_t mpidr, PageAllocator& pages);
// On the secondary CPU itself: its GIC CPU interface (GICv2: banked PMR and
// CTLR, SGI/PPI priorities) or redistributor and system-register interface
// (GICv3), every private interrupt left disabled; on the BCM2836, this
// core's number there, its timer and mailbox interrupts off and its
// reschedule mailbox emptied.
void initialise_secondary_interrupts(uint64_t redistributor);

} // namespace vesta::aarch64
