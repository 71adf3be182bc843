// kernel/debug/empty_symbols.S — an empty function symbol table
// (lib/symbol_table.hpp) for the kernel's first link; the second link uses
// the table scripts/kernel-symbols makes from the first (kernel/meson.build).
    .section .rodata.vesta_kernel_symbols, "a"
    .balign 8
    .global vesta_kernel_symbols
    .global vesta_kernel_symbols_end
vesta_kernel_symbols:
    .long 0x4d595356, 0     // magic "VSYM", no entries
    .quad 0                 // base
    .long 24, 24            // names offset, size
vesta_kernel_symbols_end:
