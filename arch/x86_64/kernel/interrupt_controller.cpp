// arch/x86_64/kernel/interrupt_controller.cpp — LAPIC, IOAPIC via the ACPI
// MADT, legacy PIC masking, LAPIC timer calibration (Intel SDM vol. 3 ch. 11;
// ACPI 6.5 §5.2.12; 82093AA IOAPIC datasheet; 8254 PIT).
#include <arch/interrupts.hpp>
#include <arch/platform.hpp>
#include <console.hpp>
#include <entry.hpp>

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
    uint32_t timer_count = 0;       // LAPIC ticks (divide by 16) per kTickMicroseconds
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

// --- ACPI -------------------------------------------------------------------

template <class T>
T read_physical(uint64_t physical) {
    T value;
    __builtin_memcpy(&value, reinterpret_cast<const void*>(boot::kDirectMapBase + physical), sizeof(T));
    return value;
}

bool checksum_ok(uint64_t physical, uint32_t length) {
    uint8_t sum = 0;
    for (uint32_t i = 0; i < length; ++i) sum = static_cast<uint8_t>(sum + read_physical<uint8_t>(physical + i));
    return sum == 0;
}

bool signature_is(uint64_t physical, const char* signature) {
    for (int i = 0; i < 4; ++i)
        if (read_physical<char>(physical + i) != signature[i]) return false;
    return true;
}

// A system description table with a sane length and checksum, or 0.
uint32_t table_length(uint64_t physical) {
    const uint32_t length = read_physical<uint32_t>(physical + 4);
    if (length < 36 || length > (1u << 20) || !checksum_ok(physical, length)) return 0;
    return length;
}

struct Madt {
    uint64_t lapic = kDefaultLapic;
    uint64_t ioapic = kDefaultIoapic;
    uint32_t ioapic_gsi_base = 0;
    // ISA IRQ -> GSI overrides: polarity/trigger of the GSIs they name.
    struct Override {
        uint32_t gsi;
        uint16_t flags;
    } overrides[16] = {};
    uint32_t override_count = 0;
    bool found = false;
};

uint64_t find_madt(uint64_t rsdp) {
    if (!rsdp) return 0;
    const uint8_t revision = read_physical<uint8_t>(rsdp + 15);
    uint64_t root = 0;
    unsigned entry_size = 4;
    if (revision >= 2 && read_physical<uint64_t>(rsdp + 24)) {
        root = read_physical<uint64_t>(rsdp + 24);
        entry_size = 8;
    } else {
        root = read_physical<uint32_t>(rsdp + 16);
    }
    const uint32_t length = root ? table_length(root) : 0;
    if (!length) return 0;
    for (uint32_t offset = 36; offset + entry_size <= length; offset += entry_size) {
        const uint64_t table = entry_size == 8 ? read_physical<uint64_t>(root + offset)
                                               : read_physical<uint32_t>(root + offset);
        if (table && signature_is(table, "APIC") && table_length(table)) return table;
    }
    return 0;
}

Madt read_madt(uint64_t rsdp) {
    Madt madt;
    const uint64_t table = find_madt(rsdp);
    if (!table) return madt;
    madt.found = true;
    const uint32_t length = table_length(table);
    madt.lapic = read_physical<uint32_t>(table + 36);
    bool have_ioapic = false;
    for (uint32_t offset = 44; offset + 2 <= length;) {
        const uint8_t type = read_physical<uint8_t>(table + offset);
        const uint8_t entry_length = read_physical<uint8_t>(table + offset + 1);
        if (entry_length < 2 || offset + entry_length > length) break;
        if (type == 1 && entry_length >= 12 && !have_ioapic) { // the first IOAPIC
            madt.ioapic = read_physical<uint32_t>(table + offset + 4);
            madt.ioapic_gsi_base = read_physical<uint32_t>(table + offset + 8);
            have_ioapic = true;
        } else if (type == 2 && entry_length >= 10 && madt.override_count < 16) {
            madt.overrides[madt.override_count++] = {read_physical<uint32_t>(table + offset + 4),
                                                     read_physical<uint16_t>(table + offset + 8)};
        } else if (type == 5 && entry_length >= 12) {
            madt.lapic = read_physical<uint64_t>(table + offset + 4);
        }
        offset += entry_length;
    }
    return madt;
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
void pit_wait(uint32_t microseconds) {
    const uint32_t count = static_cast<uint32_t>(uint64_t{1193182} * microseconds / 1000000);
    const uint8_t port61 = static_cast<uint8_t>((inb(0x61) & ~0x02) & ~0x01); // gate low, speaker off
    outb(0x61, port61);
    outb(0x43, 0xb0); // channel 2, lobyte/hibyte, mode 0, binary
    outb(0x42, static_cast<uint8_t>(count));
    outb(0x42, static_cast<uint8_t>(count >> 8));
    outb(0x61, port61 | 0x01); // gate high: count down
    while (!(inb(0x61) & 0x20)) {
    }
    outb(0x61, port61);
}

} // namespace

Result<void> initialise_interrupts(const boot::BootInfo& boot_info, PageAllocator& pages) {
    mask_legacy_pic();
    const Madt madt = read_madt(boot_info.acpi_rsdp_physical);
    // IA32_APIC_BASE: make sure the xAPIC is enabled (bit 11).
    {
        uint32_t low, high;
        asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(0x1b));
        if (!(low & (1u << 11))) {
            low |= 1u << 11;
            asm volatile("wrmsr" ::"c"(0x1b), "a"(low), "d"(high));
        }
    }
    auto lapic = arch::map_device(madt.lapic, 4096, pages);
    auto ioapic = arch::map_device(madt.ioapic, 4096, pages);
    if (!lapic.ok() || !ioapic.ok()) {
        print("vesta: cannot map the local APIC or IOAPIC\n");
        return Error::OutOfMemory;
    }
    state.lapic_physical = madt.lapic;
    state.ioapic_physical = madt.ioapic;
    state.lapic = reinterpret_cast<volatile uint32_t*>(lapic.value());
    state.ioapic = reinterpret_cast<volatile uint32_t*>(ioapic.value());
    state.lapic_id = static_cast<uint8_t>(lapic_read(0x20) >> 24);

    // Local APIC: accept everything, spurious vector, LINTs and errors masked.
    lapic_write(kLapicTaskPriority, 0);
    lapic_write(kLapicSpurious, 0x100 | kSpuriousVector);
    lapic_write(kLapicLint0, kLvtMasked);
    lapic_write(kLapicLint1, kLvtMasked);
    lapic_write(kLapicError, kLvtMasked);
    lapic_write(kLapicTimer, kLvtMasked | kTimerVector);

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
        state.redirection_low[line] =
            (kIrqVectorBase + line) | (active_low ? 1u << 13 : 0) | (level ? 1u << 15 : 0);
        set_redirection(line, true);
    }

    // Calibrate: LAPIC ticks (divide by 16) during 10 ms of PIT channel 2.
    lapic_write(kLapicDivide, 0x3);
    lapic_write(kLapicInitialCount, 0xffffffff);
    pit_wait(kTickMicroseconds);
    const uint32_t elapsed = 0xffffffff - lapic_read(kLapicCurrentCount);
    lapic_write(kLapicInitialCount, 0);
    state.timer_count = elapsed ? elapsed : 1;
    print("interrupts: {} (LAPIC {:x}, IOAPIC {:x} with {} lines from GSI {}, {} overrides); "
          "LAPIC timer {} kHz\n",
          madt.found ? "ACPI MADT" : "no MADT, PC defaults", madt.lapic, madt.ioapic, state.lines,
          madt.ioapic_gsi_base, madt.override_count, uint64_t{state.timer_count} * 16 / (kTickMicroseconds / 1000));
    return {};
}

void start_timer() {
    lapic_write(kLapicTimer, kLvtPeriodic | kTimerVector);
    lapic_write(kLapicInitialCount, state.timer_count);
}

void dispatch_interrupt(Cpu& cpu, uint32_t vector) {
    if (vector == kTimerVector) {
        lapic_eoi();
        handle_timer_tick(cpu);
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
    if (width == 1) x86_64::outb(port, static_cast<uint8_t>(value));
    else if (width == 2) asm volatile("outw %0, %1" ::"a"(static_cast<uint16_t>(value)), "Nd"(port));
    else asm volatile("outl %0, %1" ::"a"(value), "Nd"(port));
}

} // namespace vesta::arch
