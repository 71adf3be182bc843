// arch/aarch64/kernel/interrupt_controller.cpp — GICv2 and GICv3 (Arm GIC
// architecture specification IHI 0069), the BCM2836 per-core controller
// (Raspberry Pi "QA7" document) with the BCM2835 armctrl chained to it (BCM2835
// ARM Peripherals, chapter 7), the generic timer (Arm ARM D11).
#include <arch/interrupts.hpp>
#include <arch/platform.hpp>
#include <console.hpp>
#include <entry.hpp>
#include <platform/armctrl.hpp>
#include <platform/devicetree_platform.hpp>

#include "interrupt_controller.hpp"
#include "per_cpu.hpp"

namespace vesta::aarch64 {
namespace {

constexpr uint32_t kSpiBase = 32;
constexpr uint32_t kSpurious = 1020; // 1020..1023

// Distributor.
constexpr uint32_t kGicdCtlr = 0x0, kGicdTyper = 0x4, kGicdIgroupr = 0x80, kGicdIsenabler = 0x100,
                   kGicdIcenabler = 0x180, kGicdIpriorityr = 0x400, kGicdItargetsr = 0x800;
constexpr uint32_t kGicdIrouter = 0x6000, kGicdSgir = 0xf00;
constexpr uint32_t kRescheduleSgi = 1; // the IPI of arch::send_reschedule
// GICv2 CPU interface.
constexpr uint32_t kGiccCtlr = 0x0, kGiccPmr = 0x4, kGiccIar = 0xc, kGiccEoir = 0x10;
// GICv3 redistributor (RD_base, then SGI_base at +64 KiB).
constexpr uint32_t kGicrWaker = 0x14, kGicrSgiBase = 0x10000;

struct GicState {
    bool v3 = false;
    volatile uint8_t* distributor = nullptr;
    volatile uint8_t* cpu_interface = nullptr; // v2
    volatile uint8_t* redistributor = nullptr; // v3, this CPU's
    uint32_t lines = 0;                        // SPIs
    uint32_t timer_intid = 27;
    uint64_t timer_interval = 0;
    bool supported = false;
    volatile uint8_t* local = nullptr; // bcm2836 per-core controller (Raspberry Pi 3)
    uint32_t local_core = 0;           // the boot core's number there (MPIDR_EL1 Aff0): GPU interrupts go to it
    bool local_reaches_all = false;    // every CPU the tree lists is one of its four cores (mailboxes, timers)
    // The bcm2835 armctrl, chained to the local controller (device IRQ lines).
    volatile uint8_t* armctrl = nullptr;
    uint32_t armctrl_parent = 0;      // its local interrupt: the source bit of its output
    uint32_t armctrl_enabled[3] = {}; // per register set: ARM 0-7, GPU 0-31, GPU 32-63
};
GicState gic;

void write32(volatile uint8_t* base, uint32_t offset, uint32_t value) {
    *reinterpret_cast<volatile uint32_t*>(base + offset) = value;
}
uint32_t read32(volatile uint8_t* base, uint32_t offset) {
    return *reinterpret_cast<volatile uint32_t*>(base + offset);
}
void write64(volatile uint8_t* base, uint32_t offset, uint64_t value) {
    *reinterpret_cast<volatile uint64_t*>(base + offset) = value;
}

// This CPU's redistributor (GICv3): the boot CPU's is gic.redistributor.
volatile uint8_t* this_redistributor() {
    const uint64_t own = this_cpu().redistributor;
    return own ? reinterpret_cast<volatile uint8_t*>(own) : gic.redistributor;
}

void enable_intid(uint32_t intid, bool enable) {
    if (intid < kSpiBase && gic.v3) {
        write32(this_redistributor(), kGicrSgiBase + (enable ? kGicdIsenabler : kGicdIcenabler), 1u << intid);
    } else {
        write32(gic.distributor, (enable ? kGicdIsenabler : kGicdIcenabler) + 4 * (intid / 32), 1u << (intid % 32));
    }
    asm volatile("dsb sy" ::: "memory");
}

uint32_t acknowledge() {
    if (gic.v3) {
        uint64_t intid;
        asm volatile("mrs %0, s3_0_c12_c12_0" : "=r"(intid)); // ICC_IAR1_EL1
        return static_cast<uint32_t>(intid & 0xffffff);
    }
    return read32(gic.cpu_interface, kGiccIar) & 0x3ff;
}
void end_of_interrupt(uint32_t intid) {
    if (gic.v3)
        asm volatile("msr s3_0_c12_c12_1, %0\n\tisb" ::"r"(uint64_t{intid})); // ICC_EOIR1_EL1
    else
        write32(gic.cpu_interface, kGiccEoir, intid);
}

void program_timer() {
    asm volatile("msr cntv_tval_el0, %0\n\tmsr cntv_ctl_el0, %1\n\tisb" ::"r"(gic.timer_interval), "r"(uint64_t{1}));
}

// bcm2836 local controller (QA7 rev 3.4, "ARM control"): GPU interrupt
// routing, per-core timer and mailbox interrupt control and IRQ source
// registers (4 bytes a core), the 4 x 4 mailboxes (16 bytes a core: mailbox
// m of core c at + 16c + 4m), written to set bits and read / written-ones to
// clear them. Mailbox 0 of a core is its reschedule IPI; its IRQ source bit
// is 4 + mailbox.
constexpr uint32_t kLocalGpuRouting = 0x0c, kLocalTimerControl = 0x40, kLocalMailboxControl = 0x50,
                   kLocalIrqSource = 0x60, kLocalMailboxSet = 0x80, kLocalMailboxClear = 0xc0;
constexpr uint32_t kLocalCores = 4;
constexpr uint32_t kRescheduleMailbox = 0, kLocalMailboxSource = 4;

// This core's number in the local controller (PerCpu::local_core).
uint32_t local_core() { return this_cpu().local_core; }

// The local controller's core for an arch id (MPIDR affinity); false when
// the controller has no such core.
bool local_core_of(uint64_t arch_id, uint32_t& core) {
    if (arch_id >= kLocalCores) return false; // Aff1-3 must be 0, Aff0 0-3
    core = static_cast<uint32_t>(arch_id);
    return true;
}

// Drops the reschedule mailbox's pending bits of `core`.
void clear_reschedule_mailbox(uint32_t core) {
    write32(gic.local, kLocalMailboxClear + 16 * core + 4 * kRescheduleMailbox, 0xffffffff);
    asm volatile("dsb sy" ::: "memory");
}

// bcm2835 armctrl: registers and line arithmetic in platform/armctrl.hpp.
void armctrl_enable(uint32_t line, bool enable) {
    uint32_t set = 0, bit = 0;
    if (!platform::armctrl::line_bit(line, set, bit)) return;
    write32(gic.armctrl, enable ? platform::armctrl::kEnable[set] : platform::armctrl::kDisable[set], 1u << bit);
    if (enable)
        gic.armctrl_enabled[set] |= 1u << bit;
    else
        gic.armctrl_enabled[set] &= ~(1u << bit);
    asm volatile("dsb sy" ::: "memory");
}

// The armctrl's output is this core's GPU interrupt: dispatch the first line
// both pending and enabled, disabled until its driver acknowledges it. Read
// pending 1 and 2 only when the basic pending register points there.
void dispatch_armctrl(Cpu& cpu) {
    uint32_t pending[3] = {read32(gic.armctrl, platform::armctrl::kPending[0]), 0, 0};
    for (uint32_t set = 1; set < 3; ++set)
        if (platform::armctrl::more_in(pending[0], set))
            pending[set] = read32(gic.armctrl, platform::armctrl::kPending[set]);
    uint32_t line = 0;
    if (!platform::armctrl::first_line(pending, gic.armctrl_enabled, line)) return;
    armctrl_enable(line, false);
    handle_interrupt(cpu, line);
}

// Raspberry Pi 3: drive the armctrl chained to the local controller when the
// tree describes it as the Pi 3's does; route its output to this core.
void initialise_armctrl(const platform::Platform& machine, PageAllocator& pages) {
    if (!machine.has_chained_controller) return;
    const platform::InterruptController& chained = machine.chained_controller;
    const bool local_parent = chained.has_parent_interrupt && chained.parent_interrupt.id < 32 &&
                              chained.parent_interrupt.controller == platform::InterruptControllerKind::Bcm2836Local;
    const char* refused = nullptr;
    if (chained.kind != platform::InterruptControllerKind::Bcm2835Armctrl)
        refused = "not an armctrl";
    else if (!local_parent)
        refused = "its interrupt is not a local interrupt";
    else if (chained.registers.size < platform::armctrl::kRegisterBytes)
        refused = "its register block is too small";
    if (refused) {
        print("interrupts: chained {} at {:x} not driven ({}): no IRQ lines\n", platform::name(chained.kind),
              chained.registers.base, refused);
        return;
    }
    auto registers = arch::map_device(chained.registers.base, chained.registers.size, pages);
    if (!registers.ok()) {
        print("interrupts: cannot map the armctrl at {:x}: {}: no IRQ lines\n", chained.registers.base,
              error_name(registers.error()));
        return;
    }
    gic.armctrl = reinterpret_cast<volatile uint8_t*>(registers.value());
    gic.armctrl_parent = chained.parent_interrupt.id;
    write32(gic.armctrl, platform::armctrl::kFiqControl, 0); // no FIQ
    for (uint32_t set = 0; set < 3; ++set)
        write32(gic.armctrl, platform::armctrl::kDisable[set], platform::armctrl::kSetLines[set]);
    write32(gic.local, kLocalGpuRouting, gic.local_core | gic.local_core << 2); // IRQ and FIQ to this core
    asm volatile("dsb sy" ::: "memory");
    gic.lines = platform::kArmctrlFirstLine + platform::kArmctrlLines;
}

// This CPU's redistributor, woken, its SGIs and PPIs disabled, in group 1
// at priority 0xa0; then its system-register interface (SRE, PMR, group 1 on).
void initialise_gicv3_cpu(volatile uint8_t* redistributor) {
    write32(redistributor, kGicrWaker, read32(redistributor, kGicrWaker) & ~2u);
    for (int i = 0; i < 1000000 && (read32(redistributor, kGicrWaker) & 4); ++i) {
    }
    write32(redistributor, kGicrSgiBase + kGicdIcenabler, 0xffffffff);
    write32(redistributor, kGicrSgiBase + kGicdIgroupr, 0xffffffff);
    for (uint32_t i = 0; i < 32; i += 4) write32(redistributor, kGicrSgiBase + kGicdIpriorityr + i, 0xa0a0a0a0);
    uint64_t sre;
    asm volatile("mrs %0, s3_0_c12_c12_5" : "=r"(sre)); // ICC_SRE_EL1
    asm volatile("msr s3_0_c12_c12_5, %0\n\tisb" ::"r"(sre | 1));
    asm volatile("msr s3_0_c4_c6_0, %0" ::"r"(uint64_t{0xf0}));       // ICC_PMR_EL1
    asm volatile("msr s3_0_c12_c12_7, %0\n\tisb" ::"r"(uint64_t{1})); // ICC_IGRPEN1_EL1
}

// This CPU's banked GICv2 state (GICD_ICENABLER0 and GICD_IPRIORITYR0-7 are
// banked per CPU, like the CPU interface): SGIs and PPIs disabled at
// priority 0xa0, the CPU interface on.
void initialise_gicv2_cpu() {
    write32(gic.distributor, kGicdIcenabler, 0xffffffff);
    for (uint32_t i = 0; i < 32; i += 4) write32(gic.distributor, kGicdIpriorityr + i, 0xa0a0a0a0);
    write32(gic.cpu_interface, kGiccPmr, 0xf0);
    write32(gic.cpu_interface, kGiccCtlr, 1);
}

} // namespace

Result<void> initialise_interrupts(const platform::Platform& machine, PageAllocator& pages) {
    const platform::InterruptController& controller = machine.interrupt_controller;
    // EL0's access to the counter and timers: CNTKCTL_EL1, system_registers.cpp.
    uint64_t frequency;
    asm volatile("mrs %0, cntfrq_el0" : "=r"(frequency));
    if (machine.timer.clock_frequency) frequency = machine.timer.clock_frequency;
    gic.timer_interval = frequency * kTickMicroseconds / 1000000;
    if (controller.kind == platform::InterruptControllerKind::Bcm2836Local) {
        // Raspberry Pi 3: the per-core controller routes the generic timer and
        // the chained bcm2835 armctrl's output (the device IRQ lines).
        auto local = arch::map_device(controller.registers.base, 0x1000, pages);
        if (!local.ok()) return local.error();
        gic.local = reinterpret_cast<volatile uint8_t*>(local.value());
        uint64_t mpidr;
        asm volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
        gic.local_core = (mpidr & 0xff) < kLocalCores ? static_cast<uint32_t>(mpidr & 0xff) : 0;
        this_cpu().local_core = gic.local_core;
        gic.timer_intid = machine.timer.virtual_timer.id; // local interrupt 3: CNTVIRQ
        gic.supported = true;
        // Secondaries run tasks only if each CPU, this one too, has a core
        // here: its own timer interrupt control and mailbox (docs/smp.md).
        uint32_t core = 0;
        gic.local_reaches_all = machine.cpu_count > 0 && local_core_of(mpidr & 0xff00ffffff, core);
        for (uint32_t i = 0; i < machine.cpu_count; ++i)
            if (!local_core_of(machine.cpus[i].mpidr, core)) gic.local_reaches_all = false;
        asm volatile("msr cntv_ctl_el0, %0" ::"r"(uint64_t{2}));
        write32(gic.local, kLocalTimerControl + 4 * gic.local_core, 0);
        write32(gic.local, kLocalMailboxControl + 4 * gic.local_core, 0);
        clear_reschedule_mailbox(gic.local_core);
        initialise_armctrl(machine, pages);
        print("interrupts: BCM2836 local at {:x}, virtual timer local interrupt {} at {} kHz",
              controller.registers.base, gic.timer_intid, frequency / 1000);
        if (gic.armctrl)
            print("; BCM2835 armctrl at {:x} on local interrupt {}: IRQ lines 32-39 (ARM), 64-127 (GPU)\n",
                  machine.chained_controller.registers.base, gic.armctrl_parent);
        else
            print("; no IRQ lines\n");
        if (gic.local_reaches_all && machine.cpu_count > 1)
            print("interrupts: BCM2836 local: each core's own timer interrupt and reschedule mailbox {}; GPU "
                  "interrupts to core {}\n",
                  kRescheduleMailbox, gic.local_core);
        return {};
    }
    if (controller.kind != platform::InterruptControllerKind::GicV2 &&
        controller.kind != platform::InterruptControllerKind::GicV3) {
        print("interrupts: {} is not driven yet: no timer tick, no IRQ lines\n", platform::name(controller.kind));
        return {};
    }
    gic.supported = true;
    gic.v3 = controller.kind == platform::InterruptControllerKind::GicV3;
    auto distributor = arch::map_device(controller.registers.base, 0x10000, pages);
    if (!distributor.ok()) return distributor.error();
    gic.distributor = reinterpret_cast<volatile uint8_t*>(distributor.value());
    if (gic.v3) {
        if (!controller.redistributor_region_count) return Error::NotFound;
        auto redistributor = arch::map_device(controller.redistributors[0].base, 0x20000, pages);
        if (!redistributor.ok()) return redistributor.error();
        gic.redistributor = reinterpret_cast<volatile uint8_t*>(redistributor.value());
    } else {
        auto cpu_interface = arch::map_device(controller.cpu_interface.base, 0x2000, pages);
        if (!cpu_interface.ok()) return cpu_interface.error();
        gic.cpu_interface = reinterpret_cast<volatile uint8_t*>(cpu_interface.value());
    }
    const uint32_t intids = 32 * ((read32(gic.distributor, kGicdTyper) & 0x1f) + 1);
    const uint32_t spis = intids > 1020 ? 1020 - kSpiBase : intids - kSpiBase;
    gic.lines = spis < 256 ? spis : 256;

    write32(gic.distributor, kGicdCtlr, 0);
    for (uint32_t i = kSpiBase; i < kSpiBase + spis; i += 32) {
        write32(gic.distributor, kGicdIcenabler + i / 8, 0xffffffff);
        // GICv3 signals group 1 through ICC_IAR1; GICv2 keeps the reset group 0.
        if (gic.v3) write32(gic.distributor, kGicdIgroupr + i / 8, 0xffffffff);
    }
    for (uint32_t i = kSpiBase; i < kSpiBase + spis; i += 4) write32(gic.distributor, kGicdIpriorityr + i, 0xa0a0a0a0);
    if (gic.v3) {
        for (uint32_t i = kSpiBase; i < kSpiBase + spis; ++i) write64(gic.distributor, kGicdIrouter + 8 * i, 0);
        write32(gic.distributor, kGicdCtlr, 1u << 4); // ARE
        write32(gic.distributor, kGicdCtlr, (1u << 4) | (1u << 1) | 1u);
        initialise_gicv3_cpu(gic.redistributor);
    } else {
        for (uint32_t i = kSpiBase; i < kSpiBase + spis; i += 4)
            write32(gic.distributor, kGicdItargetsr + i, 0x01010101);
        write32(gic.distributor, kGicdCtlr, 1);
        initialise_gicv2_cpu();
    }

    // The EL1 virtual timer, one tick every kTickMicroseconds.
    if (machine.timer.virtual_timer.controller != platform::InterruptControllerKind::None)
        gic.timer_intid = machine.timer.virtual_timer.id;
    asm volatile("msr cntv_ctl_el0, %0" ::"r"(uint64_t{2})); // masked, off
    print("interrupts: {} at {:x}, {} SPI lines; virtual timer INTID {} at {} kHz\n", gic.v3 ? "GICv3" : "GICv2",
          controller.registers.base, gic.lines, gic.timer_intid, frequency / 1000);
    return {};
}

Result<uint64_t> find_redistributor(uint64_t mpidr, PageAllocator& pages) {
    if (!gic.supported || !gic.v3) return uint64_t{0};
    const platform::InterruptController& controller = machine_description().interrupt_controller;
    static volatile uint8_t* regions[platform::kMaxRedistributorRegions] = {};
    const uint64_t affinity = (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 24);
    constexpr uint32_t kGicrTyper = 0x8;
    constexpr uint64_t kTyperLast = 1u << 4, kTyperVlpis = 1u << 1;
    for (uint32_t r = 0; r < controller.redistributor_region_count; ++r) {
        const platform::PhysicalRange& range = controller.redistributors[r];
        if (range.size < 0x20000) continue;
        if (!regions[r]) {
            auto mapped = arch::map_device(range.base, range.size, pages);
            if (!mapped.ok()) return mapped.error();
            regions[r] = reinterpret_cast<volatile uint8_t*>(mapped.value());
        }
        for (uint64_t offset = 0; offset + 0x20000 <= range.size;) {
            const uint64_t typer = *reinterpret_cast<volatile uint64_t*>(regions[r] + offset + kGicrTyper);
            if ((typer >> 32) == affinity) return reinterpret_cast<uint64_t>(regions[r] + offset);
            if (typer & kTyperLast) break;
            offset += controller.redistributor_stride ? controller.redistributor_stride
                      : (typer & kTyperVlpis)         ? 0x40000
                                                      : 0x20000;
        }
    }
    return Error::NotFound;
}

void initialise_secondary_interrupts(uint64_t redistributor) {
    if (!gic.supported) return;
    if (gic.local) {
        // This core's timer and mailbox interrupts off, its reschedule
        // mailbox empty (whatever the firmware left), until run_secondary.
        uint64_t mpidr;
        asm volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
        uint32_t core = 0;
        if (!local_core_of(mpidr & 0xff00ffffff, core)) return; // not a core of this controller: it idles
        this_cpu().local_core = core;
        asm volatile("msr cntv_ctl_el0, %0" ::"r"(uint64_t{2})); // virtual timer masked, off
        write32(gic.local, kLocalTimerControl + 4 * core, 0);
        write32(gic.local, kLocalMailboxControl + 4 * core, 0);
        clear_reschedule_mailbox(core);
        return;
    }
    if (gic.v3)
        initialise_gicv3_cpu(reinterpret_cast<volatile uint8_t*>(redistributor));
    else
        initialise_gicv2_cpu();
    asm volatile("msr cntv_ctl_el0, %0" ::"r"(uint64_t{2})); // virtual timer masked, off
}

bool schedules_secondaries() { return gic.supported && (!gic.local || gic.local_reaches_all); }

void enable_reschedule_interrupt() {
    if (!schedules_secondaries()) return;
    if (gic.local) {
        // Mailbox 0's IRQ (bit 0 of the mailbox interrupt control). A
        // request written before this is still pending and fires now, as a
        // GIC SGI would.
        write32(gic.local, kLocalMailboxControl + 4 * local_core(), 1u << kRescheduleMailbox);
        asm volatile("dsb sy" ::: "memory");
        return;
    }
    if (!gic.v3) this_cpu().gic_target = read32(gic.distributor, kGicdItargetsr) & 0xff; // banked: this CPU's bit
    enable_intid(kRescheduleSgi, true);
}

bool send_reschedule_sgi(const Cpu& cpu) {
    if (!schedules_secondaries() || !cpu.arch) return false;
    if (gic.local) {
        uint32_t core = 0;
        if (!local_core_of(cpu.arch_id, core)) return false;
        asm volatile("dsb st" ::: "memory"); // the run queue's stores before the device write
        write32(gic.local, kLocalMailboxSet + 16 * core + 4 * kRescheduleMailbox, 1);
        return true;
    }
    asm volatile("dsb ishst" ::: "memory");
    if (gic.v3) {
        const uint64_t id = cpu.arch_id;
        const uint64_t value = ((id >> 32) & 0xff) << 48 | ((id >> 16) & 0xff) << 32 | ((id >> 8) & 0xff) << 16 |
                               uint64_t{kRescheduleSgi} << 24 | ((id & 0xf0) >> 4) << 44 | (uint64_t{1} << (id & 0xf));
        asm volatile("msr s3_0_c12_c11_5, %0\n\tisb" ::"r"(value)); // ICC_SGI1R_EL1
        return true;
    }
    const uint32_t target = static_cast<const PerCpu*>(cpu.arch)->gic_target;
    if (!target) return false;
    write32(gic.distributor, kGicdSgir, target << 16 | kRescheduleSgi);
    return true;
}

void start_timer() {
    if (!gic.supported) return;
    if (gic.local) {
        // This core's CNTVIRQ as an IRQ (per-core timer interrupt control).
        write32(gic.local, kLocalTimerControl + 4 * local_core(), 1u << gic.timer_intid);
        program_timer();
        return;
    }
    enable_intid(gic.timer_intid, true);
    program_timer();
}

void dispatch_interrupt(Cpu& cpu) {
    if (!gic.supported) return; // nothing is enabled: cannot happen
    if (gic.local) {
        const uint32_t core = local_core();
        const uint32_t source = read32(gic.local, kLocalIrqSource + 4 * core);
        if (source & (1u << gic.timer_intid)) {
            program_timer(); // a new TVAL drops the timer's level
            handle_timer_tick(cpu);
        } else if (source & (1u << (kLocalMailboxSource + kRescheduleMailbox))) {
            // Emptied first: a request made from here on raises it again.
            // The request itself was answered while this CPU waited for the lock.
            clear_reschedule_mailbox(core);
            schedule(cpu);
        } else if (gic.armctrl && (source & (1u << gic.armctrl_parent))) {
            dispatch_armctrl(cpu);
        }
        return;
    }
    const uint32_t intid = acknowledge();
    if (intid >= kSpurious) return;
    if (intid == gic.timer_intid) {
        program_timer();
        end_of_interrupt(intid);
        handle_timer_tick(cpu);
    } else if (intid == kRescheduleSgi) {
        end_of_interrupt(intid); // the request itself was answered while this CPU waited for the lock
        schedule(cpu);
    } else if (intid >= kSpiBase && intid < kSpiBase + gic.lines) {
        enable_intid(intid, false); // masked until the driver acknowledges
        end_of_interrupt(intid);
        handle_interrupt(cpu, intid - kSpiBase);
    } else {
        end_of_interrupt(intid);
    }
}

} // namespace vesta::aarch64

namespace vesta::arch {

// Lines: GIC SPIs, or the armctrl's 32-39 and 64-127 (the others have no
// source: they can be claimed but never fire, like an SPI nothing drives).
uint32_t interrupt_count() { return aarch64::gic.lines; }
void mask_interrupt(uint32_t irq) {
    if (aarch64::gic.armctrl)
        aarch64::armctrl_enable(irq, false);
    else if (irq < aarch64::gic.lines)
        aarch64::enable_intid(irq + aarch64::kSpiBase, false);
}
void unmask_interrupt(uint32_t irq) {
    if (aarch64::gic.armctrl)
        aarch64::armctrl_enable(irq, true);
    else if (irq < aarch64::gic.lines)
        aarch64::enable_intid(irq + aarch64::kSpiBase, true);
}
bool io_ports_supported() { return false; }
uint32_t io_port_read(uint16_t, uint8_t) { return 0; }
void io_port_write(uint16_t, uint8_t, uint32_t) {}
uint64_t tick_microseconds() { return aarch64::kTickMicroseconds; }

} // namespace vesta::arch
