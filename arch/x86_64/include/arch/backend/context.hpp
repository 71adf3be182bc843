// x86_64 backend: the saved user register state of a thread.
//
// The layout is shared with the assembly in arch/x86_64/kernel/entry.S and
// must not change without it (offsets are checked below). The general
// registers come first, ordered so that the generic syscall registers r0..r7
// (vesta/syscall.hpp) are the contiguous regs[0..7]:
//   r0 rdi, r1 rsi, r2 rdx, r3 r10, r4 r8, r5 r9, r6 r12, r7 r13; rax = number.
// Then the vector and error code, then the hardware interrupt frame (rip, cs,
// rflags, rsp, ss). The end of that frame is the TSS.rsp0 of the running
// thread, so an interrupt or exception taken in user mode pushes its frame
// straight into the thread's context; `syscall` builds the same frame by hand.
// The FXSAVE image of the thread's x87/SSE state follows (docs/syscall-abi.md:
// saved and restored eagerly when the CPU switches threads).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::arch {

namespace x86_64_context {
inline constexpr size_t kRdi = 0, kRsi = 1, kRdx = 2, kR10 = 3, kR8 = 4, kR9 = 5, kR12 = 6, kR13 = 7, kRax = 8,
                        kRbx = 9, kRcx = 10, kRbp = 11, kR11 = 12, kR14 = 13, kR15 = 14;
inline constexpr size_t kGeneralRegisters = 15;
inline constexpr uint64_t kUserCodeSelector = 0x2b;
inline constexpr uint64_t kUserDataSelector = 0x23;
inline constexpr uint64_t kInitialFlags = 0x202;  // IF set, reserved bit 1
inline constexpr uint64_t kSyscallVector = 0x100; // "vector" of a frame built by syscall
} // namespace x86_64_context

class alignas(16) UserContext {
public:
    uint64_t syscall_number() const { return regs[x86_64_context::kRax]; }
    uint64_t argument(size_t index) const { return regs[index]; }
    void set_argument(size_t index, uint64_t value) { regs[index] = value; }
    uint64_t instruction_pointer() const { return rip; }
    void set_instruction_pointer(uint64_t value) { rip = value; }
    uint64_t stack_pointer() const { return rsp; }
    void restart_syscall() { rip -= 2; } // `syscall` is 0f 05; rax still holds the number
    void set_stack_pointer(uint64_t value) { rsp = value; }
    void initialise(uint64_t entry, uint64_t stack, uint64_t argument0) {
        for (uint64_t& r : regs) r = 0;
        regs[0] = argument0;
        vector = 0; // not from syscall: the first return uses iretq and loads every register
        error_code = 0;
        rip = entry;
        cs = x86_64_context::kUserCodeSelector;
        rflags = x86_64_context::kInitialFlags;
        rsp = stack;
        ss = x86_64_context::kUserDataSelector;
        for (uint8_t& b : fpu) b = 0;
        fpu[0] = 0x7f; // FCW = 0x037f: x87 exceptions masked, extended precision
        fpu[1] = 0x03;
        fpu[24] = 0x80; // MXCSR = 0x1f80: SSE exceptions masked
        fpu[25] = 0x1f;
    }

    // Public for the assembly and the backend; the core uses the accessors.
    uint64_t regs[x86_64_context::kGeneralRegisters] = {};
    uint64_t vector = 0;
    uint64_t error_code = 0;
    uint64_t rip = 0;
    uint64_t cs = x86_64_context::kUserCodeSelector;
    uint64_t rflags = x86_64_context::kInitialFlags;
    uint64_t rsp = 0;
    uint64_t ss = x86_64_context::kUserDataSelector;
    uint64_t reserved = 0;
    alignas(16) uint8_t fpu[512] = {};
};

static_assert(offsetof(UserContext, vector) == 120);
static_assert(offsetof(UserContext, rip) == 136);
static_assert(offsetof(UserContext, rflags) == 152);
static_assert(offsetof(UserContext, rsp) == 160);
static_assert(offsetof(UserContext, ss) == 168);
static_assert(offsetof(UserContext, reserved) == 176); // TSS.rsp0 = context + 176
static_assert(offsetof(UserContext, fpu) == 192);

} // namespace vesta::arch
