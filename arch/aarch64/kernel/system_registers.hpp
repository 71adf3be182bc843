// arch/aarch64/kernel/system_registers.hpp — the EL1 system registers the
// kernel depends on, written whole on every CPU instead of inherited from
// the firmware or the loader (docs/hardening.md).
#pragma once

namespace vesta::aarch64 {

// The optional protection of the user/kernel boundary: on exactly when
// ID_AA64MMFR1_EL1.PAN reports it.
struct Protections {
    bool pan; // PSTATE.PAN at EL1 (set again on every exception entry): the kernel cannot touch EL0 pages
};

// Writes, on this CPU: SCTLR_EL1, CNTKCTL_EL1, CPACR_EL1, MDSCR_EL1,
// PMUSERENR_EL0 (with a PMU), the timers' control registers, TPIDR_EL0 and
// TPIDRRO_EL0, and PSTATE.PAN, each with the one value the kernel is built
// for (values in system_registers.cpp). Nothing else in the kernel ORs bits
// into these registers.
Protections program_system_registers();

// Prints "cpu: PAN", or that the CPU lacks it.
void report_protections(const Protections& protections);

// What arch::leave_firmware_leftovers sets (tests only).
void set_firmware_leftovers();

} // namespace vesta::aarch64
