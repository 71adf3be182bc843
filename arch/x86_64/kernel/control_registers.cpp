// arch/x86_64/kernel/control_registers.cpp — CR0, CR4, EFER and the MSRs
// the kernel relies on, with explicit values (Intel SDM vol. 3, 2.5 and 4).
#include "control_registers.hpp"

#include <arch/platform.hpp>
#include <console.hpp>

#include "per_cpu.hpp"

extern "C" {
uint8_t x86_64_smap_enabled = 0;
}

namespace vesta::x86_64 {
namespace {

// CR0: protected mode, x87 errors native (NE) and monitored (MP), ET, paging,
// and supervisor writes honour read-only pages (WP). Caches on (CD, NW clear),
// no FPU traps (EM, TS clear: user FPU state is switched eagerly), no
// alignment checks (AM clear: RFLAGS.AC never raises #AC in user mode).
constexpr uint64_t kCr0Pe = 1u << 0, kCr0Mp = 1u << 1, kCr0Et = 1u << 4, kCr0Ne = 1u << 5, kCr0Wp = 1u << 16,
                   kCr0Pg = 1u << 31;
constexpr uint64_t kCr0 = kCr0Pe | kCr0Mp | kCr0Et | kCr0Ne | kCr0Wp | kCr0Pg;

// CR4: PAE (long mode), machine checks reported (MCE, vector 18 on IST3),
// global kernel pages (PGE: user pages are never global), FXSAVE/SSE for user
// threads (OSFXSR, OSXMMEXCPT), plus SMEP/SMAP/UMIP when present. Everything
// else is off, in particular OSXSAVE (only FXSAVE state is switched, so AVX
// state would leak between threads), FSGSBASE (user code could change the
// GS base the kernel trusts after swapgs), PCE (rdpmc from user mode), TSD
// (rdtsc stays usable: it is the user runtime's clock), PKE, LA57, and PCIDE
// until enable_pcids() (arch::enable_tlb_tags) sets it.
constexpr uint64_t kCr4Pae = 1u << 5, kCr4Mce = 1u << 6, kCr4Pge = 1u << 7, kCr4Pce = 1u << 8, kCr4Osfxsr = 1u << 9,
                   kCr4Osxmmexcpt = 1u << 10, kCr4Umip = 1u << 11, kCr4Fsgsbase = 1u << 16, kCr4Osxsave = 1u << 18,
                   kCr4Smep = 1u << 20, kCr4Smap = 1u << 21;
constexpr uint64_t kCr4 = kCr4Pae | kCr4Mce | kCr4Pge | kCr4Osfxsr | kCr4Osxmmexcpt;

// EFER: SYSCALL, long mode (LME; LMA is read-only and set), no-execute pages.
// Off: FFXSR (AMD's fast FXSAVE skips the XMM registers in ring 0, so the
// kernel's fxsave64 would not save them), SVME, LMSLE, TCE.
constexpr uint64_t kEfer = (1u << 0) | (1u << 8) | (1u << 10) | (1u << 11);

// PAT as at reset: entry 0 WB, 1 WT, 2 UC-, 3 UC (and again for 4–7). The
// paging format (arch/x86_64/paging_format.hpp) relies on 0 = WB and 3 = UC.
constexpr uint32_t kMsrPat = 0x277;
constexpr uint64_t kPat = 0x0007040600070406;

// SYSENTER: CS 0 makes `sysenter` raise #GP instead of entering ring 0
// wherever the firmware left IA32_SYSENTER_EIP.
constexpr uint32_t kMsrSysenterCs = 0x174, kMsrSysenterEsp = 0x175, kMsrSysenterEip = 0x176;
constexpr uint32_t kMsrFsBase = 0xc0000100;

// DR7: no hardware breakpoints (bit 10 is reserved, set).
constexpr uint64_t kDr7 = 0x400;

struct Features {
    bool smep, smap, umip, fsgsbase, xsave, sysenter;
};
Features features() {
    Features f{};
    const uint32_t max_leaf = cpuid(0).eax;
    const Cpuid basic = cpuid(1);
    f.xsave = basic.ecx & (1u << 26);
    f.sysenter = basic.edx & (1u << 11);
    if (max_leaf >= 7) {
        const Cpuid extended = cpuid(7, 0);
        f.fsgsbase = extended.ebx & (1u << 0);
        f.smep = extended.ebx & (1u << 7);
        f.smap = extended.ebx & (1u << 20);
        f.umip = extended.ecx & (1u << 2);
    }
    return f;
}

uint64_t read_cr4() {
    uint64_t value;
    asm volatile("mov %%cr4, %0" : "=r"(value));
    return value;
}
void write_cr4(uint64_t value) { asm volatile("mov %0, %%cr4" ::"r"(value) : "memory"); }

} // namespace

Protections program_control_registers() {
    const Features f = features();
    asm volatile("mov %0, %%cr0" ::"r"(kCr0) : "memory");
    uint64_t cr4 = kCr4;
    if (f.smep) cr4 |= kCr4Smep;
    if (f.smap) cr4 |= kCr4Smap;
    if (f.umip) cr4 |= kCr4Umip;
    write_cr4(cr4);
    write_msr(kMsrEfer, kEfer);
    write_msr(kMsrPat, kPat);
    asm volatile("wbinvd" ::: "memory"); // the SDM's PAT change sequence: no line cached under the old types
    if (f.sysenter) {
        write_msr(kMsrSysenterCs, 0);
        write_msr(kMsrSysenterEsp, 0);
        write_msr(kMsrSysenterEip, 0);
    }
    write_msr(kMsrFsBase, 0);
    asm volatile("mov %0, %%dr7" ::"r"(kDr7));
    x86_64_smap_enabled = f.smap ? 1 : 0;
    return Protections{f.smep, f.smap, f.umip};
}

void enable_pcids() {
    constexpr uint64_t kCr4Pcide = 1u << 17;
    write_cr4(read_cr4() | kCr4Pcide);
}

void report_protections(const Protections& p) {
    print("cpu:");
    if (p.smep) print(" SMEP");
    if (p.smap) print(" SMAP");
    if (p.umip) print(" UMIP");
    if (!p.smep && !p.smap && !p.umip) print(" none");
    if (!p.smep || !p.smap || !p.umip) {
        print(" (the CPU lacks");
        if (!p.smep) print(" SMEP");
        if (!p.smap) print(" SMAP");
        if (!p.umip) print(" UMIP");
        print(")");
    }
    print("\n");
}

void set_firmware_leftovers() {
    const Features f = features();
    uint64_t cr4 = read_cr4() | kCr4Pce;
    if (f.xsave) cr4 |= kCr4Osxsave;
    if (f.fsgsbase) cr4 |= kCr4Fsgsbase;
    write_cr4(cr4);
}

} // namespace vesta::x86_64

namespace vesta::arch {

void leave_firmware_leftovers() { x86_64::set_firmware_leftovers(); }

} // namespace vesta::arch
