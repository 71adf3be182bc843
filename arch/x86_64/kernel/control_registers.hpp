// arch/x86_64/kernel/control_registers.hpp — the CPU state the kernel
// depends on, written whole on every CPU instead of inherited from the
// firmware (docs/hardening.md).
#pragma once

#include <stdint.h>

namespace vesta::x86_64 {

// The optional protections of the user/kernel boundary: each is on exactly
// when CPUID reports it.
struct Protections {
    bool smep; // CR4.SMEP: the kernel never executes a user page
    bool smap; // CR4.SMAP: the kernel never reads or writes a user page (it never needs STAC)
    bool umip; // CR4.UMIP: sgdt, sidt, sldt, smsw and str fault in user mode
};

// Writes, on this CPU: CR0, CR4, EFER, the PAT, DR7, the SYSENTER MSRs and
// the FS base, each with the one value the kernel is built for (values in
// control_registers.cpp), whatever the firmware left. Nothing else in the
// kernel ORs bits into these registers.
Protections program_control_registers();

// Sets CR4.PCIDE (the caller checked CPUID; CR3 must hold PCID 0).
void enable_pcids();

// Prints "cpu: SMEP SMAP UMIP", naming those the CPU lacks as such.
void report_protections(const Protections& protections);

// What arch::leave_firmware_leftovers sets (tests only).
void set_firmware_leftovers();

} // namespace vesta::x86_64

// 1 when SMAP is on: every trap entry then clears RFLAGS.AC (CLAC) so a user
// thread's AC cannot switch SMAP off in the kernel (entry.S). SYSCALL clears
// AC through the flag mask instead.
extern "C" uint8_t x86_64_smap_enabled;
