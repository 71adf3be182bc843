// kernel/arch/interrupts.hpp — interrupt lines as IRQ handlers see them.
//
// Each backend defines these. An interrupt is masked by the backend when it
// fires and stays masked until the driver acknowledges it through its IRQ
// handler (unmask_interrupt).
#pragma once

#include <stdint.h>

namespace vesta::arch {

// Number of interrupt lines user drivers can claim (0..count-1).
uint32_t interrupt_count();
void mask_interrupt(uint32_t irq);
void unmask_interrupt(uint32_t irq);

} // namespace vesta::arch
