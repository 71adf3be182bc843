// userland/lib/arch/aarch64/crt0.S — task entry: x0 = the start-up argument.
// Calls vesta_start(argument) with a 16-byte aligned stack; never returns.
    .text
    .global _start
_start:
    mov x9, sp
    and x9, x9, #~15
    mov sp, x9
    mov x29, xzr
    mov x30, xzr
    bl vesta_start
1:  udf #0
    b 1b
