// userland/lib/arch/aarch64/faults_arch.hpp — instructions that fault on
// purpose, for the fault tests.
#pragma once

#include <stdint.h>

namespace vesta::user {

// Masking interrupts is privileged at EL0 (SCTLR_EL1.UMA = 0): a trap.
inline void privileged_instruction() { asm volatile("msr daifset, #2"); }
// AArch64 integer division by zero does not trap (the result is 0, Arm ARM
// C3.4.8), so this stand-in executes an undefined instruction instead.
inline void divide_by_zero() { asm volatile("udf #1"); }
inline void undefined_instruction() { asm volatile("udf #0"); }

} // namespace vesta::user
