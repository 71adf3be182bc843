// arch/aarch64/loader/arch_loader.cpp — aarch64 handoff: generic timer,
// cache maintenance, EL2 → EL1, and the switch to the kernel's tables.
#include <arch_interface.hpp>

namespace vesta::loader::arch {
namespace {

#define READ_SYSTEM_REGISTER(name)                                                                                     \
    ({                                                                                                                 \
        uint64_t value_;                                                                                               \
        asm volatile("mrs %0, " #name : "=r"(value_));                                                                 \
        value_;                                                                                                        \
    })

// TCR_EL1: 48-bit VAs in both halves (T0SZ = T1SZ = 16), 4 KiB granules,
// write-back cacheable inner-shareable walks; IPS from the CPU's PARange.
uint64_t translation_control() {
    const uint64_t parange = __extension__ READ_SYSTEM_REGISTER(id_aa64mmfr0_el1) & 0xf;
    const uint64_t ips = parange > 5 ? 5 : parange;               // 48 bits at most: our tables use 48-bit addresses
    return 16u | (1u << 8) | (1u << 10) | (3u << 12) | (0u << 14) // TTBR0: T0SZ, IRGN0, ORGN0, SH0, TG0=4K
           | (16u << 16) | (1u << 24) | (1u << 26) | (3u << 28) | (2u << 30) // TTBR1: T1SZ, …, TG1=4K
           | (ips << 32);
}

// SCTLR_EL1: MMU, data and instruction caches, stack alignment checks, the
// ARMv8.0 RES1 bits; little-endian; WFI/WFE from EL0 not trapped.
constexpr uint64_t kSystemControl =
    0x30d00800u | (1u << 0) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 12) | (1u << 16) | (1u << 18);

// Inputs: x0 boot info, x1 entry, x2 TTBR0, x3 TTBR1, x4 TCR, x5 MAIR, x6 SCTLR.
// Runs identity-mapped. At EL2 it configures EL1 and drops there with ERET
// straight into the kernel; at EL1 it turns the MMU off, installs the new
// tables and turns it on again. Either way: interrupts masked, FP/SIMD not
// trapped, the EL1 physical timer usable.
[[gnu::naked, noreturn, gnu::noinline]] void switch_and_jump(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                                                             uint64_t) {
    asm volatile("msr daifset, #0xf\n\t"
                 "mov x9, #(3 << 20)\n\t" // CPACR_EL1.FPEN: no FP/SIMD traps
                 "msr cpacr_el1, x9\n\t"
                 "mrs x9, CurrentEL\n\t"
                 "cmp x9, #(2 << 2)\n\t"
                 "b.ne 1f\n\t"
                 // --- EL2: prepare EL1 and ERET into the kernel ---
                 "msr mair_el1, x5\n\t"
                 "msr tcr_el1, x4\n\t"
                 "msr ttbr0_el1, x2\n\t"
                 "msr ttbr1_el1, x3\n\t"
                 "msr sctlr_el1, x6\n\t"
                 "mov x9, #(1 << 31)\n\t" // HCR_EL2: RW (EL1 is AArch64) only; nothing trapped, no E2H/TGE
                 "msr hcr_el2, x9\n\t"
                 "isb\n\t"
                 "mov x9, #3\n\t"              // CNTHCTL_EL2 (E2H = 0 layout): EL1PCTEN, EL1PCEN (EL1 owns the
                 "msr cnthctl_el2, x9\n\t"     // physical counter and timer), no event stream, nothing else
                 "mov x10, xzr\n\t"            // MDCR_EL2: no debug or PMU traps to EL2; with a PMUv3 every
                 "mrs x9, id_aa64dfr0_el1\n\t" // counter belongs to EL1 (HPMN = PMCR_EL0.N)
                 "ubfx x9, x9, #8, #4\n\t"
                 "cbz x9, 3f\n\t"
                 "cmp x9, #0xf\n\t"
                 "b.eq 3f\n\t"
                 "mrs x10, pmcr_el0\n\t"
                 "ubfx x10, x10, #11, #5\n"
                 "3:\n\t"
                 "msr mdcr_el2, x10\n\t"
                 "msr cntvoff_el2, xzr\n\t"
                 "mov x9, #0x33ff\n\t" // CPTR_EL2: RES1 bits, no FP trap
                 "msr cptr_el2, x9\n\t"
                 "msr hstr_el2, xzr\n\t"
                 "msr vttbr_el2, xzr\n\t"
                 "mrs x9, midr_el1\n\t"
                 "msr vpidr_el2, x9\n\t"
                 "mrs x9, mpidr_el1\n\t"
                 "msr vmpidr_el2, x9\n\t"
                 "mrs x9, id_aa64pfr0_el1\n\t" // GICv3 system registers present?
                 "ubfx x9, x9, #24, #4\n\t"
                 "cbz x9, 2f\n\t"
                 "mov x9, #0xf\n\t" // ICC_SRE_EL2: SRE, DFB, DIB, Enable (EL1 may use them)
                 "msr S3_4_C12_C9_5, x9\n\t"
                 "isb\n\t"
                 "msr S3_4_C12_C11_0, xzr\n" // ICH_HCR_EL2: no virtual CPU interface

                 "2:\n\t"
                 "mov x9, #0x3c5\n\t" // SPSR_EL2: EL1h, DAIF masked
                 "msr spsr_el2, x9\n\t"
                 "msr elr_el2, x1\n\t"
                 "tlbi vmalle1\n\t"
                 "dsb ish\n\t"
                 "isb\n\t"
                 "eret\n"
                 // --- EL1: MMU off, new tables, MMU on, jump ---
                 "1:\n\t"
                 "mrs x9, sctlr_el1\n\t"
                 "bic x9, x9, #1\n\t"
                 "msr sctlr_el1, x9\n\t"
                 "isb\n\t"
                 "msr mair_el1, x5\n\t"
                 "msr tcr_el1, x4\n\t"
                 "msr ttbr0_el1, x2\n\t"
                 "msr ttbr1_el1, x3\n\t"
                 "isb\n\t"
                 "tlbi vmalle1\n\t"
                 "dsb nsh\n\t"
                 "isb\n\t"
                 "msr sctlr_el1, x6\n\t"
                 "isb\n\t"
                 "br x1\n\t");
}

} // namespace

uint64_t read_counter() { return __extension__ READ_SYSTEM_REGISTER(cntvct_el0); }

uint64_t counter_frequency(EFI_BOOT_SERVICES*) { return __extension__ READ_SYSTEM_REGISTER(cntfrq_el0); }

uint32_t boot_level() { return static_cast<uint32_t>((__extension__ READ_SYSTEM_REGISTER(CurrentEL) >> 2) & 3); }

Result<void> check_cpu(Console& console) {
    const uint64_t mmfr0 = __extension__ READ_SYSTEM_REGISTER(id_aa64mmfr0_el1);
    if (((mmfr0 >> 28) & 0xf) == 0xf) {
        console.print("vesta loader: the CPU does not support 4 KiB translation granules\n");
        return Error::NotSupported;
    }
    const uint32_t level = boot_level();
    if (level != 1 && level != 2) {
        console.print("vesta loader: started at EL{}; only EL1 and EL2 are supported\n", level);
        return Error::NotSupported;
    }
    return {};
}

void prepare_code(uint64_t address, uint64_t size) {
    // Clean the data cache to the point of unification, then invalidate the
    // instruction cache, so instruction fetches see what was written.
    const uint64_t ctr = __extension__ READ_SYSTEM_REGISTER(ctr_el0);
    const uint64_t line = uint64_t{4} << ((ctr >> 16) & 0xf);
    for (uint64_t p = address & ~(line - 1); p < address + size; p += line) asm volatile("dc cvau, %0" ::"r"(p));
    asm volatile("dsb ish\n\tic iallu\n\tdsb ish\n\tisb" ::: "memory");
}

uint64_t handoff_code_address() { return reinterpret_cast<uint64_t>(&switch_and_jump); }

void enter_kernel(const KernelTables& tables, uint64_t entry, uint64_t boot_info) {
    // Table walks are cacheable (TCR IRGN/ORGN) and the handoff touches no
    // memory while the MMU is off, so no data-cache cleaning is needed; the
    // kernel's code was made fetchable by prepare_code() when it was copied.
    switch_and_jump(boot_info, entry, tables.identity_root(), tables.kernel_root(), translation_control(),
                    aarch64::PagingFormat::kMair, kSystemControl);
}

} // namespace vesta::loader::arch
