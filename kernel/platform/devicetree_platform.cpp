// platform/devicetree_platform.cpp — platform discovery from the device tree.
#include <platform/devicetree_platform.hpp>

#include <lib/string.hpp>

namespace vesta::platform {
namespace {

using fdt::DeviceTree;
using fdt::Node;

DiscoveryFailure fail(const char* step, DiscoveryError error, fdt::Error fdt_error = fdt::Error::None) {
    return DiscoveryFailure{error, fdt_error, step};
}
DiscoveryFailure fail_fdt(const char* step, fdt::Error fdt_error) { return fail(step, DiscoveryError::Fdt, fdt_error); }

// The first enabled node compatible with any of `compatibles` (in order of
// preference), or an invalid Node.
template <size_t N>
Node find_enabled(const DeviceTree& tree, const char* const (&compatibles)[N]) {
    for (const char* compatible : compatibles) {
        for (Node n = tree.next_compatible(Node(), compatible); n.valid(); n = tree.next_compatible(n, compatible)) {
            if (tree.is_enabled(n)) return n;
        }
    }
    return Node();
}

Trigger trigger_from_flags(uint32_t flags) {
    switch (flags & 0xf) {
    case 1: return Trigger::EdgeRising;
    case 2: return Trigger::EdgeFalling;
    case 4: return Trigger::LevelHigh;
    case 8: return Trigger::LevelLow;
    default: return Trigger::Unspecified;
    }
}

constexpr const char* kTimerCompatibles[] = {"arm,armv8-timer", "arm,armv7-timer"};

PhysicalRange to_range(fdt::Region region) { return PhysicalRange{region.address, region.size}; }

// Fills `out` with the registers (and parent interrupt) of a controller.
Discovery describe_controller(const DeviceTree& tree, Node node, InterruptControllerKind kind,
                              InterruptController& out) {
    static constexpr const char* kStep = "interrupt controller";
    out = InterruptController();
    out.kind = kind;
    auto region = [&](uint32_t index, PhysicalRange& range) -> fdt::Error {
        auto result = tree.cpu_region(node, index);
        if (result.ok()) range = to_range(result.value());
        return result.error();
    };
    if (fdt::Error e = region(0, out.registers); e != fdt::Error::None) return fail_fdt(kStep, e);
    const uint32_t regions = tree.reg_count(node).value(); // region(0) succeeded: valid

    if (kind == InterruptControllerKind::GicV2) {
        if (fdt::Error e = region(1, out.cpu_interface); e != fdt::Error::None)
            return fail_fdt("GICv2 CPU interface", e);
    } else if (kind == InterruptControllerKind::GicV3) {
        uint32_t count = 1;
        auto declared = tree.read_u32(node, "#redistributor-regions");
        if (declared.ok()) count = declared.value();
        if (count == 0 || count > kMaxRedistributorRegions)
            return fail("GICv3 redistributors", DiscoveryError::UnsupportedInterruptController);
        for (uint32_t i = 0; i < count; ++i) {
            if (fdt::Error e = region(1 + i, out.redistributors[i]); e != fdt::Error::None)
                return fail_fdt("GICv3 redistributors", e);
        }
        out.redistributor_region_count = count;
        if (regions > 1 + count) {
            if (fdt::Error e = region(1 + count, out.cpu_interface); e != fdt::Error::None)
                return fail_fdt("GICv3 CPU interface", e);
        }
        auto stride = tree.read_u64(node, "redistributor-stride");
        if (stride.ok()) out.redistributor_stride = stride.value();
    }

    // A chained controller signals its parent through its own `interrupts`.
    if (tree.has_property(node, "interrupts") || tree.has_property(node, "interrupts-extended")) {
        auto specifier = tree.interrupt(node, 0);
        if (!specifier.ok()) return fail_fdt("chained interrupt controller", specifier.error());
        const InterruptControllerKind parent_kind = interrupt_controller_kind(tree, specifier.value().controller);
        // Pi 3: the local controller's node names itself as interrupt parent.
        if (specifier.value().controller != node) {
            if (!decode_interrupt(parent_kind, specifier.value(), out.parent_interrupt))
                return fail("chained interrupt controller", DiscoveryError::InterruptSpecifierInvalid);
            out.has_parent_interrupt = true;
        }
    }
    return {};
}

Discovery decode_for(const DeviceTree& tree, Node node, uint32_t index, const char* step, InterruptLine& out) {
    auto specifier = tree.interrupt(node, index);
    if (!specifier.ok()) return fail_fdt(step, specifier.error());
    const InterruptControllerKind kind = interrupt_controller_kind(tree, specifier.value().controller);
    if (kind == InterruptControllerKind::None) return fail(step, DiscoveryError::UnsupportedInterruptController);
    if (!decode_interrupt(kind, specifier.value(), out)) return fail(step, DiscoveryError::InterruptSpecifierInvalid);
    return {};
}

Discovery discover_memory(const DeviceTree& tree, Platform& out) {
    for (Node n = tree.root(); n.valid(); n = tree.next_node(n)) {
        auto type = tree.read_string(n, "device_type");
        if (!type.ok() || !strings_equal(type.value(), "memory") || !tree.is_enabled(n)) continue;
        auto count = tree.reg_count(n);
        if (!count.ok()) return fail_fdt("memory", count.error());
        for (uint32_t i = 0; i < count.value(); ++i) {
            auto region = tree.cpu_region(n, i);
            if (!region.ok()) return fail_fdt("memory", region.error());
            if (region.value().size == 0) continue; // left for the firmware to fill in
            if (out.memory_count == kMaxMemoryRanges) return fail("memory", DiscoveryError::TooManyMemoryRanges);
            out.memory[out.memory_count++] = to_range(region.value());
        }
    }
    return {};
}

Discovery discover_timer(const DeviceTree& tree, Platform& out) {
    static constexpr const char* kStep = "timer";
    const Node timer = find_enabled(tree, kTimerCompatibles);
    if (!timer.valid()) return fail(kStep, DiscoveryError::NoTimer);
    auto count = tree.interrupt_count(timer);
    if (!count.ok()) return fail_fdt(kStep, count.error());
    if (count.value() < 4) return fail(kStep, DiscoveryError::TimerInterruptsMissing);

    // The per-CPU interrupt controller is where the timer's interrupts go.
    auto first = tree.interrupt(timer, 0);
    if (!first.ok()) return fail_fdt(kStep, first.error());
    const InterruptControllerKind kind = interrupt_controller_kind(tree, first.value().controller);
    if (kind == InterruptControllerKind::None)
        return fail("interrupt controller", DiscoveryError::UnsupportedInterruptController);
    TRY(describe_controller(tree, first.value().controller, kind, out.interrupt_controller));

    InterruptLine* lines[] = {&out.timer.secure_physical, &out.timer.nonsecure_physical, &out.timer.virtual_timer,
                              &out.timer.hypervisor, &out.timer.hypervisor_virtual};
    for (uint32_t i = 0; i < 5 && i < count.value(); ++i) {
        TRY(decode_for(tree, timer, i, kStep, *lines[i]));
    }
    out.timer.has_hypervisor_virtual = count.value() >= 5;
    auto frequency = tree.read_u32(timer, "clock-frequency");
    if (frequency.ok()) out.timer.clock_frequency = frequency.value();
    out.timer.always_on = tree.has_property(timer, "always-on");
    return {};
}

uint64_t clock_of(const DeviceTree& tree, Node uart) {
    auto direct = tree.read_u64(uart, "clock-frequency");
    if (direct.ok()) return direct.value();
    auto clocks = tree.read_cells(uart, "clocks");
    if (!clocks.ok()) return 0;
    auto handle = clocks.value().read(1);
    if (!handle.ok()) return 0;
    auto source = tree.find_phandle(static_cast<uint32_t>(handle.value()));
    if (!source.ok()) return 0;
    auto fixed = tree.read_u64(source.value(), "clock-frequency");
    return fixed.ok() ? fixed.value() : 0;
}

uint32_t baud_of(const char* options) {
    uint32_t baud = 0;
    for (; *options >= '0' && *options <= '9'; ++options) {
        baud = baud * 10 + static_cast<uint32_t>(*options - '0');
        if (baud > 100000000) return 0;
    }
    return baud;
}

Discovery discover_console(const DeviceTree& tree, Platform& out) {
    static constexpr const char* kStep = "console UART (/chosen stdout-path)";
    auto path = tree.stdout_path();
    if (!path.ok()) return fail(kStep, DiscoveryError::NoConsole, path.error());
    const Node uart = path.value().node;
    Uart& console = out.console;
    if (tree.is_compatible(uart, "arm,pl011")) {
        console.kind = UartKind::Pl011;
    } else if (tree.is_compatible(uart, "brcm,bcm2835-aux-uart")) {
        console.kind = UartKind::MiniUart;
    } else if (tree.is_compatible(uart, "ns16550a") || tree.is_compatible(uart, "ns16550") ||
               tree.is_compatible(uart, "snps,dw-apb-uart")) {
        console.kind = UartKind::Ns16550;
    } else {
        return fail(kStep, DiscoveryError::UnsupportedConsole);
    }
    auto region = tree.cpu_region(uart, 0);
    if (!region.ok()) return fail_fdt(kStep, region.error());
    console.registers = to_range(region.value());
    auto shift = tree.read_u32(uart, "reg-shift");
    if (shift.ok()) console.register_shift = shift.value();
    auto width = tree.read_u32(uart, "reg-io-width");
    if (width.ok()) console.register_width = width.value();
    console.clock_hz = clock_of(tree, uart);
    console.options = path.value().options;
    console.baud = baud_of(console.options);

    auto count = tree.interrupt_count(uart);
    if (!count.ok() || count.value() == 0) return {}; // polled console
    auto specifier = tree.interrupt(uart, 0);
    if (!specifier.ok()) return fail_fdt(kStep, specifier.error());
    const Node controller = specifier.value().controller;
    const InterruptControllerKind kind = interrupt_controller_kind(tree, controller);
    if (kind == InterruptControllerKind::None) return fail(kStep, DiscoveryError::UnsupportedInterruptController);
    if (!decode_interrupt(kind, specifier.value(), console.interrupt))
        return fail(kStep, DiscoveryError::InterruptSpecifierInvalid);
    console.has_interrupt = true;
    return {};
}

// A second-level controller: an enabled interrupt controller of a known kind
// whose own interrupt goes to the per-CPU controller the timer uses (the Pi
// 3's armctrl, chained to local interrupt 8). The first one found is taken.
Discovery discover_chained_controller(const DeviceTree& tree, Platform& out) {
    auto timer_first = tree.interrupt(find_enabled(tree, kTimerCompatibles), 0);
    if (!timer_first.ok()) return {}; // discover_timer checked it
    const Node primary = timer_first.value().controller;
    for (Node n = tree.root(); n.valid(); n = tree.next_node(n)) {
        if (n == primary || !tree.has_property(n, "interrupt-controller") || !tree.is_enabled(n)) continue;
        const InterruptControllerKind kind = interrupt_controller_kind(tree, n);
        if (kind == InterruptControllerKind::None) continue;
        auto parent = tree.interrupt(n, 0);
        if (!parent.ok() || parent.value().controller != primary) continue;
        TRY(describe_controller(tree, n, kind, out.chained_controller));
        out.has_chained_controller = true;
        return {};
    }
    return {};
}

Discovery discover_psci(const DeviceTree& tree, Platform& out) {
    static constexpr const char* kStandard[] = {"arm,psci-1.0", "arm,psci-0.2"};
    static constexpr const char* kLegacy[] = {"arm,psci"};
    Node node = find_enabled(tree, kStandard);
    const bool standard_ids = node.valid();
    if (!node.valid()) node = find_enabled(tree, kLegacy);
    if (!node.valid()) return {}; // no PSCI: spin-table or uniprocessor

    auto method = tree.read_string(node, "method");
    if (!method.ok()) return fail("PSCI", DiscoveryError::PsciMethodInvalid, method.error());
    Psci& psci = out.psci;
    if (strings_equal(method.value(), "hvc")) {
        psci.conduit = PsciConduit::Hvc;
    } else if (strings_equal(method.value(), "smc")) {
        psci.conduit = PsciConduit::Smc;
    } else {
        return fail("PSCI", DiscoveryError::PsciMethodInvalid);
    }
    psci.standard_ids = standard_ids;
    if (standard_ids) { // SMC Calling Convention ids, 64-bit where they take addresses
        psci.cpu_suspend = 0xc4000001;
        psci.cpu_off = 0x84000002;
        psci.cpu_on = 0xc4000003;
        psci.migrate = 0xc4000005;
        psci.system_off = 0x84000008;
        psci.system_reset = 0x84000009;
    }
    // PSCI 0.1 names its function ids; later versions may too (same values).
    struct {
        const char* property;
        uint32_t* field;
    } ids[] = {{"cpu_suspend", &psci.cpu_suspend},
               {"cpu_off", &psci.cpu_off},
               {"cpu_on", &psci.cpu_on},
               {"migrate", &psci.migrate}};
    for (auto& id : ids) {
        auto value = tree.read_u32(node, id.property);
        if (value.ok()) *id.field = value.value();
    }
    return {};
}

Discovery discover_cpus(const DeviceTree& tree, Platform& out) {
    static constexpr const char* kStep = "CPUs";
    auto cpus = tree.find_path("/cpus");
    if (!cpus.ok()) return {};
    auto shared_method = tree.read_string(cpus.value(), "enable-method");
    for (Node n = tree.first_child(cpus.value()); n.valid(); n = tree.next_sibling(n)) {
        auto type = tree.read_string(n, "device_type");
        if (!type.ok() || !strings_equal(type.value(), "cpu")) continue;
        if (out.cpu_count == kMaxCpus) return fail(kStep, DiscoveryError::TooManyCpus);
        Processor& cpu = out.cpus[out.cpu_count];
        auto reg = tree.reg(n, 0);
        if (!reg.ok()) return fail_fdt(kStep, reg.error());
        cpu.mpidr = reg.value().address;
        auto method = tree.read_string(n, "enable-method");
        if (!method.ok()) method = shared_method;
        if (!method.ok()) {
            cpu.enable_method = CpuEnableMethod::None;
        } else if (strings_equal(method.value(), "psci")) {
            cpu.enable_method = CpuEnableMethod::Psci;
        } else if (strings_equal(method.value(), "spin-table")) {
            cpu.enable_method = CpuEnableMethod::SpinTable;
            auto release = tree.read_u64(n, "cpu-release-addr");
            if (!release.ok()) return fail_fdt("spin-table cpu-release-addr", release.error());
            cpu.release_address = release.value();
        } else {
            cpu.enable_method = CpuEnableMethod::Other;
        }
        ++out.cpu_count;
    }
    return {};
}

} // namespace

InterruptControllerKind interrupt_controller_kind(const DeviceTree& tree, Node node) {
    static constexpr const char* kGicV2[] = {"arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a7-gic",
                                             "arm,cortex-a9-gic"};
    for (const char* compatible : kGicV2) {
        if (tree.is_compatible(node, compatible)) return InterruptControllerKind::GicV2;
    }
    if (tree.is_compatible(node, "arm,gic-v3")) return InterruptControllerKind::GicV3;
    if (tree.is_compatible(node, "brcm,bcm2836-l1-intc")) return InterruptControllerKind::Bcm2836Local;
    if (tree.is_compatible(node, "brcm,bcm2836-armctrl-ic") || tree.is_compatible(node, "brcm,bcm2835-armctrl-ic"))
        return InterruptControllerKind::Bcm2835Armctrl;
    return InterruptControllerKind::None;
}

bool decode_interrupt(InterruptControllerKind kind, const fdt::Interrupt& specifier, InterruptLine& out) {
    out = InterruptLine();
    out.controller = kind;
    const uint32_t* cells = specifier.cells;
    switch (kind) {
    case InterruptControllerKind::GicV2:
    case InterruptControllerKind::GicV3: {
        if (specifier.cell_count < 3) return false;
        const uint32_t number = cells[1];
        switch (cells[0]) {
        case 0: // SPI
            if (number > 987) return false;
            out.id = 32 + number;
            break;
        case 1: // PPI
            if (number > 15) return false;
            out.id = 16 + number;
            out.per_cpu = true;
            out.cpu_mask = static_cast<uint8_t>(cells[2] >> 8);
            break;
        case 2: // extended SPI (GICv3.1)
            if (kind != InterruptControllerKind::GicV3 || number > 1023) return false;
            out.id = 4096 + number;
            break;
        case 3: // extended PPI (GICv3.1)
            if (kind != InterruptControllerKind::GicV3 || number > 63) return false;
            out.id = 1056 + number;
            out.per_cpu = true;
            break;
        default: return false;
        }
        out.trigger = trigger_from_flags(cells[2]);
        return true;
    }
    case InterruptControllerKind::Bcm2836Local:
        if (specifier.cell_count != 2 || cells[0] > 31) return false;
        out.id = cells[0];
        out.per_cpu = true;
        out.trigger = trigger_from_flags(cells[1]);
        return true;
    case InterruptControllerKind::Bcm2835Armctrl:
        // Bank 0 holds the 8 ARM interrupts; banks 1 and 2 the 64 GPU ones.
        if (specifier.cell_count != 2 || cells[0] > 2 || cells[1] > (cells[0] == 0 ? 7u : 31u)) return false;
        out.id = cells[0] * 32 + cells[1];
        return true;
    case InterruptControllerKind::None: return false;
    }
    return false;
}

Discovery discover_platform(const DeviceTree& tree, Platform& out) {
    out = Platform();
    auto model = tree.read_string(tree.root(), "model");
    if (model.ok()) out.model = model.value();
    out.boot_cpu_id = tree.boot_cpu_id();
    TRY(discover_memory(tree, out));
    TRY(discover_timer(tree, out));
    TRY(discover_console(tree, out));
    TRY(discover_chained_controller(tree, out));
    TRY(discover_psci(tree, out));
    TRY(discover_cpus(tree, out));
    return {};
}

const char* message(DiscoveryError error) {
    switch (error) {
    case DiscoveryError::None: return "success";
    case DiscoveryError::Fdt: return "device tree lookup failed";
    case DiscoveryError::NoConsole: return "no usable /chosen stdout-path";
    case DiscoveryError::UnsupportedConsole: return "console node has no supported UART compatible";
    case DiscoveryError::NoTimer: return "no arm,armv8-timer or arm,armv7-timer node";
    case DiscoveryError::TimerInterruptsMissing: return "timer lists fewer than 4 interrupts";
    case DiscoveryError::UnsupportedInterruptController: return "interrupt controller has no supported compatible";
    case DiscoveryError::InterruptSpecifierInvalid: return "interrupt specifier invalid for its controller";
    case DiscoveryError::TooManyMemoryRanges: return "more memory ranges than supported";
    case DiscoveryError::TooManyCpus: return "more CPUs than supported";
    case DiscoveryError::PsciMethodInvalid: return "PSCI method is neither hvc nor smc";
    }
    return "unknown discovery error";
}

Result<uint32_t, IrqLineError> irq_line(const InterruptLine& interrupt) {
    if (interrupt.per_cpu) return IrqLineError::PerCpuInterrupt;
    switch (interrupt.controller) {
    case InterruptControllerKind::GicV2:
    case InterruptControllerKind::GicV3:
        if (interrupt.id < 32 || interrupt.id > 1019) return IrqLineError::NoLine; // 4096+: extended SPIs
        return interrupt.id - 32;
    case InterruptControllerKind::Bcm2835Armctrl:
        if (interrupt.id >= kArmctrlLines) return IrqLineError::InterruptSpecifierInvalid;
        return kArmctrlFirstLine + interrupt.id;
    case InterruptControllerKind::Bcm2836Local: return IrqLineError::PerCpuInterrupt;
    case InterruptControllerKind::None: return IrqLineError::UnsupportedInterruptController;
    }
    return IrqLineError::UnsupportedInterruptController;
}

Result<uint32_t, IrqLineError> irq_line(const DeviceTree& tree, Node node, uint32_t index) {
    auto specifier = tree.interrupt(node, index);
    if (!specifier.ok()) {
        switch (specifier.error()) {
        case fdt::Error::PropertyNotFound: return IrqLineError::NoInterrupts;
        case fdt::Error::IndexOutOfRange: return IrqLineError::NoSuchInterrupt;
        default: return IrqLineError::Malformed;
        }
    }
    const InterruptControllerKind kind = interrupt_controller_kind(tree, specifier.value().controller);
    if (kind == InterruptControllerKind::None) return IrqLineError::UnsupportedInterruptController;
    InterruptLine decoded;
    if (!decode_interrupt(kind, specifier.value(), decoded)) return IrqLineError::InterruptSpecifierInvalid;
    return irq_line(decoded);
}

const char* message(IrqLineError error) {
    switch (error) {
    case IrqLineError::None: return "success";
    case IrqLineError::NoInterrupts: return "the node has no interrupts";
    case IrqLineError::NoSuchInterrupt: return "the node lists fewer interrupts";
    case IrqLineError::Malformed: return "the node's interrupts or their controller are malformed";
    case IrqLineError::UnsupportedInterruptController: return "interrupt controller has no supported compatible";
    case IrqLineError::InterruptSpecifierInvalid: return "interrupt specifier invalid for its controller";
    case IrqLineError::PerCpuInterrupt: return "a per-CPU interrupt has no IRQ line";
    case IrqLineError::NoLine: return "the interrupt has no IRQ line (GICv3 extended SPI)";
    }
    return "unknown IRQ line error";
}

const char* name(UartKind kind) {
    switch (kind) {
    case UartKind::Pl011: return "PL011";
    case UartKind::MiniUart: return "BCM2835 mini-UART";
    case UartKind::Ns16550: return "NS16550";
    }
    return "?";
}

const char* name(InterruptControllerKind kind) {
    switch (kind) {
    case InterruptControllerKind::None: return "none";
    case InterruptControllerKind::GicV2: return "GICv2";
    case InterruptControllerKind::GicV3: return "GICv3";
    case InterruptControllerKind::Bcm2836Local: return "BCM2836 local";
    case InterruptControllerKind::Bcm2835Armctrl: return "BCM2835 armctrl";
    }
    return "?";
}

const char* name(CpuEnableMethod method) {
    switch (method) {
    case CpuEnableMethod::None: return "none";
    case CpuEnableMethod::Psci: return "psci";
    case CpuEnableMethod::SpinTable: return "spin-table";
    case CpuEnableMethod::Other: return "other";
    }
    return "?";
}

} // namespace vesta::platform
