// arch/aarch64/kernel/entry.S — kernel entry and exception vectors.
//
// The loader enters _start at EL1 with the MMU on (the kernel's tables in
// TTBR1_EL1, an identity page in TTBR0_EL1), DAIF masked, and the boot-info
// pointer in x0.

#define KERNEL_STACK_SHIFT 16          // kernel.ld: stacks are 1 << 16 bytes, aligned to twice that
#define FRAME_SIZE (36 * 8)             // ExceptionFrame (exceptions.cpp)
#define PER_CPU_EMERGENCY_STACK 8       // PerCpu::emergency_stack_top (per_cpu.hpp)
#define PER_CPU_CPU 16                  // PerCpu::cpu
#define CPU_CURRENT 16                  // vesta::Cpu::current
#define CPU_USER_TASK 24                // vesta::Cpu::user_task
#define CPU_ENTRY_IS_SYSCALL 40         // vesta::Cpu::entry_is_syscall
#define LOCK_SERVING 4                  // vesta::KernelLock (smp/kernel_lock.hpp)
#define FAST_PATH_SWITCHED 2            // vesta::FastPath::Switched (SameThread is 0)
#define FAST_PATH_NOT_TAKEN 1           // vesta::FastPath::NotTaken
#define FAST_PATH_TABLE_SIZE 16         // vesta::kFastPathTableSize (syscall/fast_path.hpp)

    .section .text.entry, "ax"
    .global _start
_start:
    msr spsel, #1                   // the kernel runs on SP_EL1
    adrp x9, boot_stack_top
    add x9, x9, :lo12:boot_stack_top
    mov sp, x9
    // Paint the whole boot stack (lib/kernel_stack.hpp kStackPaint) for the high-water mark.
    adrp x10, boot_stack_bottom
    add x10, x10, :lo12:boot_stack_bottom
    movz x11, #0x6b76
    movk x11, #0x6e72, lsl #16
    movk x11, #0x7473, lsl #32
    movk x11, #0x6b61, lsl #48
1:  stp x11, x11, [x10], #16
    cmp x10, x9
    b.lo 1b
    adrp x9, exception_vectors
    add x9, x9, :lo12:exception_vectors
    msr vbar_el1, x9
    isb
    mov x29, xzr                    // a zero frame pointer ends backtraces
    mov x30, xzr
    bl aarch64_kernel_entry         // (BootInfo*) never returns
1:  msr daifset, #0xf
    wfi
    b 1b

// Exception vectors (Arm ARM D1.10.2): 16 entries of 128 bytes, 2 KiB aligned.
// From EL1 (entries 0..7: kernel faults, interrupts while idle) each saves
// the general registers as an ExceptionFrame (exceptions.cpp) on the kernel
// stack and calls aarch64_exception(frame, kind), kind = entry index —
// unless SP has run off the kernel stack: then storing the frame would fault
// again on the guard page, forever. So before storing anything each entry
// tests bit KERNEL_STACK_SHIFT of the new SP (clear on a kernel stack, set
// just below one, kernel.ld) without a free register, by adding x0 to SP and
// subtracting it again (Linux arm64's overflow check), and on overflow moves
// to this CPU's emergency stack (stack_overflow_N below). From
// EL0 (entries 8..15) SP_EL1 points just past the running thread's
// UserContext frame (aarch64_return_to_user leaves it there), so the frame is
// stored straight into the context; then aarch64_user_trap(context, kind)
// runs on the per-CPU kernel stack (TPIDR_EL1 -> PerCpu) and never returns.
.macro vector_entry kind
    .align 7
    sub sp, sp, #FRAME_SIZE
    add sp, sp, x0                  // sp = new sp + x0
    sub x0, sp, x0                  // x0 = new sp
    tbnz x0, #KERNEL_STACK_SHIFT, stack_overflow_\kind
    sub x0, sp, x0                  // x0 = x0 again
    sub sp, sp, x0                  // sp = new sp again
    stp x0, x1, [sp, #(0 * 8)]
    mov x0, #\kind
    b exception_common
.endm

.macro user_vector_entry kind
    .align 7
    stp x0, x1, [sp, #-272]!        // the frame, and x0, x1 in it
    mov x0, #\kind
    b user_common
.endm

// Two tables, the same but for where a synchronous exception from EL0 (a
// syscall, or a fault) goes: exception_vectors to user_synchronous, which
// takes the kernel lock (several CPUs run tasks), and
// exception_vectors_unlocked to user_synchronous_unlocked, which does not
// (one CPU runs tasks: vesta_kernel_locking false, smp/cross_cpu.hpp). Each
// CPU's VBAR_EL1 names one: the secondaries' always the locked table, the
// boot CPU's the unlocked one only when the boot decided that no secondary
// runs tasks (arch::run_user), so no instruction of the syscall path tests
// the mode.
.macro vector_table name, synchronous
    .align 11
    .global \name
\name:
    .irp kind, 0,1,2,3,4,5,6,7
    vector_entry \kind
    .endr
    // Synchronous from EL0 (AArch64): syscalls take their own way in.
    .align 7
    stp x0, x1, [sp, #-272]!        // the frame, and x0, x1 in it
    b \synchronous
    .irp kind, 9,10,11,12,13,14,15
    user_vector_entry \kind
    .endr
.endm

    .text
    vector_table exception_vectors, user_synchronous
    vector_table exception_vectors_unlocked, user_synchronous_unlocked

// Stores x2..x30, SP_EL0, ELR_EL1 and SPSR_EL1 into the frame at sp (the
// vector stored x0 and x1), then moves to the per-CPU kernel stack with the
// frame's address in x19 (callee-saved: it survives the C++ call) and the
// PerCpu address in x10. Leaves x1 and x8 alone, and x29 the thread's: the
// callers zero it (a zero frame pointer ends backtraces) except around the
// fast path, where one instruction counts and a backtrace stops anyway at
// a frame pointer off the kernel stack (kernel/debug/backtrace.cpp).
.macro save_user_frame
    stp x2, x3, [sp, #(2 * 8)]
    stp x4, x5, [sp, #(4 * 8)]
    stp x6, x7, [sp, #(6 * 8)]
    stp x8, x9, [sp, #(8 * 8)]
    stp x10, x11, [sp, #(10 * 8)]
    stp x12, x13, [sp, #(12 * 8)]
    stp x14, x15, [sp, #(14 * 8)]
    stp x16, x17, [sp, #(16 * 8)]
    stp x18, x19, [sp, #(18 * 8)]
    stp x20, x21, [sp, #(20 * 8)]
    stp x22, x23, [sp, #(22 * 8)]
    stp x24, x25, [sp, #(24 * 8)]
    stp x26, x27, [sp, #(26 * 8)]
    stp x28, x29, [sp, #(28 * 8)]
    mrs x9, sp_el0
    stp x30, x9, [sp, #(30 * 8)]    // x30, sp
    mrs x10, elr_el1
    mrs x11, spsr_el1
    stp x10, x11, [sp, #(32 * 8)]   // pc, pstate
    mov x19, sp
    mrs x10, tpidr_el1              // PerCpu, kept in x10
    ldr x9, [x10]                   // PerCpu::kernel_stack_top
    mov sp, x9
.endm

user_common:                        // x0 = the vector's kind (x0, x1 are saved)
    mov x1, x0
    save_user_frame
    mov x29, xzr
    mov x0, x19
    bl aarch64_user_trap            // (UserContext*, kind) never returns
    brk #0

// kind 8: an SVC is the syscall path. Two from one macro (see the tables):
// user_synchronous takes the kernel lock, user_synchronous_unlocked does not.
.macro user_synchronous_entry locked
    save_user_frame
    mrs x9, esr_el1
    lsr x9, x9, #26
    cmp x9, #0x15
    b.ne 1f
    ldr x0, [x10, #PER_CPU_CPU]
.if \locked
    // The kernel lock, as enter_kernel() (smp/cross_cpu.hpp) takes it: the
    // trapped thread (only this CPU writes user_task; the store-release
    // publishes the saved frame), a ticket, and vesta_wait_for_turn only
    // when it is not its turn.
    mov w9, #1
    strb w9, [x0, #CPU_ENTRY_IS_SYSCALL]
    ldr x1, [x0, #CPU_USER_TASK]    // the thread that trapped
    add x9, x0, #CPU_USER_TASK
    stlr xzr, [x9]
    adrp x11, vesta_kernel_lock
    add x11, x11, :lo12:vesta_kernel_lock
5:  ldaxr w12, [x11]
    add w13, w12, #1
    stxr w14, w13, [x11]
    cbnz w14, 5b
    add x15, x11, #LOCK_SERVING
    ldar w13, [x15]
    cmp w13, w12
    b.ne 7f
    // Another CPU took the thread off this one meanwhile (the syscall was
    // rewound): just resume whatever this CPU runs now.
6:  ldr x9, [x0, #CPU_CURRENT]
    cmp x9, x1
    b.ne 4f
.else
    ldr x1, [x0, #CPU_CURRENT]      // the thread that trapped: no other CPU acts on it
.endif
    // The fast path first: vesta_fast_paths[number](cpu, cpu->current)
    // (the number: x8 is still the thread's), as vesta_fast_syscall would.
    cmp x8, #FAST_PATH_TABLE_SIZE
    b.hs 8f
    adrp x9, vesta_fast_paths
    add x9, x9, :lo12:vesta_fast_paths
    ldr x9, [x9, x8, lsl #3]
    blr x9                          // -> FastPath in w0
    cbnz w0, 2f                     // not FastPath::SameThread (0)
.if \locked
    // The lock, released as leave_kernel() does (only its holder writes
    // `serving`; the store-release orders everything before it).
    mrs x10, tpidr_el1
    ldr x0, [x10, #PER_CPU_CPU]
    ldr x9, [x0, #CPU_CURRENT]
    str x9, [x0, #CPU_USER_TASK]
    adrp x11, vesta_kernel_lock
    add x11, x11, :lo12:vesta_kernel_lock
    ldr w9, [x11, #LOCK_SERVING]
    add w9, w9, #1
    add x15, x11, #LOCK_SERVING
    stlr w9, [x15]
.endif
    // Short exit: the fast path finished the syscall and the same thread runs
    // on with only x0..x7 changed (kernel/syscall/fast_path.hpp); ELR_EL1,
    // SPSR_EL1, SP_EL0, TPIDR_EL0 and TTBR0 are as they were, and x20..x28
    // still hold the thread's values (callee-saved in the kernel's C++).
    mov sp, x19
    ldp x0, x1, [sp, #(0 * 8)]
    ldp x2, x3, [sp, #(2 * 8)]
    ldp x4, x5, [sp, #(4 * 8)]
    ldp x6, x7, [sp, #(6 * 8)]
    ldp x8, x9, [sp, #(8 * 8)]
    ldp x10, x11, [sp, #(10 * 8)]
    ldp x12, x13, [sp, #(12 * 8)]
    ldp x14, x15, [sp, #(14 * 8)]
    ldp x16, x17, [sp, #(16 * 8)]
    ldp x18, x19, [sp, #(18 * 8)]
    ldp x29, x30, [sp, #(29 * 8)]
    add sp, sp, #272
    eret
1:  mov x29, xzr
    mov x0, x19
    mov x1, #8
    bl aarch64_user_trap            // (UserContext*, kind) never returns
    brk #0
2:  cmp w0, #FAST_PATH_SWITCHED
    b.ne 3f
4:  mov x29, xzr
    mrs x9, tpidr_el1               // switched: run cpu->current
    ldr x0, [x9, #PER_CPU_CPU]
    bl _ZN5vesta7aarch646resumeERNS_3CpuE // vesta::aarch64::resume(Cpu&) never returns
3:  mov x29, xzr
    mov x1, x19
    bl aarch64_syscall              // (FastPath, UserContext*) the general path, then resume
    brk #0
8:  mov w0, #FAST_PATH_NOT_TAKEN    // a number beyond the table: no fast path
    b 3b
.if \locked
7:  stp x0, x1, [sp, #-16]!         // not its turn yet: wait (answering requests)
    mov w1, w12
    bl vesta_wait_for_turn          // (Cpu&, ticket); x8 and x19 are kept (x8: saved below)
    ldp x0, x1, [sp], #16
    ldr x8, [x19, #(8 * 8)]         // the number, from the frame
    b 6b
.endif
.endm

user_synchronous:
    user_synchronous_entry 1
user_synchronous_unlocked:
    user_synchronous_entry 0

// aarch64_return_to_user(UserContext*): load the frame and ERET to EL0;
// SP_EL1 ends just past the frame, ready for the next exception from EL0.
    .global aarch64_return_to_user
aarch64_return_to_user:
    mov sp, x0
    ldp x10, x11, [sp, #(32 * 8)]
    msr elr_el1, x10
    msr spsr_el1, x11
    ldp x30, x9, [sp, #(30 * 8)]
    msr sp_el0, x9
    ldp x2, x3, [sp, #(2 * 8)]
    ldp x4, x5, [sp, #(4 * 8)]
    ldp x6, x7, [sp, #(6 * 8)]
    ldp x8, x9, [sp, #(8 * 8)]
    ldp x10, x11, [sp, #(10 * 8)]
    ldp x12, x13, [sp, #(12 * 8)]
    ldp x14, x15, [sp, #(14 * 8)]
    ldp x16, x17, [sp, #(16 * 8)]
    ldp x18, x19, [sp, #(18 * 8)]
    ldp x20, x21, [sp, #(20 * 8)]
    ldp x22, x23, [sp, #(22 * 8)]
    ldp x24, x25, [sp, #(24 * 8)]
    ldp x26, x27, [sp, #(26 * 8)]
    ldp x28, x29, [sp, #(28 * 8)]
    ldp x0, x1, [sp, #(0 * 8)]
    add sp, sp, #272
    eret

// aarch64_idle(stack_top): wait for an interrupt on a fresh kernel stack; it
// enters through exception_common and never comes back here.
    .global aarch64_idle
aarch64_idle:
    mov sp, x0
    mov x29, xzr
1:  msr daifclr, #2
    wfi
    b 1b

// FP/SIMD state (the kernel itself never uses these registers).
    .arch_extension fp
    .arch_extension simd
// aarch64_fp_save(UserContext::fp, &UserContext::fpcr)
    .global aarch64_fp_save
aarch64_fp_save:
    stp q0, q1, [x0, #0]
    stp q2, q3, [x0, #32]
    stp q4, q5, [x0, #64]
    stp q6, q7, [x0, #96]
    stp q8, q9, [x0, #128]
    stp q10, q11, [x0, #160]
    stp q12, q13, [x0, #192]
    stp q14, q15, [x0, #224]
    stp q16, q17, [x0, #256]
    stp q18, q19, [x0, #288]
    stp q20, q21, [x0, #320]
    stp q22, q23, [x0, #352]
    stp q24, q25, [x0, #384]
    stp q26, q27, [x0, #416]
    stp q28, q29, [x0, #448]
    stp q30, q31, [x0, #480]
    mrs x2, fpcr
    mrs x3, fpsr
    stp x2, x3, [x1]
    ret
// aarch64_fp_restore(UserContext::fp, &UserContext::fpcr)
    .global aarch64_fp_restore
aarch64_fp_restore:
    ldp q0, q1, [x0, #0]
    ldp q2, q3, [x0, #32]
    ldp q4, q5, [x0, #64]
    ldp q6, q7, [x0, #96]
    ldp q8, q9, [x0, #128]
    ldp q10, q11, [x0, #160]
    ldp q12, q13, [x0, #192]
    ldp q14, q15, [x0, #224]
    ldp q16, q17, [x0, #256]
    ldp q18, q19, [x0, #288]
    ldp q20, q21, [x0, #320]
    ldp q22, q23, [x0, #352]
    ldp q24, q25, [x0, #384]
    ldp q26, q27, [x0, #416]
    ldp q28, q29, [x0, #448]
    ldp q30, q31, [x0, #480]
    ldp x2, x3, [x1]
    msr fpcr, x2
    msr fpsr, x3
    ret

// Stores x2..x30, ELR, SPSR, ESR into the ExceptionFrame at sp and leaves
// FAR in x12 (x0, x1 are the caller's).
.macro save_kernel_frame
    stp x2, x3, [sp, #(2 * 8)]
    stp x4, x5, [sp, #(4 * 8)]
    stp x6, x7, [sp, #(6 * 8)]
    stp x8, x9, [sp, #(8 * 8)]
    stp x10, x11, [sp, #(10 * 8)]
    stp x12, x13, [sp, #(12 * 8)]
    stp x14, x15, [sp, #(14 * 8)]
    stp x16, x17, [sp, #(16 * 8)]
    stp x18, x19, [sp, #(18 * 8)]
    stp x20, x21, [sp, #(20 * 8)]
    stp x22, x23, [sp, #(22 * 8)]
    stp x24, x25, [sp, #(24 * 8)]
    stp x26, x27, [sp, #(26 * 8)]
    stp x28, x29, [sp, #(28 * 8)]
    mrs x9, elr_el1
    mrs x10, spsr_el1
    stp x30, x9, [sp, #(30 * 8)]    // x30, elr
    mrs x11, esr_el1
    stp x10, x11, [sp, #(32 * 8)]   // spsr, esr
    mrs x12, far_el1
.endm

exception_common:
    // x0 holds the kind; the original x0, x1 are saved at [sp].
    save_kernel_frame
    add x13, sp, #FRAME_SIZE
    stp x12, x13, [sp, #(34 * 8)]   // far, sp before the exception (EL1h)
    mov x1, x0
    mov x0, sp
    bl aarch64_exception            // (ExceptionFrame*, kind)
    ldp x30, x9, [sp, #(30 * 8)]
    ldp x10, x11, [sp, #(32 * 8)]
    msr elr_el1, x9
    msr spsr_el1, x10
    ldp x0, x1, [sp, #(0 * 8)]
    ldp x2, x3, [sp, #(2 * 8)]
    ldp x4, x5, [sp, #(4 * 8)]
    ldp x6, x7, [sp, #(6 * 8)]
    ldp x8, x9, [sp, #(8 * 8)]
    ldp x10, x11, [sp, #(10 * 8)]
    ldp x12, x13, [sp, #(12 * 8)]
    ldp x14, x15, [sp, #(14 * 8)]
    ldp x16, x17, [sp, #(16 * 8)]
    ldp x18, x19, [sp, #(18 * 8)]
    ldp x20, x21, [sp, #(20 * 8)]
    ldp x22, x23, [sp, #(22 * 8)]
    ldp x24, x25, [sp, #(24 * 8)]
    ldp x26, x27, [sp, #(26 * 8)]
    ldp x28, x29, [sp, #(28 * 8)]
    add sp, sp, #(36 * 8)
    eret

// stack_overflow_N: the vector N found SP off the kernel stack. On entry x0
// holds that SP (with the frame already reserved) and SP holds it plus the
// original x0. Stash both in TPIDR_EL0 and TPIDRRO_EL0 (the machine stops
// after the report, so no thread needs them again), switch to the emergency
// stack named by the per-CPU area (TPIDR_EL1), save the frame there and call
// aarch64_stack_overflow(frame, N), which reports and never returns. Without
// per-CPU data (before aarch64_kernel_entry set it) nothing can be
// reported: this CPU halts.
.macro overflow_stub kind
stack_overflow_\kind:
    sub sp, sp, x0                  // sp = the original x0
    msr tpidr_el0, x0
    mov x0, sp
    msr tpidrro_el0, x0
    mrs x0, tpidr_el1
    cbz x0, 1f
    ldr x0, [x0, #PER_CPU_EMERGENCY_STACK]
    cbz x0, 1f
    mov sp, x0
    sub sp, sp, #FRAME_SIZE
    mrs x0, tpidrro_el0
    stp x0, x1, [sp, #(0 * 8)]
    mov x0, #\kind
    b stack_overflow_common
1:  msr daifset, #0xf
    wfi
    b 1b
.endm

    .irp kind, 0,1,2,3,4,5,6,7
    overflow_stub \kind
    .endr

stack_overflow_common:
    save_kernel_frame
    mrs x13, tpidr_el0
    add x13, x13, #FRAME_SIZE
    stp x12, x13, [sp, #(34 * 8)]   // far, sp before the exception
    mov x1, x0
    mov x0, sp
    bl aarch64_stack_overflow       // (ExceptionFrame*, kind) never returns
    brk #0
