// arch/aarch64/kernel/interrupt_controller.hpp — the GIC (v2 or v3, from the
// device tree) and the generic timer's tick.
//
// Interrupt lines of IrqControl.Get are shared peripheral interrupts: line n
// is GIC INTID 32 + n. The timer is the EL1 virtual timer's PPI.
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
// An IRQ exception: acknowledge at the GIC, dispatch, end it.
void dispatch_interrupt(Cpu& cpu);

} // namespace vesta::aarch64
