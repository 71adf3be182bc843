// The reader on real device trees: QEMU virt's own, and the Raspberry Pi 3
// and 4 trees Debian ships (fetched by scripts/deps-arm64).
#include <catch2/catch_test_macros.hpp>
#include <lib/fdt.hpp>
#include <string>

#include "fixture.hpp"

using namespace vesta;
using namespace vesta::test;

namespace {

fdt::DeviceTree open_tree(const std::vector<uint8_t>& blob) {
    auto result = fdt::DeviceTree::open(blob.data(), blob.size());
    if (!result.ok()) FAIL("refused: " << fdt::message(result.error()));
    return result.value();
}

} // namespace

TEST_CASE("QEMU virt: stdout-path names the PL011 at 0x9000000", "[fdt][real]") {
    for (const char* name : {"qemu-virt", "qemu-virt-acpi-off", "qemu-virt-gicv3"}) {
        INFO(name);
        auto blob = load_fixture(name);
        const fdt::DeviceTree tree = open_tree(blob);
        auto out = tree.stdout_path();
        REQUIRE(out.ok());
        CHECK(std::string(tree.name(out.value().node)) == "pl011@9000000");
        CHECK(tree.is_compatible(out.value().node, "arm,pl011"));
        CHECK(tree.cpu_region(out.value().node, 0).value().address == 0x9000000);
        CHECK(tree.cpu_region(out.value().node, 0).value().size == 0x1000);
        auto irq = tree.interrupt(out.value().node, 0);
        REQUIRE(irq.ok());
        CHECK((tree.is_compatible(irq.value().controller, "arm,cortex-a15-gic") ||
               tree.is_compatible(irq.value().controller, "arm,gic-v3")));
        CHECK((irq.value().cells[0] == 0 && irq.value().cells[1] == 1));
        // Every node's reg and interrupts decode or fail cleanly.
        for (fdt::Node n = tree.root(); n.valid(); n = tree.next_node(n)) {
            (void)tree.cpu_region(n, 0);
            (void)tree.interrupt_count(n);
        }
    }
}

TEST_CASE("Raspberry Pi 3 B: the mini-UART at 0x3f215040 through /soc ranges", "[fdt][real]") {
    auto blob = load_pi_dtb("bcm2837-rpi-3-b");
    const fdt::DeviceTree tree = open_tree(blob);
    CHECK(tree.is_compatible(tree.root(), "brcm,bcm2837"));
    auto out = tree.stdout_path();
    REQUIRE(out.ok());
    CHECK(std::string(out.value().options) == "115200n8");
    CHECK(std::string(tree.name(out.value().node)) == "serial@7e215040");
    CHECK(tree.reg(out.value().node, 0).value().address == 0x7e215040);
    CHECK(tree.cpu_region(out.value().node, 0).value().address == 0x3f215040);
    CHECK(tree.cpu_region(tree.find_path("serial0").value(), 0).value().address == 0x3f201000);
    // The UART's interrupt goes to the ARM control block's controller…
    auto irq = tree.interrupt(out.value().node, 0).value();
    CHECK(tree.is_compatible(irq.controller, "brcm,bcm2836-armctrl-ic"));
    CHECK((irq.cell_count == 2 && irq.cells[0] == 1 && irq.cells[1] == 29));
    // …which is chained to the per-core local controller, as is the timer.
    auto chained = tree.interrupt(irq.controller, 0).value();
    CHECK(tree.is_compatible(chained.controller, "brcm,bcm2836-l1-intc"));
    auto timer = tree.next_compatible(fdt::Node(), "arm,armv7-timer");
    CHECK(tree.interrupt_parent(timer).value() == chained.controller);
    CHECK(tree.cpu_region(chained.controller, 0).value().address == 0x40000000);
}

TEST_CASE("Raspberry Pi 4 B: the mini-UART at 0xfe215040, GIC-400 at 0xff841000", "[fdt][real]") {
    auto blob = load_pi_dtb("bcm2711-rpi-4-b");
    const fdt::DeviceTree tree = open_tree(blob);
    CHECK(tree.is_compatible(tree.root(), "brcm,bcm2711"));
    auto out = tree.stdout_path();
    REQUIRE(out.ok());
    CHECK(std::string(tree.name(out.value().node)) == "serial@7e215040");
    CHECK(tree.cpu_region(out.value().node, 0).value().address == 0xfe215040);
    auto irq = tree.interrupt(out.value().node, 0).value();
    CHECK(tree.is_compatible(irq.controller, "arm,gic-400"));
    CHECK((irq.cell_count == 3 && irq.cells[0] == 0 && irq.cells[1] == 0x5d));
    CHECK(tree.cpu_region(irq.controller, 0).value().address == 0xff841000);
    CHECK(tree.cpu_region(irq.controller, 1).value().address == 0xff842000);
    // emmc2bus: 2 address cells, 0x0_7e000000 -> 0xfe000000.
    auto emmc = tree.next_compatible(fdt::Node(), "brcm,bcm2711-emmc2");
    CHECK(tree.cpu_region(emmc, 0).value().address == 0xfe340000);
    for (fdt::Node n = tree.root(); n.valid(); n = tree.next_node(n)) {
        (void)tree.cpu_region(n, 0);
        (void)tree.interrupt_count(n);
    }
}

TEST_CASE(
    "real trees: find_phandle agrees with phandle() of every node, and a copy of used_size() bytes is the same tree",
    "[fdt][real]") {
    for (const char* name :
         {"qemu-virt", "qemu-virt-acpi-off", "qemu-virt-gicv3", "bcm2837-rpi-3-b", "bcm2711-rpi-4-b"}) {
        INFO(name);
        const std::string file(name);
        auto blob = file.starts_with("bcm") ? load_pi_dtb(name) : load_fixture(name);
        const fdt::DeviceTree tree = open_tree(blob);
        size_t handles = 0;
        for (fdt::Node n = tree.root(); n.valid(); n = tree.next_node(n)) {
            auto handle = tree.phandle(n);
            if (!handle.ok()) continue;
            ++handles;
            CHECK(tree.find_phandle(handle.value()).value() == n);
        }
        CHECK(handles > 3);

        const uint32_t used = tree.used_size();
        CHECK(used <= tree.total_size());
        std::vector<uint8_t> copy(blob.begin(), blob.begin() + used);
        fdt::store_be32(copy.data() + fdt::kTotalSizeOffset, used);
        const fdt::DeviceTree same = open_tree(copy);
        CHECK(same.total_size() == used);
        CHECK(same.used_size() == used);
        CHECK(same.node_count() == tree.node_count());
        fdt::Node a = tree.root(), b = same.root();
        for (; a.valid() && b.valid(); a = tree.next_node(a), b = same.next_node(b)) {
            CHECK(std::string(tree.name(a)) == same.name(b));
            for (fdt::Property p = tree.first_property(a), q = same.first_property(b); p.valid() || q.valid();
                 p = tree.next_property(p), q = same.next_property(q)) {
                REQUIRE((p.valid() && q.valid()));
                CHECK(std::string(p.name) == q.name);
                CHECK(std::vector<uint8_t>(p.data, p.data + p.length) ==
                      std::vector<uint8_t>(q.data, q.data + q.length));
            }
        }
        CHECK((!a.valid() && !b.valid()));
    }
    // QEMU pads its tree to 1 MiB: the copy the kernel gives the root task is a few KiB.
    auto virt = load_fixture("qemu-virt");
    CHECK(open_tree(virt).used_size() < 64 * 1024);
}
