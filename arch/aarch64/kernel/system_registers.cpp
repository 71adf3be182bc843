// arch/aarch64/kernel/system_registers.cpp — EL1 system registers with
// explicit values (Arm ARM D17, D11).
#include "system_registers.hpp"

#include <arch/platform.hpp>
#include <console.hpp>
#include <stdint.h>

namespace vesta::aarch64 {
namespace {

// SCTLR_EL1: MMU (M), data and instruction caches (C, I), SP alignment checks
// at EL1 and EL0 (SA, SA0), WFI/WFE not trapped from EL0 (nTWI, nTWE), and
// the bits that are RES1 in ARMv8.0 (11 EOS, 20 TSCXT, 22 EIS, 23 SPAN,
// 28 nTLSMD, 29 LSMAOE). Off: alignment faults (A), big-endian (EE, E0E),
// EL0 access to cache maintenance, CTR_EL0, DC ZVA and DAIF (UCI, UCT, DZE,
// UMA), pointer authentication, BTI, MTE. With PAN, SPAN is cleared so that
// every exception taken to EL1 sets PSTATE.PAN.
constexpr uint64_t kSctlrSpan = 1ull << 23;
constexpr uint64_t kSctlr =
    0x30d00800u | (1u << 0) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 12) | (1u << 16) | (1u << 18);

// CNTKCTL_EL1: EL0 may read the virtual counter (EL0VCTEN) and nothing else:
// no physical counter (EL0PCTEN), no access to either timer (EL0VTEN,
// EL0PTEN: the virtual timer is the kernel's tick), no event stream.
constexpr uint64_t kCntkctlEl0Vcten = 1u << 1;
constexpr uint64_t kCntkctlLeftovers = (1u << 0) | (1u << 1) | (1u << 8) | (1u << 9);

// CPACR_EL1: FP/SIMD trapped from EL0 until a thread owns the registers
// (FPEN = 01, switched by user.cpp); SVE and SME trapped at EL0 and EL1.
constexpr uint64_t kCpacrFpTrapEl0 = 1u << 20;

// MDSCR_EL1: no debug exceptions (MDE, KDE, SS clear); EL0 access to the
// debug communications channel trapped (TDCC).
constexpr uint64_t kMdscrTdcc = 1u << 12;

bool has_pan() {
    uint64_t features;
    asm volatile("mrs %0, id_aa64mmfr1_el1" : "=r"(features));
    return ((features >> 20) & 0xf) != 0;
}
bool has_pmu() {
    uint64_t features;
    asm volatile("mrs %0, id_aa64dfr0_el1" : "=r"(features));
    const uint64_t version = (features >> 8) & 0xf;
    return version != 0 && version != 0xf; // PMUv3 (0xf: IMPLEMENTATION DEFINED, not PMUv3)
}

} // namespace

Protections program_system_registers() {
    const bool pan = has_pan();
    asm volatile("msr sctlr_el1, %0\n\tisb" ::"r"(pan ? kSctlr & ~kSctlrSpan : kSctlr) : "memory");
    if (pan) asm volatile(".inst 0xd500419f" ::: "memory"); // msr pan, #1 (ARMv8.1)
    asm volatile("msr cntkctl_el1, %0" ::"r"(kCntkctlEl0Vcten));
    asm volatile("msr cntp_ctl_el0, xzr\n\tmsr cntv_ctl_el0, xzr");
    asm volatile("msr cpacr_el1, %0" ::"r"(kCpacrFpTrapEl0));
    asm volatile("msr mdscr_el1, %0" ::"r"(kMdscrTdcc));
    if (has_pmu()) asm volatile("msr pmuserenr_el0, xzr");
    asm volatile("msr tpidr_el0, xzr\n\tmsr tpidrro_el0, xzr\n\tisb" ::: "memory");
    return Protections{pan};
}

void report_protections(const Protections& protections) {
    print(protections.pan ? "cpu: PAN\n" : "cpu: none (the CPU lacks PAN)\n");
}

void set_firmware_leftovers() {
    uint64_t timer_control;
    asm volatile("mrs %0, cntkctl_el1" : "=r"(timer_control));
    asm volatile("msr cntkctl_el1, %0" ::"r"(timer_control | kCntkctlLeftovers));
    asm volatile("msr mdscr_el1, xzr");
    if (has_pmu()) asm volatile("msr pmuserenr_el0, %0" ::"r"(uint64_t{0xf})); // EN, SW, CR, ER
    asm volatile("isb" ::: "memory");
}

} // namespace vesta::aarch64

namespace vesta::arch {

void leave_firmware_leftovers() { aarch64::set_firmware_leftovers(); }

} // namespace vesta::arch
