// arch/aarch64/kernel/secondary_entry.S — where a secondary CPU starts
// (docs/smp.md): PSCI CPU_ON and the spin-table both enter
// aarch64_secondary_entry_point at its physical address, MMU off, at EL2 or
// EL1 (x0, the PSCI context id, is not used: spin-table passes none).
//
// smp.cpp fills aarch64_secondary_handoff (through the direct map, cleaned
// to the point of coherency: this CPU reads it with its MMU off) before each
// start; one CPU starts at a time. The CPU loads the boot CPU's MAIR, TCR,
// SCTLR and TTBR1 (the kernel's tables) and a TTBR0 that identity-maps
// this code, as the loader did for the boot CPU (arch_loader.cpp): at EL2 it
// configures EL1 and ERETs straight to the kernel-virtual
// aarch64_secondary_start; at EL1 it turns the MMU on and branches there.
// Handoff and code share one 512-byte-aligned block under 512 bytes, so
// they never straddle a page.

#define HANDOFF_TTBR0 0
#define HANDOFF_TCR 16
#define HANDOFF_SCTLR 32
#define HANDOFF_PER_CPU 48
#define HANDOFF_MPIDR 64

    .section .text.secondary, "ax"
    .balign 512
    .global aarch64_secondary_handoff
aarch64_secondary_handoff:          // smp.cpp SecondaryHandoff
    .quad 0                         // 0: TTBR0 (identity map of this block)
    .quad 0                         // 8: TTBR1 (the kernel's tables)
    .quad 0                         // 16: TCR
    .quad 0                         // 24: MAIR
    .quad 0                         // 32: SCTLR
    .quad 0                         // 40: kernel stack top (kernel virtual)
    .quad 0                         // 48: PerCpu (kernel virtual)
    .quad 0                         // 56: aarch64_secondary_start (kernel virtual)
    .quad 0                         // 64: the MPIDR affinity of the CPU this handoff is for

    .global aarch64_secondary_entry_point
aarch64_secondary_entry_point:
    msr daifset, #0xf
    adr x20, aarch64_secondary_handoff
    ldp x2, x3, [x20, #HANDOFF_TTBR0]
    ldp x4, x5, [x20, #HANDOFF_TCR]
    ldp x6, x21, [x20, #HANDOFF_SCTLR]      // x21: stack top
    ldp x22, x1, [x20, #HANDOFF_PER_CPU]    // x22: PerCpu, x1: entry
    // The handoff must be this CPU's, read after everything else: smp.cpp
    // writes the CPU's MPIDR first when it reuses the block. A CPU that
    // arrives after the boot CPU gave up on it and moved on to the next
    // finds another MPIDR and parks without touching memory.
    ldr x10, [x20, #HANDOFF_MPIDR]
    mrs x9, mpidr_el1
    mov x11, #0xffffff
    movk x11, #0xff, lsl #32
    and x9, x9, x11
    cmp x9, x10
    b.ne 4f
    mrs x9, CurrentEL
    cmp x9, #(2 << 2)
    b.ne 1f
    // --- EL2: prepare EL1 (as arch_loader.cpp switch_and_jump) and ERET ---
    msr mair_el1, x5
    msr tcr_el1, x4
    msr ttbr0_el1, x2
    msr ttbr1_el1, x3
    msr sctlr_el1, x6
    mov x9, #(1 << 31)              // HCR_EL2: RW only
    msr hcr_el2, x9
    isb
    mov x9, #3                      // CNTHCTL_EL2: EL1PCTEN, EL1PCEN
    msr cnthctl_el2, x9
    mov x10, xzr                    // MDCR_EL2: no traps; PMU counters to EL1
    mrs x9, id_aa64dfr0_el1
    ubfx x9, x9, #8, #4
    cbz x9, 3f
    cmp x9, #0xf
    b.eq 3f
    mrs x10, pmcr_el0
    ubfx x10, x10, #11, #5
3:  msr mdcr_el2, x10
    msr cntvoff_el2, xzr
    mov x9, #0x33ff                 // CPTR_EL2: RES1 bits, no FP trap
    msr cptr_el2, x9
    msr hstr_el2, xzr
    msr vttbr_el2, xzr
    mrs x9, midr_el1
    msr vpidr_el2, x9
    mrs x9, mpidr_el1
    msr vmpidr_el2, x9
    mrs x9, id_aa64pfr0_el1         // GICv3 system registers present?
    ubfx x9, x9, #24, #4
    cbz x9, 2f
    mov x9, #0xf                    // ICC_SRE_EL2: SRE, DFB, DIB, Enable
    msr S3_4_C12_C9_5, x9
    isb
    msr S3_4_C12_C11_0, xzr         // ICH_HCR_EL2
2:  mov x9, #0x3c5                  // SPSR_EL2: EL1h, DAIF masked
    msr spsr_el2, x9
    msr elr_el2, x1
    tlbi vmalle1
    dsb ish
    isb
    eret
    // --- EL1: MMU on with the kernel's tables, then to the kernel-virtual entry ---
1:  mrs x9, sctlr_el1
    bic x9, x9, #1
    msr sctlr_el1, x9
    isb
    msr mair_el1, x5
    msr tcr_el1, x4
    msr ttbr0_el1, x2
    msr ttbr1_el1, x3
    isb
    tlbi vmalle1
    dsb nsh
    isb
    msr sctlr_el1, x6
    isb
    br x1
4:  wfe                             // not this CPU's handoff: park for good
    b 4b
    .global aarch64_secondary_block_end
aarch64_secondary_block_end:

// aarch64_secondary_start: kernel-virtual, MMU on; x21 stack top, x22 PerCpu.
    .text
    .global aarch64_secondary_start
aarch64_secondary_start:
    msr spsel, #1
    mov sp, x21
    adrp x9, exception_vectors
    add x9, x9, :lo12:exception_vectors
    msr vbar_el1, x9
    msr tpidr_el1, x22
    isb
    mov x0, x22
    mov x29, xzr                    // a zero frame pointer ends backtraces
    mov x30, xzr
    bl aarch64_secondary_entry      // (PerCpu*) never returns
1:  msr daifset, #0xf
    wfi
    b 1b
