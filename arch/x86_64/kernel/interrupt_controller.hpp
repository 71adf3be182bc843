// arch/x86_64/kernel/interrupt_controller.hpp — the local APIC (timer, EOI),
// the IOAPIC (device lines, found through the ACPI MADT) and the legacy PIC
// (remapped and masked for good).
//
// Vectors: 0x20 the LAPIC timer, 0x30 + n IOAPIC input n (interrupt line n =
// global system interrupt n), 0xe0..0xef the masked PIC (spurious only),
// 0xff the LAPIC spurious vector.
#pragma once

#include <lib/acpi.hpp>
#include <lib/result.hpp>
#include <stdint.h>
#include <vesta/boot_info.hpp>

namespace vesta {
class PageAllocator;
struct Cpu;
} // namespace vesta

namespace vesta::x86_64 {

inline constexpr uint32_t kTimerVector = 0x20;
inline constexpr uint32_t kIrqVectorBase = 0x30;
inline constexpr uint32_t kSpuriousVector = 0xff;
inline constexpr uint32_t kRescheduleVector = 0xf1;  // the IPI of arch::send_reschedule
inline constexpr uint32_t kTickMicroseconds = 10000; // 100 Hz

// Reads the MADT, maps the LAPIC and IOAPIC, masks the PIC and every IOAPIC
// input, and calibrates the LAPIC timer against PIT channel 2. Fails with a
// message printed.
Result<void> initialise_interrupts(const boot::BootInfo& boot_info, PageAllocator& pages);
// Starts the periodic tick (interrupts stay masked until user mode or idle).
void start_timer();
// Finishes the boot-window calibration (if start_timer has not) and returns
// the TSC's frequency in Hz measured over it; 0 if it could not be measured.
uint64_t measured_tsc_hz();
// An interrupt vector arrived (from user mode or while idle).
void dispatch_interrupt(Cpu& cpu, uint32_t vector);

// --- SMP (smp.cpp) -------------------------------------------------------------

// The MADT's processors (empty when there was no usable MADT).
const acpi::Madt& firmware_madt();
// This CPU's local APIC ID (from its LAPIC register).
uint32_t local_apic_id();
// This CPU's local APIC: enabled with the spurious vector, every local
// interrupt (timer, LINT0/1, errors) masked, task priority 0 (accept all).
void initialise_local_apic();
// Sends INIT (assert) to `apic_id`, then the start-up IPI with page
// `vector` (the trampoline at vector << 12); each waits for the LAPIC to
// accept the IPI (bounded). False when the LAPIC kept it pending.
bool send_init(uint32_t apic_id);
bool send_fixed_ipi(uint32_t apic_id, uint8_t vector);
bool send_startup(uint32_t apic_id, uint8_t vector);

} // namespace vesta::x86_64
