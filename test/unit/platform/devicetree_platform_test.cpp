// Platform discovery on the device trees of every supported machine.
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <platform/devicetree_platform.hpp>

#include "fixture.hpp"

using namespace vesta;
using namespace vesta::platform;
using namespace vesta::test;

namespace {

struct Discovered {
    std::vector<uint8_t> blob;
    fdt::DeviceTree tree;
    Platform platform;
    Discovery status;

    explicit Discovered(std::vector<uint8_t> bytes) : blob(std::move(bytes)) {
        auto opened = fdt::DeviceTree::open(blob.data(), blob.size());
        if (!opened.ok()) FAIL("refused: " << fdt::message(opened.error()));
        tree = opened.value();
        status = discover_platform(tree, platform);
    }
    void require_ok() const {
        if (!status.ok())
            FAIL("discovery failed at " << status.error().step << ": " << message(status.error().error) << " ("
                                        << fdt::message(status.error().fdt_error) << ")");
    }
};

void check_line(const InterruptLine& line, InterruptControllerKind kind, uint32_t id, bool per_cpu) {
    CHECK(line.controller == kind);
    CHECK(line.id == id);
    CHECK(line.per_cpu == per_cpu);
}

// Overwrite a property's value in place, as firmware does (same length).
void patch_property(Discovered& d, const char* path, const char* name, std::initializer_list<uint32_t> cells) {
    auto node = d.tree.find_path(path).value();
    auto property = d.tree.property(node, name).value();
    REQUIRE(property.length == cells.size() * 4);
    size_t offset = static_cast<size_t>(property.data - d.blob.data());
    for (uint32_t cell : cells) {
        for (int shift = 24; shift >= 0; shift -= 8) d.blob[offset++] = static_cast<uint8_t>(cell >> shift);
    }
}

} // namespace

TEST_CASE("QEMU virt with GICv2", "[platform]") {
    for (const char* name : {"qemu-virt", "qemu-virt-acpi-off"}) {
        INFO(name);
        Discovered d(load_fixture(name));
        d.require_ok();
        const Platform& p = d.platform;
        CHECK(std::strcmp(p.model, "linux,dummy-virt") == 0);
        REQUIRE(p.memory_count == 1);
        CHECK(p.memory[0].base == 0x40000000);
        CHECK(p.memory[0].size == 512u << 20);

        CHECK(p.console.kind == UartKind::Pl011);
        CHECK(p.console.registers.base == 0x9000000);
        CHECK(p.console.registers.size == 0x1000);
        CHECK(p.console.clock_hz == 24000000); // apb-pclk fixed clock
        CHECK(p.console.has_interrupt);
        check_line(p.console.interrupt, InterruptControllerKind::GicV2, 33, false);
        CHECK(p.console.interrupt.trigger == Trigger::LevelHigh);

        CHECK(p.interrupt_controller.kind == InterruptControllerKind::GicV2);
        CHECK(p.interrupt_controller.registers.base == 0x8000000);
        CHECK(p.interrupt_controller.cpu_interface.base == 0x8010000);
        CHECK(!p.has_chained_controller);

        check_line(p.timer.secure_physical, InterruptControllerKind::GicV2, 29, true);
        check_line(p.timer.nonsecure_physical, InterruptControllerKind::GicV2, 30, true);
        check_line(p.timer.virtual_timer, InterruptControllerKind::GicV2, 27, true);
        check_line(p.timer.hypervisor, InterruptControllerKind::GicV2, 26, true);
        CHECK(p.timer.nonsecure_physical.cpu_mask == 1);
        CHECK(p.timer.always_on);

        CHECK(p.psci.conduit == PsciConduit::Hvc);
        CHECK(p.psci.standard_ids);
        CHECK(p.psci.cpu_on == 0xc4000003);
        CHECK(p.psci.system_off == 0x84000008);
        REQUIRE(p.cpu_count == 1);
        CHECK(p.cpus[0].mpidr == 0);
    }
}

TEST_CASE("QEMU virt with GICv3 and 4 CPUs", "[platform]") {
    Discovered d(load_fixture("qemu-virt-gicv3"));
    d.require_ok();
    const Platform& p = d.platform;
    CHECK(p.console.kind == UartKind::Pl011);
    CHECK(p.console.registers.base == 0x9000000);
    CHECK(p.interrupt_controller.kind == InterruptControllerKind::GicV3);
    CHECK(p.interrupt_controller.registers.base == 0x8000000);
    REQUIRE(p.interrupt_controller.redistributor_region_count == 1);
    CHECK(p.interrupt_controller.redistributors[0].base == 0x80a0000);
    CHECK(p.interrupt_controller.redistributors[0].size == 0xf60000);
    check_line(p.timer.nonsecure_physical, InterruptControllerKind::GicV3, 30, true);
    check_line(p.console.interrupt, InterruptControllerKind::GicV3, 33, false);
    REQUIRE(p.cpu_count == 4);
    for (uint32_t i = 0; i < 4; ++i) {
        CHECK(p.cpus[i].mpidr == i);
        CHECK(p.cpus[i].enable_method == CpuEnableMethod::Psci);
    }
}

TEST_CASE("Raspberry Pi 3 Model B", "[platform]") {
    Discovered d(load_pi_dtb("bcm2837-rpi-3-b"));
    d.require_ok();
    const Platform& p = d.platform;
    CHECK(std::strcmp(p.model, "Raspberry Pi 3 Model B") == 0);
    REQUIRE(p.memory_count == 1);
    CHECK(p.memory[0].base == 0);
    CHECK(p.memory[0].size == 0x40000000);

    // stdout-path = "serial1:115200n8" -> the mini-UART.
    CHECK(p.console.kind == UartKind::MiniUart);
    CHECK(p.console.registers.base == 0x3f215040);
    CHECK(p.console.registers.size == 0x40);
    CHECK(p.console.baud == 115200);
    CHECK(std::strcmp(p.console.options, "115200n8") == 0);
    CHECK(p.console.clock_hz == 0); // firmware-managed clock
    REQUIRE(p.console.has_interrupt);
    check_line(p.console.interrupt, InterruptControllerKind::Bcm2835Armctrl, 32 + 29, false);

    CHECK(p.interrupt_controller.kind == InterruptControllerKind::Bcm2836Local);
    CHECK(p.interrupt_controller.registers.base == 0x40000000);
    CHECK(p.interrupt_controller.registers.size == 0x100);
    CHECK(!p.interrupt_controller.has_parent_interrupt); // its interrupt-parent is itself
    REQUIRE(p.has_chained_controller);
    CHECK(p.chained_controller.kind == InterruptControllerKind::Bcm2835Armctrl);
    CHECK(p.chained_controller.registers.base == 0x3f00b200);
    REQUIRE(p.chained_controller.has_parent_interrupt);
    check_line(p.chained_controller.parent_interrupt, InterruptControllerKind::Bcm2836Local, 8, true);

    // armv7-timer on the local controller: CNTPS 0, CNTPNS 1, CNTV 3, CNTHP 2.
    check_line(p.timer.secure_physical, InterruptControllerKind::Bcm2836Local, 0, true);
    check_line(p.timer.nonsecure_physical, InterruptControllerKind::Bcm2836Local, 1, true);
    check_line(p.timer.virtual_timer, InterruptControllerKind::Bcm2836Local, 3, true);
    check_line(p.timer.hypervisor, InterruptControllerKind::Bcm2836Local, 2, true);

    CHECK(p.psci.conduit == PsciConduit::None);
    REQUIRE(p.cpu_count == 4);
    const uint64_t release[] = {0xd8, 0xe0, 0xe8, 0xf0};
    for (uint32_t i = 0; i < 4; ++i) {
        CHECK(p.cpus[i].mpidr == i);
        CHECK(p.cpus[i].enable_method == CpuEnableMethod::SpinTable);
        CHECK(p.cpus[i].release_address == release[i]);
    }
}

TEST_CASE("Raspberry Pi 4 Model B", "[platform]") {
    Discovered d(load_pi_dtb("bcm2711-rpi-4-b"));
    d.require_ok();
    const Platform& p = d.platform;
    // Debian's tree leaves /memory@0 empty (reg = <0 0 0>): firmware fills it.
    CHECK(p.memory_count == 0);

    CHECK(p.console.kind == UartKind::MiniUart);
    CHECK(p.console.registers.base == 0xfe215040);
    CHECK(p.console.baud == 115200);
    check_line(p.console.interrupt, InterruptControllerKind::GicV2, 32 + 93, false);

    CHECK(p.interrupt_controller.kind == InterruptControllerKind::GicV2);
    CHECK(p.interrupt_controller.registers.base == 0xff841000);
    CHECK(p.interrupt_controller.cpu_interface.base == 0xff842000);
    CHECK(!p.has_chained_controller);

    check_line(p.timer.secure_physical, InterruptControllerKind::GicV2, 29, true);
    check_line(p.timer.nonsecure_physical, InterruptControllerKind::GicV2, 30, true);
    check_line(p.timer.virtual_timer, InterruptControllerKind::GicV2, 27, true);
    check_line(p.timer.hypervisor, InterruptControllerKind::GicV2, 26, true);
    CHECK(p.timer.nonsecure_physical.cpu_mask == 0xf);
    CHECK(p.timer.nonsecure_physical.trigger == Trigger::LevelLow);

    REQUIRE(p.cpu_count == 4);
    CHECK(p.cpus[3].enable_method == CpuEnableMethod::SpinTable);
    CHECK(p.cpus[3].release_address == 0xf0);
}

TEST_CASE("Raspberry Pi 4 with memory filled in as the firmware does", "[platform]") {
    Discovered d(load_pi_dtb("bcm2711-rpi-4-b"));
    patch_property(d, "/memory@0", "reg", {0, 0, 0x3b400000});
    d.status = discover_platform(d.tree, d.platform);
    d.require_ok();
    REQUIRE(d.platform.memory_count == 1);
    CHECK(d.platform.memory[0].base == 0);
    CHECK(d.platform.memory[0].size == 0x3b400000);
}

TEST_CASE("the Pi 3 console switched to the PL011 by stdout-path", "[platform]") {
    Discovered d(load_pi_dtb("bcm2837-rpi-3-b"));
    // "serial1:115200n8" -> "serial0:115200n8": same length, patch one byte.
    auto chosen = d.tree.find_path("/chosen").value();
    auto property = d.tree.property(chosen, "stdout-path").value();
    d.blob[static_cast<size_t>(property.data - d.blob.data()) + 6] = '0';
    d.status = discover_platform(d.tree, d.platform);
    d.require_ok();
    CHECK(d.platform.console.kind == UartKind::Pl011);
    CHECK(d.platform.console.registers.base == 0x3f201000);
    check_line(d.platform.console.interrupt, InterruptControllerKind::Bcm2835Armctrl, 64 + 25, false);
}

TEST_CASE("what the kernel needs but a tree lacks is an error", "[platform]") {
    SECTION("no timer") {
        Discovered d(load_fixture("qemu-virt"));
        auto timer = d.tree.next_compatible(fdt::Node(), "arm,armv8-timer");
        auto property = d.tree.property(timer, "compatible").value();
        std::memset(const_cast<uint8_t*>(property.data), 'x', property.length - 1);
        d.status = discover_platform(d.tree, d.platform);
        CHECK(d.status.error().error == DiscoveryError::NoTimer);
        CHECK(std::strcmp(d.status.error().step, "timer") == 0);
    }
    SECTION("no stdout-path") {
        Discovered d(load_fixture("qemu-virt"));
        auto chosen = d.tree.find_path("/chosen").value();
        auto property = d.tree.property(chosen, "stdout-path").value();
        const_cast<char*>(property.name)[0] = 'X';
        d.status = discover_platform(d.tree, d.platform);
        CHECK(d.status.error().error == DiscoveryError::NoConsole);
        CHECK(d.status.error().fdt_error == fdt::Error::PropertyNotFound);
    }
    SECTION("console without a known UART") {
        Discovered d(load_fixture("qemu-virt"));
        auto uart = d.tree.find_path("/pl011@9000000").value();
        auto property = d.tree.property(uart, "compatible").value();
        std::memset(const_cast<uint8_t*>(property.data), 'x', 4);
        d.status = discover_platform(d.tree, d.platform);
        CHECK(d.status.error().error == DiscoveryError::UnsupportedConsole);
    }
    SECTION("unknown interrupt controller") {
        Discovered d(load_fixture("qemu-virt"));
        auto gic = d.tree.next_compatible(fdt::Node(), "arm,cortex-a15-gic");
        auto property = d.tree.property(gic, "compatible").value();
        std::memset(const_cast<uint8_t*>(property.data), 'x', 4);
        d.status = discover_platform(d.tree, d.platform);
        CHECK(d.status.error().error == DiscoveryError::UnsupportedInterruptController);
    }
    SECTION("bad PSCI method") {
        Discovered d(load_fixture("qemu-virt"));
        auto psci = d.tree.find_path("/psci").value();
        auto property = d.tree.property(psci, "method").value();
        const_cast<uint8_t*>(property.data)[0] = 'x';
        d.status = discover_platform(d.tree, d.platform);
        CHECK(d.status.error().error == DiscoveryError::PsciMethodInvalid);
    }
    CHECK(std::strcmp(message(DiscoveryError::NoTimer), "no arm,armv8-timer or arm,armv7-timer node") == 0);
}

TEST_CASE("interrupt specifiers are checked against their controller", "[platform]") {
    InterruptLine line;
    fdt::Interrupt spi{fdt::Node(), 3, {0, 5, 4, 0}};
    CHECK(decode_interrupt(InterruptControllerKind::GicV2, spi, line));
    CHECK(line.id == 37);
    fdt::Interrupt bad_type{fdt::Node(), 3, {7, 5, 4, 0}};
    CHECK(!decode_interrupt(InterruptControllerKind::GicV2, bad_type, line));
    fdt::Interrupt big_ppi{fdt::Node(), 3, {1, 16, 4, 0}};
    CHECK(!decode_interrupt(InterruptControllerKind::GicV3, big_ppi, line));
    fdt::Interrupt espi{fdt::Node(), 3, {2, 1, 4, 0}};
    CHECK(!decode_interrupt(InterruptControllerKind::GicV2, espi, line));
    CHECK(decode_interrupt(InterruptControllerKind::GicV3, espi, line));
    CHECK(line.id == 4097);
    fdt::Interrupt two{fdt::Node(), 2, {0, 5, 0, 0}};
    CHECK(!decode_interrupt(InterruptControllerKind::GicV2, two, line));
    fdt::Interrupt bank{fdt::Node(), 2, {3, 5, 0, 0}};
    CHECK(!decode_interrupt(InterruptControllerKind::Bcm2835Armctrl, bank, line));
    CHECK(!decode_interrupt(InterruptControllerKind::None, spi, line));
}

// ---- IrqControl lines (docs/devicetree.md "IrqControl lines") ----

namespace {

// The IrqControl line of the `index`-th interrupt of the first node compatible
// with `compatible`; fails the test when there is none.
uint32_t line_of(const Discovered& d, const char* compatible, uint32_t index = 0) {
    const fdt::Node node = d.tree.next_compatible(fdt::Node(), compatible);
    REQUIRE(node.valid());
    auto line = irq_line(d.tree, node, index);
    INFO(compatible << " interrupt " << index << ": " << message(line.error()));
    REQUIRE(line.ok());
    return line.value();
}

IrqLineError line_error(const Discovered& d, fdt::Node node, uint32_t index) {
    auto line = irq_line(d.tree, node, index);
    REQUIRE(!line.ok());
    return line.error();
}

} // namespace

TEST_CASE("the Pi 3's armctrl is found without the console's interrupt", "[platform][irq]") {
    for (const char* board : {"bcm2837-rpi-3-b", "bcm2837-rpi-3-b-plus"}) {
        INFO(board);
        Discovered d(load_pi_dtb(board));
        // A console without interrupts (polled): the chained controller is
        // still the one whose own interrupt goes to the per-CPU controller.
        // The UART's `interrupts` is renamed in place: its name offset
        // points at another name of the strings block ("#pwm-cells").
        auto uart = d.tree.next_compatible(fdt::Node(), "brcm,bcm2835-aux-uart");
        auto property = d.tree.property(uart, "interrupts").value();
        auto pwm = d.tree.next_compatible(fdt::Node(), "brcm,bcm2835-pwm");
        auto other = d.tree.property(pwm, "#pwm-cells").value();
        const size_t name_offset = static_cast<size_t>(property.data - d.blob.data()) - 4;
        uint32_t name = 0;
        for (size_t i = 0; i < 4; ++i) name = name << 8 | d.blob[name_offset + i];
        name = static_cast<uint32_t>(name + (other.name - property.name));
        for (size_t i = 0; i < 4; ++i) d.blob[name_offset + i] = static_cast<uint8_t>(name >> (24 - 8 * i));
        REQUIRE(!d.tree.has_property(uart, "interrupts"));
        d.status = discover_platform(d.tree, d.platform);
        d.require_ok();
        const Platform& p = d.platform;
        CHECK(!p.console.has_interrupt);
        REQUIRE(p.has_chained_controller);
        CHECK(p.chained_controller.kind == InterruptControllerKind::Bcm2835Armctrl);
        CHECK(p.chained_controller.registers.base == 0x3f00b200);
        CHECK(p.chained_controller.registers.size == 0x200);
        REQUIRE(p.chained_controller.has_parent_interrupt);
        check_line(p.chained_controller.parent_interrupt, InterruptControllerKind::Bcm2836Local, 8, true);
    }
}

TEST_CASE("no chained controller on GIC machines", "[platform][irq]") {
    for (const char* name : {"qemu-virt", "qemu-virt-gicv3"}) {
        Discovered d(load_fixture(name));
        d.require_ok();
        CHECK(!d.platform.has_chained_controller);
    }
    Discovered pi4(load_pi_dtb("bcm2711-rpi-4-b"));
    pi4.require_ok();
    CHECK(!pi4.platform.has_chained_controller);
}

TEST_CASE("IrqControl lines on the Raspberry Pi 3", "[platform][irq]") {
    Discovered d(load_pi_dtb("bcm2837-rpi-3-b"));
    d.require_ok();
    // GPU interrupt n (armctrl <1 n>, <2 n-32>) -> 64 + n; ARM interrupt n (<0 n>) -> 32 + n.
    CHECK(line_of(d, "brcm,bcm2835-aux-uart") == 93); // <1 29>, the shared AUX line
    CHECK(line_of(d, "brcm,bcm2835-aux-spi") == 93);
    for (uint32_t channel = 0; channel < 4; ++channel)
        CHECK(line_of(d, "brcm,bcm2835-system-timer", channel) == 64 + channel); // <1 0> .. <1 3>
    CHECK(line_of(d, "brcm,bcm2835-mbox") == 33);                                // <0 1>
    CHECK(line_of(d, "arm,pl011") == 64 + 57);                                   // <2 25>
    CHECK(line_of(d, "brcm,bcm2835-sdhost") == 64 + 56);                         // <2 24>
    // The console's line agrees with the discovered console interrupt.
    auto console = irq_line(d.platform.console.interrupt);
    REQUIRE(console.ok());
    CHECK(console.value() == 93);
    // Per-CPU interrupts have no line: the timer, and the armctrl's own input.
    const fdt::Node timer = d.tree.next_compatible(fdt::Node(), "arm,armv7-timer");
    CHECK(line_error(d, timer, 0) == IrqLineError::PerCpuInterrupt);
    const fdt::Node armctrl = d.tree.next_compatible(fdt::Node(), "brcm,bcm2836-armctrl-ic");
    CHECK(line_error(d, armctrl, 0) == IrqLineError::PerCpuInterrupt);
    // Indices past the list, and nodes without interrupts.
    CHECK(line_error(d, d.tree.next_compatible(fdt::Node(), "brcm,bcm2835-aux-uart"), 1) ==
          IrqLineError::NoSuchInterrupt);
    CHECK(line_error(d, d.tree.find_path("/chosen").value(), 0) == IrqLineError::NoInterrupts);
}

TEST_CASE("a device has the same line on the Pi 3 and the Pi 4", "[platform][irq]") {
    Discovered pi3(load_pi_dtb("bcm2837-rpi-3-b"));
    Discovered pi4(load_pi_dtb("bcm2711-rpi-4-b"));
    pi3.require_ok();
    pi4.require_ok();
    struct {
        const char* compatible;
        uint32_t interrupts;
    } devices[] = {
        {"brcm,bcm2835-aux-uart", 1}, {"brcm,bcm2835-system-timer", 4},
        {"brcm,bcm2835-mbox", 1},     {"arm,pl011", 1},
        {"brcm,bcm2835-sdhost", 1},   {"brcm,bcm2835-spi", 1},
        {"brcm,bcm2835-i2c", 1},      {"brcm,bcm2835-vchiq", 1},
    };
    for (const auto& device : devices) {
        for (uint32_t i = 0; i < device.interrupts; ++i) {
            INFO(device.compatible << " interrupt " << i);
            CHECK(line_of(pi3, device.compatible, i) == line_of(pi4, device.compatible, i));
        }
    }
    CHECK(line_of(pi4, "brcm,bcm2835-aux-uart") == 93); // GIC SPI 93
}

TEST_CASE("IrqControl lines on QEMU virt", "[platform][irq]") {
    for (const char* name : {"qemu-virt", "qemu-virt-gicv3"}) {
        INFO(name);
        Discovered d(load_fixture(name));
        d.require_ok();
        CHECK(line_of(d, "arm,pl011") == 1); // SPI 1
        CHECK(line_of(d, "arm,pl031") == 2); // SPI 2: the RTC of the IRQ demo
        const fdt::Node timer = d.tree.next_compatible(fdt::Node(), "arm,armv8-timer");
        for (uint32_t i = 0; i < 4; ++i) CHECK(line_error(d, timer, i) == IrqLineError::PerCpuInterrupt);
    }
}

TEST_CASE("the line rule for decoded interrupts", "[platform][irq]") {
    auto line = [](InterruptControllerKind kind, uint32_t id, bool per_cpu = false) {
        InterruptLine interrupt;
        interrupt.controller = kind;
        interrupt.id = id;
        interrupt.per_cpu = per_cpu;
        return irq_line(interrupt);
    };
    CHECK(line(InterruptControllerKind::GicV2, 32).value() == 0);
    CHECK(line(InterruptControllerKind::GicV3, 1019).value() == 987);
    CHECK(line(InterruptControllerKind::GicV3, 4097).error() == IrqLineError::NoLine); // extended SPI
    CHECK(line(InterruptControllerKind::GicV2, 27, true).error() == IrqLineError::PerCpuInterrupt);
    CHECK(line(InterruptControllerKind::Bcm2835Armctrl, 0).value() == 32);
    CHECK(line(InterruptControllerKind::Bcm2835Armctrl, 7).value() == 39);
    CHECK(line(InterruptControllerKind::Bcm2835Armctrl, 32 + 29).value() == 93);
    CHECK(line(InterruptControllerKind::Bcm2835Armctrl, 95).value() == 127);
    CHECK(line(InterruptControllerKind::Bcm2835Armctrl, 96).error() == IrqLineError::InterruptSpecifierInvalid);
    CHECK(line(InterruptControllerKind::Bcm2836Local, 8).error() == IrqLineError::PerCpuInterrupt);
    CHECK(line(InterruptControllerKind::None, 0).error() == IrqLineError::UnsupportedInterruptController);

    // armctrl specifiers: bank 0 has the 8 ARM interrupts only.
    InterruptLine decoded;
    fdt::Interrupt arm7{fdt::Node(), 2, {0, 7, 0, 0}};
    CHECK(decode_interrupt(InterruptControllerKind::Bcm2835Armctrl, arm7, decoded));
    CHECK(decoded.id == 7);
    fdt::Interrupt arm8{fdt::Node(), 2, {0, 8, 0, 0}};
    CHECK(!decode_interrupt(InterruptControllerKind::Bcm2835Armctrl, arm8, decoded));
    fdt::Interrupt gpu63{fdt::Node(), 2, {2, 31, 0, 0}};
    CHECK(decode_interrupt(InterruptControllerKind::Bcm2835Armctrl, gpu63, decoded));
    CHECK(irq_line(decoded).value() == 127);

    for (IrqLineError error : {IrqLineError::NoInterrupts, IrqLineError::NoSuchInterrupt, IrqLineError::Malformed,
                               IrqLineError::UnsupportedInterruptController, IrqLineError::InterruptSpecifierInvalid,
                               IrqLineError::PerCpuInterrupt, IrqLineError::NoLine})
        CHECK(std::strcmp(message(error), message(IrqLineError::None)) != 0);
}

TEST_CASE("IrqControl lines of malformed or unknown interrupts", "[platform][irq]") {
    SECTION("an unknown controller") {
        Discovered d(load_fixture("qemu-virt"));
        auto gic = d.tree.next_compatible(fdt::Node(), "arm,cortex-a15-gic");
        auto property = d.tree.property(gic, "compatible").value();
        std::memset(const_cast<uint8_t*>(property.data), 'x', 4);
        const fdt::Node rtc = d.tree.next_compatible(fdt::Node(), "arm,pl031");
        CHECK(line_error(d, rtc, 0) == IrqLineError::UnsupportedInterruptController);
    }
    SECTION("a specifier its controller refuses") {
        Discovered d(load_pi_dtb("bcm2837-rpi-3-b"));
        patch_property(d, "/soc/serial@7e215040", "interrupts", {3, 29}); // no bank 3
        const fdt::Node uart = d.tree.find_path("/soc/serial@7e215040").value();
        CHECK(line_error(d, uart, 0) == IrqLineError::InterruptSpecifierInvalid);
    }
    SECTION("a controller with #interrupt-cells = <0>") {
        Discovered d(load_fixture("qemu-virt"));
        auto gic = d.tree.next_compatible(fdt::Node(), "arm,cortex-a15-gic");
        auto property = d.tree.property(gic, "#interrupt-cells").value();
        std::memset(const_cast<uint8_t*>(property.data), 0, 4);
        const fdt::Node rtc = d.tree.next_compatible(fdt::Node(), "arm,pl031");
        CHECK(line_error(d, rtc, 0) == IrqLineError::Malformed);
    }
}
