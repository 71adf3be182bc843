// arch/aarch64/kernel/entry.S — kernel entry and exception vectors.
//
// The loader enters _start at EL1 with the MMU on (the kernel's tables in
// TTBR1_EL1, an identity page in TTBR0_EL1), DAIF masked, and the boot-info
// pointer in x0.

    .section .text.entry, "ax"
    .global _start
_start:
    adrp x9, boot_stack_top
    add x9, x9, :lo12:boot_stack_top
    mov sp, x9
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
// Each saves the general registers as an ExceptionFrame (exceptions.cpp) and
// calls aarch64_exception(frame, kind), kind = entry index 0..15.
.macro vector_entry kind
    .align 7
    sub sp, sp, #(36 * 8)
    stp x0, x1, [sp, #(0 * 8)]
    mov x0, #\kind
    b exception_common
.endm

    .text
    .align 11
    .global exception_vectors
exception_vectors:
    .irp kind, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    vector_entry \kind
    .endr

exception_common:
    // x0 holds the kind; the original x0, x1 are saved at [sp].
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
    add x13, sp, #(36 * 8)
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

    .section .bss
    .align 16
    .global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    .skip 65536
boot_stack_top:
