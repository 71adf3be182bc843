// userland/lib/arch/x86_64/syscall_arch.hpp — the syscall instruction.
//
// x86_64 ABI (docs/syscall-abi.md): rax = syscall number; r0..r7 = rdi, rsi,
// rdx, r10, r8, r9, r12, r13 in and out; rcx and r11 are clobbered (SYSCALL
// and SYSRET use them); every other register is preserved.
#pragma once

#include <stdint.h>

#include <lib/elf.hpp>

namespace vesta::user {

inline constexpr uint16_t kElfMachine = elf::kMachineX86_64;

// The stack pointer a new thread starts with, for a stack of `bytes` at
// `base` (both 16-byte aligned): a thread is entered as if called: rsp = 8 mod 16 (the return address a call
// would have pushed; SSE spills fault otherwise).
inline constexpr uint64_t thread_stack_top(uint64_t base, uint64_t bytes) { return base + bytes - 8; }

struct Registers {
    uint64_t r[8];
};

inline void syscall_raw(uint64_t number, Registers& regs) {
    register uint64_t rdi asm("rdi") = regs.r[0];
    register uint64_t rsi asm("rsi") = regs.r[1];
    register uint64_t rdx asm("rdx") = regs.r[2];
    register uint64_t r10 asm("r10") = regs.r[3];
    register uint64_t r8 asm("r8") = regs.r[4];
    register uint64_t r9 asm("r9") = regs.r[5];
    register uint64_t r12 asm("r12") = regs.r[6];
    register uint64_t r13 asm("r13") = regs.r[7];
    asm volatile("syscall"
                 : "+a"(number), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8), "+r"(r9), "+r"(r12), "+r"(r13)
                 :
                 : "rcx", "r11", "memory");
    regs.r[0] = rdi;
    regs.r[1] = rsi;
    regs.r[2] = rdx;
    regs.r[3] = r10;
    regs.r[4] = r8;
    regs.r[5] = r9;
    regs.r[6] = r12;
    regs.r[7] = r13;
}

// A syscall that reads only r0 (Signal, Wait): the other registers are not
// set up (the kernel ignores them), and all eight come back as results.
inline void syscall_raw_r0(uint64_t number, uint64_t r0, Registers& regs) {
    register uint64_t rdi asm("rdi") = r0;
    register uint64_t rsi asm("rsi");
    register uint64_t rdx asm("rdx");
    register uint64_t r10 asm("r10");
    register uint64_t r8 asm("r8");
    register uint64_t r9 asm("r9");
    register uint64_t r12 asm("r12");
    register uint64_t r13 asm("r13");
    asm volatile("syscall"
                 : "+a"(number), "+r"(rdi), "=r"(rsi), "=r"(rdx), "=r"(r10), "=r"(r8), "=r"(r9), "=r"(r12), "=r"(r13)
                 :
                 : "rcx", "r11", "memory");
    regs.r[0] = rdi;
    regs.r[1] = rsi;
    regs.r[2] = rdx;
    regs.r[3] = r10;
    regs.r[4] = r8;
    regs.r[5] = r9;
    regs.r[6] = r12;
    regs.r[7] = r13;
}

inline uint64_t cycle_counter() {
    uint32_t low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return uint64_t{high} << 32 | low;
}

// Under QEMU -icount shift=0 the TSC advances once per instruction.
inline uint64_t ticks_to_instructions(uint64_t ticks) { return ticks; }

} // namespace vesta::user
