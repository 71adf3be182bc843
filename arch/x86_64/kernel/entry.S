// arch/x86_64/kernel/entry.S — kernel entry and exception stubs.
//
// The loader jumps to _start with interrupts masked, the kernel's page tables
// in CR3, the firmware's GDT still loaded, no usable stack, and the boot-info
// pointer in %rdi.

    .section .text.entry, "ax"
    .global _start
_start:
    lea boot_stack_top(%rip), %rsp
    xor %ebp, %ebp
    push %rbp                       // a zero return address ends backtraces
    call x86_64_kernel_entry        // (BootInfo*) never returns
1:  cli
    hlt
    jmp 1b

// Exception stubs: each pushes a zero error code where the CPU pushes none,
// then its vector, and joins exception_common, which saves the general
// registers in the layout of ExceptionFrame (exceptions.cpp).
.macro exception_stub vector, has_error_code
    .align 16
exception_stub_\vector:
    .if \has_error_code == 0
    push $0
    .endif
    push $\vector
    jmp exception_common
.endm

    .text
exception_stub 0, 0
exception_stub 1, 0
exception_stub 2, 0
exception_stub 3, 0
exception_stub 4, 0
exception_stub 5, 0
exception_stub 6, 0
exception_stub 7, 0
exception_stub 8, 1
exception_stub 9, 0
exception_stub 10, 1
exception_stub 11, 1
exception_stub 12, 1
exception_stub 13, 1
exception_stub 14, 1
exception_stub 15, 0
exception_stub 16, 0
exception_stub 17, 1
exception_stub 18, 0
exception_stub 19, 0
exception_stub 20, 0
exception_stub 21, 1
exception_stub 22, 0
exception_stub 23, 0
exception_stub 24, 0
exception_stub 25, 0
exception_stub 26, 0
exception_stub 27, 0
exception_stub 28, 0
exception_stub 29, 1
exception_stub 30, 1
exception_stub 31, 0

exception_common:
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi
    cld
    call x86_64_exception           // (ExceptionFrame*)
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    add $16, %rsp                   // vector and error code
    iretq

// The table of stub addresses, read by the IDT setup.
    .section .rodata
    .global exception_stub_table
    .align 8
exception_stub_table:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad exception_stub_\v
    .endr

    .section .bss
    .align 16
    .global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    .skip 65536
boot_stack_top:
