// userland/lib/arch/aarch64/syscall_arch.hpp — the svc instruction.
//
// aarch64 ABI (docs/syscall-abi.md): x8 = syscall number; r0..r7 = x0..x7 in
// and out; every other register is preserved.
#pragma once

#include <stdint.h>

#include <lib/elf.hpp>

namespace vesta::user {

inline constexpr uint16_t kElfMachine = elf::kMachineAArch64;

// The stack pointer a new thread starts with, for a stack of `bytes` at
// `base` (both 16-byte aligned): a thread is entered with sp 16-byte aligned (the AAPCS64 rule at every call).
inline constexpr uint64_t thread_stack_top(uint64_t base, uint64_t bytes) { return base + bytes - 16; }

struct Registers {
    uint64_t r[8];
};

inline void syscall_raw(uint64_t number, Registers& regs) {
    register uint64_t x0 asm("x0") = regs.r[0];
    register uint64_t x1 asm("x1") = regs.r[1];
    register uint64_t x2 asm("x2") = regs.r[2];
    register uint64_t x3 asm("x3") = regs.r[3];
    register uint64_t x4 asm("x4") = regs.r[4];
    register uint64_t x5 asm("x5") = regs.r[5];
    register uint64_t x6 asm("x6") = regs.r[6];
    register uint64_t x7 asm("x7") = regs.r[7];
    register uint64_t x8 asm("x8") = number;
    asm volatile("svc #0"
                 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7)
                 : "r"(x8)
                 : "memory");
    regs.r[0] = x0;
    regs.r[1] = x1;
    regs.r[2] = x2;
    regs.r[3] = x3;
    regs.r[4] = x4;
    regs.r[5] = x5;
    regs.r[6] = x6;
    regs.r[7] = x7;
}

// A syscall that reads only r0 (Signal, Wait): the other registers are not
// set up (the kernel ignores them), and all eight come back as results.
inline void syscall_raw_r0(uint64_t number, uint64_t r0, Registers& regs) {
    register uint64_t x0 asm("x0") = r0;
    register uint64_t x1 asm("x1");
    register uint64_t x2 asm("x2");
    register uint64_t x3 asm("x3");
    register uint64_t x4 asm("x4");
    register uint64_t x5 asm("x5");
    register uint64_t x6 asm("x6");
    register uint64_t x7 asm("x7");
    register uint64_t x8 asm("x8") = number;
    asm volatile("svc #0"
                 : "+r"(x0), "=r"(x1), "=r"(x2), "=r"(x3), "=r"(x4), "=r"(x5), "=r"(x6), "=r"(x7)
                 : "r"(x8)
                 : "memory");
    regs.r[0] = x0;
    regs.r[1] = x1;
    regs.r[2] = x2;
    regs.r[3] = x3;
    regs.r[4] = x4;
    regs.r[5] = x5;
    regs.r[6] = x6;
    regs.r[7] = x7;
}

// CNTVCT_EL0 (EL0 access enabled by the kernel).
inline uint64_t cycle_counter() {
    uint64_t value;
    asm volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(value));
    return value;
}

// Under QEMU -icount shift=0 one instruction takes 1 ns, so CNTVCT (CNTFRQ Hz)
// advances once per 1e9 / CNTFRQ instructions (16 at 62.5 MHz).
inline uint64_t ticks_to_instructions(uint64_t ticks) {
    uint64_t frequency;
    asm volatile("mrs %0, cntfrq_el0" : "=r"(frequency));
    return frequency ? ticks * (1000000000 / frequency) : ticks;
}

} // namespace vesta::user
