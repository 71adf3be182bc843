// platform/devicetree_platform.hpp — what the kernel needs to know about an
// aarch64 machine, discovered from its device tree at boot.
//
// One kernel image serves QEMU virt and the Raspberry Pi 3 and 4: nothing
// here is a board constant. Drivers are chosen by compatible string only
// (docs/devicetree.md lists them); addresses are CPU physical addresses,
// translated through every bus's `ranges`.
//
// Contract: discover_platform() fills a Platform or fails with a
// DiscoveryFailure naming the step and the reason; it never reads outside the
// blob (the fdt reader validated it) and never loops.
#pragma once

#include <lib/fdt.hpp>
#include <platform/uart.hpp>
#include <stddef.h>
#include <stdint.h>

namespace vesta::platform {

inline constexpr uint32_t kMaxMemoryRanges = 16;
inline constexpr uint32_t kMaxCpus = 32;
inline constexpr uint32_t kMaxRedistributorRegions = 4;

struct PhysicalRange {
    uint64_t base = 0;
    uint64_t size = 0;
};

enum class InterruptControllerKind : uint8_t {
    None,
    GicV2,          // arm,cortex-a15-gic, arm,gic-400, arm,cortex-a7-gic, arm,cortex-a9-gic
    GicV3,          // arm,gic-v3
    Bcm2836Local,   // brcm,bcm2836-l1-intc: per-core timer/mailbox interrupts
    Bcm2835Armctrl, // brcm,bcm2836-armctrl-ic / brcm,bcm2835-armctrl-ic
};

enum class Trigger : uint8_t { Unspecified, EdgeRising, EdgeFalling, LevelHigh, LevelLow };

// An interrupt decoded for a known controller.
//   GIC:            id = INTID (SPI n -> 32 + n, PPI n -> 16 + n); cpu_mask for PPIs.
//   bcm2836-l1-intc: id = the local interrupt number (0 CNTPSIRQ … 9).
//   armctrl:        id = bank * 32 + number (bank 0 ARM 0-7, 1 GPU 0-31, 2 GPU 32-63),
//                   the bit of the pending/enable register set `bank`.
struct InterruptLine {
    InterruptControllerKind controller = InterruptControllerKind::None;
    bool per_cpu = false; // a GIC PPI, or a bcm2836 local interrupt
    uint32_t id = 0;
    Trigger trigger = Trigger::Unspecified;
    uint8_t cpu_mask = 0;
};

struct InterruptController {
    InterruptControllerKind kind = InterruptControllerKind::None;
    // GIC: the distributor; bcm283x: the register block.
    PhysicalRange registers;
    // GICv2: the CPU interface. GICv3: the optional GICC (legacy) region.
    PhysicalRange cpu_interface;
    // GICv3 redistributor regions (#redistributor-regions, default 1).
    PhysicalRange redistributors[kMaxRedistributorRegions];
    uint32_t redistributor_region_count = 0;
    uint64_t redistributor_stride = 0; // 0: the architectural default
    // A chained controller's own interrupt into its parent controller.
    bool has_parent_interrupt = false;
    InterruptLine parent_interrupt;
};

struct Uart {
    UartKind kind = UartKind::Pl011;
    PhysicalRange registers;
    uint32_t register_shift = 0; // ns16550 reg-shift
    uint32_t register_width = 1; // ns16550 reg-io-width (bytes)
    uint64_t clock_hz = 0;       // 0: not stated (firmware-managed clock)
    uint32_t baud = 0;           // from stdout-path options; 0: keep firmware's
    const char* options = "";    // stdout-path options as written ("115200n8")
    bool has_interrupt = false;
    InterruptLine interrupt;
};

struct Timer {
    // arm,armv8-timer / arm,armv7-timer interrupts, in binding order.
    InterruptLine secure_physical;
    InterruptLine nonsecure_physical;
    InterruptLine virtual_timer;
    InterruptLine hypervisor;
    bool has_hypervisor_virtual = false;
    InterruptLine hypervisor_virtual;
    uint32_t clock_frequency = 0; // 0: read CNTFRQ_EL0
    bool always_on = false;
};

enum class PsciConduit : uint8_t { None, Hvc, Smc };

struct Psci {
    PsciConduit conduit = PsciConduit::None;
    bool standard_ids = false; // arm,psci-0.2 or later: SMCCC function ids
    uint32_t cpu_suspend = 0;
    uint32_t cpu_off = 0;
    uint32_t cpu_on = 0;
    uint32_t migrate = 0;
    uint32_t system_off = 0; // 0 when not available (PSCI 0.1)
    uint32_t system_reset = 0;
};

enum class CpuEnableMethod : uint8_t { None, Psci, SpinTable, Other };

// A processor the /cpus node lists (not the kernel's per-CPU state, vesta::Cpu).
struct Processor {
    uint64_t mpidr = 0; // `reg`: the affinity fields of MPIDR_EL1
    CpuEnableMethod enable_method = CpuEnableMethod::None;
    uint64_t release_address = 0; // spin-table cpu-release-addr
};

struct Platform {
    const char* model = "";                 // root `model`, or ""
    PhysicalRange memory[kMaxMemoryRanges]; // /memory nodes; zero-sized ones skipped
    uint32_t memory_count = 0;
    Uart console;
    // The controller the per-CPU timer interrupts go to: GIC or bcm2836-l1-intc.
    InterruptController interrupt_controller;
    // A second-level controller chained into it (the Pi 3's armctrl): a known
    // controller whose own interrupt goes to `interrupt_controller`.
    bool has_chained_controller = false;
    InterruptController chained_controller;
    Timer timer;
    Psci psci;
    Processor cpus[kMaxCpus];
    uint32_t cpu_count = 0;
    uint32_t boot_cpu_id = 0; // the header's boot_cpuid_phys
};

enum class DiscoveryError : uint8_t {
    None,
    Fdt,                    // see DiscoveryFailure::fdt_error
    NoConsole,              // /chosen has no usable stdout-path
    UnsupportedConsole,     // stdout-path's node has no known UART compatible
    NoTimer,                // no arm,armv8-timer / arm,armv7-timer node
    TimerInterruptsMissing, // the timer lists fewer than 4 interrupts
    UnsupportedInterruptController,
    InterruptSpecifierInvalid, // wrong cell count or type for the controller
    TooManyMemoryRanges,
    TooManyCpus,
    PsciMethodInvalid, // /psci method neither "hvc" nor "smc"
};

// Why discovery failed: the step ("console UART", "timer", …), the reason,
// and the fdt error underneath when there is one. Value-initialised, it
// means "no failure": discovery returns Result<void, DiscoveryFailure>
// (lib/result.hpp), so TRY() propagates a failure with all three.
struct DiscoveryFailure {
    DiscoveryError error = DiscoveryError::None;
    fdt::Error fdt_error = fdt::Error::None;
    const char* step = nullptr;
    bool operator==(const DiscoveryFailure&) const = default;
};
using Discovery = Result<void, DiscoveryFailure>;

const char* message(DiscoveryError error);
const char* name(UartKind kind);
const char* name(InterruptControllerKind kind);
const char* name(CpuEnableMethod method);

// Fills `out` from a validated tree. Requires a console UART, a timer and its
// interrupt controller; memory, PSCI and CPUs are reported when present (the
// kernel takes usable memory from the boot-info memory map; the Pi 4 tree
// only gets its memory node filled in by the firmware).
Discovery discover_platform(const fdt::DeviceTree& tree, Platform& out);

// Decodes one interrupt specifier for a controller of `kind` (exposed for
// drivers and tests).
bool decode_interrupt(InterruptControllerKind kind, const fdt::Interrupt& specifier, InterruptLine& out);

// The controller kind a node's compatible names, or None.
InterruptControllerKind interrupt_controller_kind(const fdt::DeviceTree& tree, fdt::Node node);

// IrqControl lines (contract; docs/devicetree.md "IrqControl lines"): the
// number user space passes to IrqControl.Get for a device's interrupt.
//   GIC SPI n                                  -> line n
//   armctrl <0 n> (ARM interrupts 0-7)         -> line 32 + n
//   armctrl <1 n> (GPU interrupts 0-31)        -> line 64 + n
//   armctrl <2 n> (GPU interrupts 32-63)       -> line 96 + n
// The armctrl lines are the SPI numbers the BCM2711 (Pi 4) GIC gives the same
// peripherals, so a device has one line on the Pi 3 and the Pi 4 (the
// mini-UART, GPU interrupt 29: line 93 on both). Per-CPU interrupts (GIC
// PPIs, the bcm2836 local controller's) and GICv3 extended SPIs have none.
inline constexpr uint32_t kArmctrlFirstLine = 32;
inline constexpr uint32_t kArmctrlLines = 96; // lines 32..127; 40..63 have no source

enum class IrqLineError : uint8_t {
    None,
    NoInterrupts,    // the node has no interrupts / interrupts-extended
    NoSuchInterrupt, // it lists fewer interrupts than the index asks for
    Malformed,       // its interrupts, parent or #interrupt-cells are malformed
    UnsupportedInterruptController,
    InterruptSpecifierInvalid,
    PerCpuInterrupt, // a GIC PPI or a bcm2836 local interrupt: the kernel's own
    NoLine,          // a GICv3 extended SPI: beyond the kernel's lines
};
const char* message(IrqLineError error);

// The IrqControl line of a decoded interrupt.
Result<uint32_t, IrqLineError> irq_line(const InterruptLine& interrupt);

// The IrqControl line of `node`'s `index`-th interrupt (`interrupts-extended`
// or `interrupts`, through its interrupt parent): what a driver loader claims
// for a manifest's `interrupt=INDEX`. Portable; never reads outside the blob.
Result<uint32_t, IrqLineError> irq_line(const fdt::DeviceTree& tree, fdt::Node node, uint32_t index);

} // namespace vesta::platform
