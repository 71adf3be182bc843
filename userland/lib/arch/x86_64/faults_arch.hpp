// userland/lib/arch/x86_64/faults_arch.hpp — instructions that fault on
// purpose, for the fault tests.
#pragma once

#include <stdint.h>

namespace vesta::user {

inline void privileged_instruction() { asm volatile("hlt"); }
inline void divide_by_zero() {
    uint64_t quotient = 1, remainder = 0, zero = 0;
    asm volatile("divq %2" : "+a"(quotient), "+d"(remainder) : "r"(zero));
}
inline void undefined_instruction() { asm volatile("ud2"); }

} // namespace vesta::user

namespace vesta::user {

// Puts `marker` in xmm8, blocks in Wait on `notification` (other threads run
// and use xmm8 meanwhile), and returns what xmm8 holds afterwards: the kernel
// must have kept this thread's SSE state.
inline uint64_t fp_register_across_wait(uint64_t notification, uint64_t marker) {
    register uint64_t rdi asm("rdi") = notification;
    register uint64_t rsi asm("rsi") = 0;
    register uint64_t r12 asm("r12") = ~uint64_t{0};
    uint64_t number = 8; // Wait
    uint64_t result;
    asm volatile("movq %[marker], %%xmm8\n\t"
                 "syscall\n\t"
                 "movq %%xmm8, %[result]"
                 : [result] "=r"(result), "+a"(number), "+r"(rdi), "+r"(rsi), "+r"(r12)
                 : [marker] "r"(marker)
                 : "rcx", "r11", "rdx", "r8", "r9", "r10", "r13", "xmm8", "memory");
    return result;
}
// Scribbles over xmm8 (what another thread's test register holds).
inline void clobber_fp_register(uint64_t value) { asm volatile("movq %0, %%xmm8" ::"r"(value) : "xmm8"); }

} // namespace vesta::user
