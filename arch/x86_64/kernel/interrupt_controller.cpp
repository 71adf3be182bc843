// arch/x86_64/kernel/interrupt_controller.cpp — LAPIC, IOAPIC via the ACPI
// MADT, legacy PIC masking, LAPIC timer calibration (Intel SDM vol. 3 ch. 11;
// ACPI 6.5 §5.2.12; 82093AA IOAPIC datasheet; 8254 PIT).
#include <arch/cross_cpu.hpp>
#include <arch/interrupts.hpp>
#include <arch/platform.hpp>
#include <console.hpp>
#include <entry.hpp>
#include <lib/acpi.hpp>

#include "cpu.hpp"
#include "interrupt_controller.hpp"

namespace vesta::x86_64 {
namespace {

constexpr uint64_t kDefaultLapic = 0xfee00000;
constexpr uint64_t kDefaultIoapic = 0xfec00000;
constexpr uint32_t kMaxLines = 0xe0 - kIrqVectorBase; // vectors below the PIC's

// LAPIC registers (xAPIC, memory-mapped).
constexpr uint32_t kLapicEoi = 0xb0, kLapicSpurious = 0xf0, kLapicTaskPriority = 0x80;
constexpr uint32_t kLapicTimer = 0x320, kLapicLint0 = 0x350, kLapicLint1 = 0x360, kLapicError = 0x370;
constexpr uint32_t kLapicInitialCount = 0x380, kLapicCurrentCount = 0x390, kLapicDivide = 0x3e0;
constexpr uint32_t kLvtMasked = 1u << 16, kLvtPeriodic = 1u << 17;

struct InterruptState {
    volatile uint32_t* lapic = nullptr;
    volatile uint32_t* ioapic = nullptr;
    uint32_t lines = 0;
    uint32_t timer_count = 0;                 // LAPIC ticks (divide by 16) per kTickMicroseconds
    uint64_t tsc_hz = 0;                      // measured with the LAPIC timer (0: not measured)
    uint64_t calibration_tsc = 0;             // the TSC when the PIT started counting
    uint32_t redirection_low[kMaxLines] = {}; // without the mask bit
    uint8_t lapic_id = 0;
    uint64_t lapic_physical = kDefaultLapic;
    uint64_t ioapic_physical = kDefaultIoapic;
};
InterruptState state;

uint32_t lapic_read(uint32_t reg) { return state.lapic[reg / 4]; }
void lapic_write(uint32_t reg, uint32_t value) { state.lapic[reg / 4] = value; }
void lapic_eoi() { lapic_write(kLapicEoi, 0); }

uint32_t ioapic_read(uint32_t reg) {
    state.ioapic[0] = reg;
    return state.ioapic[4];
}
void ioapic_write(uint32_t reg, uint32_t value) {
    state.ioapic[0] = reg;
    state.ioapic[4] = value;
}
void set_redirection(uint32_t line, bool masked) {
    ioapic_write(0x11 + 2 * line, uint32_t{state.lapic_id} << 24);
    ioapic_write(0x10 + 2 * line, state.redirection_low[line] | (masked ? kLvtMasked : 0));
}

// --- ACPI (lib/acpi.hpp) -------------------------------------------------------

// ACPI tables are read through the direct map, which covers all physical memory.
const uint8_t* direct_map_bytes(void*, uint64_t physical, uint64_t length) {
    if (physical == 0 || physical + length < physical || physical + length > boot::kDirectMapMaxSize) return nullptr;
    return reinterpret_cast<const uint8_t*>(boot::kDirectMapBase + physical);
}

// The interrupt controllers the MADT describes, or the PC defaults (with
// the reason printed in the boot line) when there is none.
struct InterruptHardware {
    acpi::Madt madt;
    acpi::Error missing = acpi::Error::None;
};

// Boot-time only (one CPU): kept out of the boot stack, the MADT's processor
// list makes it over a kilobyte.
InterruptHardware boot_hardware;

void read_interrupt_hardware(uint64_t rsdp, InterruptHardware& hardware) {
    hardware = InterruptHardware{};
    const acpi::PhysicalReader reader{nullptr, direct_map_bytes};
    auto madt = acpi::find_table(reader, rsdp, "APIC");
    auto parsed = madt.ok() ? acpi::parse_madt(madt.value()) : acpi::Result<acpi::Madt>(madt.error());
    if (parsed.ok()) {
        hardware.madt = parsed.value();
    } else {
        hardware.missing = parsed.error();
        hardware.madt.local_apic = kDefaultLapic;
    }
    if (!hardware.madt.has_ioapic) {
        hardware.madt.ioapic = kDefaultIoapic;
        hardware.madt.ioapic_gsi_base = 0;
    }
}

// --- PIC and PIT --------------------------------------------------------------

void mask_legacy_pic() {
    // Remap to 0xe0..0xef (away from the exception vectors), then mask all.
    outb(0x20, 0x11);
    outb(0xa0, 0x11);
    outb(0x21, 0xe0);
    outb(0xa1, 0xe8);
    outb(0x21, 4);
    outb(0xa1, 2);
    outb(0x21, 1);
    outb(0xa1, 1);
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

// Busy-waits `microseconds` (< 54 ms) on PIT channel 2, gate through port 0x61.
// LAPIC timer calibration against PIT channel 2, overlapped with the rest of
// boot: start_calibration() sets both counting (the PIT down from 0xffff in
// mode 0, 1.193182 MHz; the LAPIC down from 2^32 - 1 at its bus clock / 16),
// and finish_calibration(), just before the first user instruction, reads
// both. The window is whatever boot took in between, at least
// kMinimumCalibrationTicks (1 ms; it waits for the rest if boot was
// quicker: the PIT's 838 ns resolution then costs at most 0.1 %). If the PIT
// passed zero (boot took more than 54.9 ms) the window is unknown and it
// measures a fresh 10 ms instead. No busy wait of 10 ms on every boot: under
// -icount that wait was 10 M of the 12 M instructions from kernel entry to
// the first user instruction.
//
// The TSC is measured over the same window. The loader's figure comes from a
// 10 ms firmware Stall, which runs late when the host is loaded (3.64 GHz
// instead of 2.6 GHz seen with four vCPUs on two host cores); a window of
// tens of milliseconds read off the PIT is far less sensitive to that.
constexpr uint32_t kPitHz = 1193182;
constexpr uint16_t kPitStart = 0xffff;
constexpr uint32_t kMinimumCalibrationTicks = kPitHz / 1000;
constexpr uint8_t kPort61Gate = 0x01, kPort61Speaker = 0x02, kPort61Out = 0x20;

void start_calibration() {
    const uint8_t port61 = static_cast<uint8_t>(inb(0x61) & ~(kPort61Gate | kPort61Speaker));
    outb(0x61, port61); // gate low, speaker off
    outb(0x43, 0xb0);   // channel 2, lobyte/hibyte, mode 0, binary
    outb(0x42, static_cast<uint8_t>(kPitStart));
    outb(0x42, static_cast<uint8_t>(kPitStart >> 8));
    lapic_write(kLapicDivide, 0x3);
    lapic_write(kLapicInitialCount, 0xffffffff);
    outb(0x61, port61 | kPort61Gate); // gate high: count down
    state.calibration_tsc = read_tsc();
}

// PIT ticks since start_calibration(), or ~0u once the counter passed zero.
uint32_t pit_elapsed() {
    outb(0x43, 0x80); // latch channel 2
    const uint8_t low = inb(0x42), high = inb(0x42);
    if (inb(0x61) & kPort61Out) return ~0u;
    return kPitStart - (uint32_t{high} << 8 | low);
}

// LAPIC ticks (divide by 16) per kernel tick.
uint32_t finish_calibration() {
    uint32_t pit = pit_elapsed();
    if (pit == ~0u) { // boot outran the PIT: measure 10 ms afresh
        start_calibration();
        while ((pit = pit_elapsed()) < kPitHz / 100) {
        }
    }
    while (pit < kMinimumCalibrationTicks) pit = pit_elapsed();
    const uint64_t tsc = read_tsc() - state.calibration_tsc;
    const uint64_t lapic = 0xffffffff - lapic_read(kLapicCurrentCount);
    lapic_write(kLapicInitialCount, 0);
    outb(0x61, static_cast<uint8_t>(inb(0x61) & ~(kPort61Gate | kPort61Speaker)));
    const uint64_t per_tick = lapic * (uint64_t{kPitHz} * kTickMicroseconds / 1000000) / pit;
    state.tsc_hz = tsc * kPitHz / pit; // tsc < 2^30 (10 GHz over 54.9 ms), kPitHz < 2^21
    print("interrupts: LAPIC timer {} kHz, TSC {} kHz (calibrated over {} us of boot)\n",
          per_tick * 16 / (kTickMicroseconds / 1000), state.tsc_hz / 1000, uint64_t{pit} * 1000000 / kPitHz);
    return per_tick ? static_cast<uint32_t>(per_tick < 0xffffffff ? per_tick : 0xffffffff) : 1;
}

} // namespace

Result<void> initialise_interrupts(const boot::BootInfo& boot_info, PageAllocator& pages) {
    mask_legacy_pic();
    read_interrupt_hardware(boot_info.acpi_rsdp_physical, boot_hardware);
    const InterruptHardware& hardware = boot_hardware;
    const acpi::Madt& madt = hardware.madt;
    // IA32_APIC_BASE: make sure the xAPIC is enabled (bit 11).
    if (const uint64_t apic_base = read_msr(kMsrApicBase); !(apic_base & (1u << 11)))
        write_msr(kMsrApicBase, apic_base | (1u << 11));
    auto lapic = arch::map_device(madt.local_apic, 4096, pages);
    auto ioapic = arch::map_device(madt.ioapic, 4096, pages);
    if (!lapic.ok() || !ioapic.ok()) {
        print("vesta: cannot map the local APIC or IOAPIC\n");
        return Error::OutOfMemory;
    }
    state.lapic_physical = madt.local_apic;
    state.ioapic_physical = madt.ioapic;
    state.lapic = reinterpret_cast<volatile uint32_t*>(lapic.value());
    state.ioapic = reinterpret_cast<volatile uint32_t*>(ioapic.value());
    state.lapic_id = static_cast<uint8_t>(lapic_read(0x20) >> 24);

    initialise_local_apic();

    // IOAPIC: every input masked; ISA defaults edge/active-high, others level/low,
    // unless an override says otherwise. Lines are GSIs counted from this IOAPIC's base.
    const uint32_t pins = ((ioapic_read(1) >> 16) & 0xff) + 1;
    state.lines = pins < kMaxLines ? pins : kMaxLines;
    for (uint32_t line = 0; line < state.lines; ++line) {
        const uint32_t gsi = madt.ioapic_gsi_base + line;
        bool level = gsi >= 16, active_low = gsi >= 16;
        for (uint32_t i = 0; i < madt.override_count; ++i) {
            if (madt.overrides[i].gsi != gsi) continue;
            const uint16_t polarity = madt.overrides[i].flags & 3, trigger = (madt.overrides[i].flags >> 2) & 3;
            if (polarity == 1) active_low = false;
            if (polarity == 3) active_low = true;
            if (trigger == 1) level = false;
            if (trigger == 3) level = true;
        }
        state.redirection_low[line] = (kIrqVectorBase + line) | (active_low ? 1u << 13 : 0) | (level ? 1u << 15 : 0);
        set_redirection(line, true);
    }

    start_calibration(); // finished by start_timer(), when boot is done
    if (hardware.missing != acpi::Error::None)
        print("interrupts: no usable ACPI MADT ({}): PC defaults\n", acpi::message(hardware.missing));
    print("interrupts: {} (LAPIC {:x}, IOAPIC {:x} with {} lines from GSI {}, {} overrides)\n",
          hardware.missing == acpi::Error::None ? "ACPI MADT" : "no MADT, PC defaults", madt.local_apic, madt.ioapic,
          state.lines, madt.ioapic_gsi_base, madt.override_count);
    if (hardware.missing == acpi::Error::None) {
        print("cpus: {} listed by the MADT (APIC IDs", madt.processor_count);
        for (uint32_t i = 0; i < madt.processor_count; ++i) print(" {}", madt.processors[i].apic_id);
        print("; {} disabled, {} beyond {})\n", madt.processors_disabled, madt.processors_ignored,
              acpi::Madt::kMaxProcessors);
    }
    return {};
}

uint64_t measured_tsc_hz() {
    if (state.timer_count == 0) state.timer_count = finish_calibration();
    return state.tsc_hz;
}

void start_timer() {
    if (state.timer_count == 0) state.timer_count = finish_calibration();
    lapic_write(kLapicDivide, 0x3); // this CPU's: divide by 16, as calibrated
    lapic_write(kLapicTimer, kLvtPeriodic | kTimerVector);
    lapic_write(kLapicInitialCount, state.timer_count);
}

const acpi::Madt& firmware_madt() {
    static const acpi::Madt none{};
    return boot_hardware.missing == acpi::Error::None ? boot_hardware.madt : none;
}

uint32_t local_apic_id() { return lapic_read(0x20) >> 24; }

void initialise_local_apic() {
    lapic_write(kLapicTaskPriority, 0);
    lapic_write(kLapicSpurious, 0x100 | kSpuriousVector);
    lapic_write(kLapicLint0, kLvtMasked);
    lapic_write(kLapicLint1, kLvtMasked);
    lapic_write(kLapicError, kLvtMasked);
    lapic_write(kLapicTimer, kLvtMasked | kTimerVector);
}

namespace {

// Interrupt command register (Intel SDM vol. 3 §11.6.1): destination in the
// high word's top byte; writing the low word sends.
constexpr uint32_t kLapicIcrLow = 0x300, kLapicIcrHigh = 0x310;
constexpr uint32_t kIcrDeliveryPending = 1u << 12, kIcrLevelAssert = 1u << 14;
constexpr uint32_t kIcrInit = 5u << 8, kIcrStartup = 6u << 8;

bool send_ipi(uint32_t apic_id, uint32_t command) {
    lapic_write(kLapicIcrHigh, apic_id << 24);
    lapic_write(kLapicIcrLow, command);
    for (int i = 0; i < 100000; ++i)
        if (!(lapic_read(kLapicIcrLow) & kIcrDeliveryPending)) return true;
    return false;
}

} // namespace

bool send_fixed_ipi(uint32_t apic_id, uint8_t vector) { return send_ipi(apic_id, kIcrLevelAssert | vector); }

bool send_init(uint32_t apic_id) { return send_ipi(apic_id, kIcrInit | kIcrLevelAssert); }
bool send_startup(uint32_t apic_id, uint8_t vector) {
    return send_ipi(apic_id, kIcrStartup | kIcrLevelAssert | vector);
}

void dispatch_interrupt(Cpu& cpu, uint32_t vector) {
    if (vector == kTimerVector) {
        lapic_eoi();
        handle_timer_tick(cpu);
    } else if (vector == kRescheduleVector) {
        lapic_eoi(); // the request itself was answered while this CPU waited for the lock
        schedule(cpu);
    } else if (vector >= kIrqVectorBase && vector < kIrqVectorBase + state.lines) {
        const uint32_t line = vector - kIrqVectorBase;
        set_redirection(line, true); // masked before the EOI: a level line cannot re-fire
        lapic_eoi();
        handle_interrupt(cpu, line);
    }
    // The LAPIC spurious vector and the masked PIC's spurious IRQ 7/15 need no EOI.
}

} // namespace vesta::x86_64

namespace vesta::arch {

bool send_reschedule(const Cpu& cpu) {
    return x86_64::send_fixed_ipi(static_cast<uint32_t>(cpu.arch_id), x86_64::kRescheduleVector);
}

uint32_t interrupt_count() { return x86_64::state.lines; }

bool kernel_owns_device(uint64_t physical, uint64_t size) {
    auto covers = [&](uint64_t device) { return device >= physical && device - physical < size; };
    return covers(x86_64::state.lapic_physical) || covers(x86_64::state.ioapic_physical);
}

uint64_t tick_microseconds() { return x86_64::kTickMicroseconds; }
void mask_interrupt(uint32_t irq) {
    if (irq < x86_64::state.lines) x86_64::set_redirection(irq, true);
}
void unmask_interrupt(uint32_t irq) {
    if (irq < x86_64::state.lines) x86_64::set_redirection(irq, false);
}

bool io_ports_supported() { return true; }
uint32_t io_port_read(uint16_t port, uint8_t width) {
    uint32_t value = 0;
    if (width == 1) {
        value = x86_64::inb(port);
    } else if (width == 2) {
        uint16_t v;
        asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
        value = v;
    } else {
        asm volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
    }
    return value;
}
void io_port_write(uint16_t port, uint8_t width, uint32_t value) {
    if (width == 1)
        x86_64::outb(port, static_cast<uint8_t>(value));
    else if (width == 2)
        asm volatile("outw %0, %1" ::"a"(static_cast<uint16_t>(value)), "Nd"(port));
    else
        asm volatile("outl %0, %1" ::"a"(value), "Nd"(port));
}

} // namespace vesta::arch
