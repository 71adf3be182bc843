// aarch64 backend: the saved user register state of a thread.
//
// Layout shared with arch/aarch64/kernel/entry.S (offsets checked below):
// x0..x30, SP_EL0, the return address (ELR_EL1) and PSTATE (SPSR_EL1) — the
// 272-byte frame an exception from EL0 stores — then TPIDR_EL0 (switched with
// the thread) and the FP/SIMD state (q0..q31, FPCR, FPSR), switched lazily:
// a thread's first FP/SIMD instruction after another thread used them traps
// (CPACR_EL1.FPEN) and the kernel swaps the state then. SP_EL1 points just past the frame of the running
// thread, so an exception from EL0 stores straight into its context.
// Syscall registers: x8 = number, r0..r7 = x0..x7.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::arch {

namespace aarch64_context {
inline constexpr size_t kFrameBytes = 272;
inline constexpr uint64_t kUserPstate = 0; // EL0t, interrupts unmasked
} // namespace aarch64_context

class alignas(16) UserContext {
public:
    uint64_t syscall_number() const { return x[8]; }
    uint64_t argument(size_t index) const { return x[index]; }
    void set_argument(size_t index, uint64_t value) { x[index] = value; }
    uint64_t instruction_pointer() const { return pc; }
    void set_instruction_pointer(uint64_t value) { pc = value; }
    uint64_t stack_pointer() const { return sp; }
    void restart_syscall() { pc -= 4; } // ELR points after the `svc`; x8 still holds the number
    void set_stack_pointer(uint64_t value) { sp = value; }
    void initialise(uint64_t entry, uint64_t stack, uint64_t argument0) {
        for (uint64_t& r : x) r = 0;
        x[0] = argument0;
        sp = stack;
        pc = entry;
        pstate = aarch64_context::kUserPstate;
        tpidr = 0;
        fpcr = 0;
        fpsr = 0;
        for (uint8_t& b : fp) b = 0;
    }

    uint64_t x[31] = {};
    uint64_t sp = 0;
    uint64_t pc = 0;
    uint64_t pstate = aarch64_context::kUserPstate;
    uint64_t tpidr = 0;
    uint64_t fpcr = 0;
    uint64_t fpsr = 0;
    uint64_t reserved = 0;
    alignas(16) uint8_t fp[512] = {};
};

static_assert(offsetof(UserContext, sp) == 248);
static_assert(offsetof(UserContext, pc) == 256);
static_assert(offsetof(UserContext, pstate) == 264);
static_assert(offsetof(UserContext, tpidr) == aarch64_context::kFrameBytes);
static_assert(offsetof(UserContext, fpcr) == 280);
static_assert(offsetof(UserContext, fp) == 304);

} // namespace vesta::arch
