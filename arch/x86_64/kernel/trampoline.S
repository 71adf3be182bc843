// arch/x86_64/kernel/trampoline.S — where a secondary CPU starts (docs/smp.md).
//
// smp.cpp copies [x86_64_trampoline_start, x86_64_trampoline_end) to the
// trampoline page (page-aligned, below 1 MiB, taken from usable memory at
// boot) and fills its handoff block, then sends INIT and start-up IPIs
// whose vector is that page number. The CPU starts in real mode at
// CS = page << 8, IP = 0, and goes straight to long mode:
//   lgdt (a flat GDT in the page), CR4.PAE, CR3 = the trampoline's own PML4
//   (below 4 GiB: identity-maps the first 2 MiB and shares the kernel's
//   upper half), EFER.LME|NXE, CR0.PE|PG, far jump to 64-bit code;
// then, on the stack smp.cpp prepared, jumps to x86_64_secondary_start in
// the kernel image, which loads the kernel's own CR3 and calls C++.
// Everything below is position-independent: 16-bit code addresses the page
// through DS = CS, 64-bit code through RIP.

#define HANDOFF 0xf00                   // smp.cpp TrampolineHandoff, at this offset in the page

    .section .rodata.trampoline, "a"
    .balign 16
    .global x86_64_trampoline_start, x86_64_trampoline_end
x86_64_trampoline_start:
    .code16
    cli
    cld
    mov %cs, %ax
    mov %ax, %ds
    lgdtl HANDOFF + 0x00            // TrampolineHandoff::gdtr
    mov $0x20, %eax                 // CR4.PAE
    mov %eax, %cr4
    movl HANDOFF + 0x10, %eax       // ::trampoline_root (< 4 GiB)
    mov %eax, %cr3
    mov $0xc0000080, %ecx           // EFER
    rdmsr
    or $0x900, %eax                 // LME | NXE (the kernel's tables use NX)
    wrmsr
    mov %cr0, %eax
    or $0x80000011, %eax            // PG | ET | PE
    mov %eax, %cr0
    ljmpl *(HANDOFF + 0x08)         // ::long_mode_entry (offset, selector 0x08)

    .code64
    .balign 8
    .global x86_64_trampoline_long_mode
x86_64_trampoline_long_mode:
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov $1, %eax
    cpuid
    shr $24, %ebx                   // this CPU's initial APIC ID
    mov %ebx, %r8d
    lea x86_64_trampoline_start(%rip), %rbx
    mov HANDOFF + 0x18(%rbx), %rsp  // ::stack_top (the kernel's upper half is mapped)
    mov HANDOFF + 0x20(%rbx), %rdi  // ::per_cpu
    mov HANDOFF + 0x28(%rbx), %rsi  // ::kernel_root
    mov HANDOFF + 0x30(%rbx), %rax  // ::entry = x86_64_secondary_start
    // The handoff must be this CPU's, read after everything else: smp.cpp
    // writes the APIC ID first when it reuses the block. A CPU that arrives
    // after the boot CPU gave up on it and moved on parks here, touching nothing.
    cmp HANDOFF + 0x38(%rbx), %r8d  // ::apic_id
    jne 1f
    jmp *%rax
1:  cli
    hlt
    jmp 1b

    .balign 8
    .global x86_64_trampoline_gdt
x86_64_trampoline_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        // 0x08: 64-bit code
    .quad 0x00cf92000000ffff        // 0x10: data
x86_64_trampoline_end:

// x86_64_secondary_start(PerCpu* rdi, kernel root rsi), rsp = the CPU's
// kernel stack top: leaves the trampoline's tables for the kernel's.
    .text
    .global x86_64_secondary_start
x86_64_secondary_start:
    mov %rsi, %cr3
    xor %ebp, %ebp
    push %rbp                       // a zero return address ends backtraces
    call x86_64_secondary_entry     // (PerCpu*) never returns
1:  cli
    hlt
    jmp 1b
