// userland/lib/arch/x86_64/crt0.S — task entry: rdi = the start-up argument
// (the root task: its RootInfo; others: what the parent chose). Calls
// vesta_start(argument) with a 16-byte aligned stack; it never returns.
    .text
    .global _start
_start:
    and $-16, %rsp
    xor %ebp, %ebp
    call vesta_start
1:  ud2
    jmp 1b
