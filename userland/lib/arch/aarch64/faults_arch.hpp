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

namespace vesta::user {

// Puts `marker` in d8, blocks in Wait on `notification` (other threads run
// and use d8 meanwhile), and returns what d8 holds afterwards: the kernel
// must have kept this thread's FP/SIMD state.
inline uint64_t fp_register_across_wait(uint64_t notification, uint64_t marker) {
    register uint64_t x0 asm("x0") = notification;
    register uint64_t x1 asm("x1") = 0;
    register uint64_t x6 asm("x6") = ~uint64_t{0};
    register uint64_t x8 asm("x8") = 8; // Wait
    uint64_t result;
    asm volatile(".arch_extension fp\n\t"
                 "fmov d8, %[marker]\n\t"
                 "svc #0\n\t"
                 "fmov %[result], d8"
                 : [result] "=r"(result), "+r"(x0), "+r"(x1), "+r"(x6)
                 : [marker] "r"(marker), "r"(x8)
                 : "x2", "x3", "x4", "x5", "x7", "v8", "memory");
    return result;
}
inline void clobber_fp_register(uint64_t value) {
    asm volatile(".arch_extension fp\n\tfmov d8, %0" ::"r"(value) : "v8");
}

} // namespace vesta::user
