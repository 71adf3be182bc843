// Tests of `reg`, `ranges` translation and interrupt decoding.
#include <catch2/catch_test_macros.hpp>
#include <lib/fdt.hpp>

#include "fixture.hpp"

using namespace vesta;
using namespace vesta::test;

namespace {

struct Tree {
    std::vector<uint8_t> blob;
    fdt::DeviceTree tree;

    explicit Tree(const char* fixture) : blob(load_fixture(fixture)) {
        auto result = fdt::DeviceTree::open(blob.data(), blob.size());
        if (!result.ok()) FAIL(fixture << " refused: " << fdt::message(result.error()));
        tree = result.value();
    }
    fdt::Node path(const char* p) const {
        auto node = tree.find_path(p);
        if (!node.ok()) FAIL("path " << p << ": " << fdt::message(node.error()));
        return node.value();
    }
};

} // namespace

TEST_CASE("reg decodes with the parent's cell sizes", "[fdt][address]") {
    Tree t("basic");
    const fdt::Node memory = t.path("/memory@40000000");
    REQUIRE(t.tree.reg_count(memory).value() == 2);
    CHECK(t.tree.reg(memory, 0).value().address == 0x40000000);
    CHECK(t.tree.reg(memory, 0).value().size == 0x20000000);
    CHECK(t.tree.reg(memory, 1).value().address == 0x100000000);
    CHECK(t.tree.reg(memory, 1).value().size == 0x10000000);
    CHECK(t.tree.reg(memory, 2).error() == fdt::Error::IndexOutOfRange);

    const fdt::Node cpu = t.path("/cpus/cpu@0");
    CHECK(t.tree.reg_count(cpu).value() == 1);
    CHECK(t.tree.reg(cpu, 0).value().address == 0);
    CHECK(t.tree.reg(cpu, 0).value().size == 0);

    CHECK(t.tree.cell_sizes(t.tree.root()).value().address_cells == 2);
    CHECK(t.tree.cell_sizes(t.path("/soc")).value().address_cells == 1);
    // Defaults when absent: 2 and 1.
    CHECK(t.tree.cell_sizes(t.path("/timer")).value().address_cells == 2);
    CHECK(t.tree.cell_sizes(t.path("/timer")).value().size_cells == 1);
    CHECK(t.tree.reg_count(t.path("/timer")).error() == fdt::Error::PropertyNotFound);
    CHECK(t.tree.reg_count(t.tree.root()).error() == fdt::Error::NodeNotFound);
}

TEST_CASE("ranges translate through every bus level", "[fdt][address]") {
    Tree t("basic");
    auto region = t.tree.cpu_region(t.path("/soc/serial@7e215040"), 0);
    REQUIRE(region.ok());
    CHECK(region.value().address == 0x3f215040);
    CHECK(region.value().size == 0x40);

    // Two levels: bridge 0x0 -> 0x7e100000, then soc 0x7e000000 -> 0x3f000000.
    region = t.tree.cpu_region(t.path("serial0"), 0);
    REQUIRE(region.ok());
    CHECK(region.value().address == 0x3f102000);
    CHECK(region.value().size == 0x100);

    // Empty ranges is the identity.
    CHECK(t.tree.cpu_region(t.path("/soc/identity-bus/device@7e300000"), 0).value().address == 0x3f300000);
    // Root children are already CPU addresses.
    CHECK(t.tree.cpu_region(t.path("/memory"), 1).value().address == 0x100000000);
    // The second soc range: 0x40000000 -> 0x40000000.
    CHECK(t.tree.translate(t.path("/soc/serial@7e215040"), 0x40000010).value() == 0x40000010);

    CHECK(t.tree.cpu_region(t.path("/soc/bridge@100000/straddle@ff00"), 0).error() == fdt::Error::RegionCrossesRange);
    CHECK(t.tree.cpu_region(t.path("/soc/bridge@100000/outside@20000"), 0).error() == fdt::Error::NoMatchingRange);
    CHECK(t.tree.translate(t.path("/soc/serial@7e215040"), 0x10).error() == fdt::Error::NoMatchingRange);
    // An i2c bus has no ranges: its addresses are not memory-mapped.
    const fdt::Node sensor = t.path("/soc/i2c@7e804000/sensor@48");
    CHECK(t.tree.reg(sensor, 0).value().address == 0x48);
    CHECK(t.tree.cpu_region(sensor, 0).error() == fdt::Error::NoRangesProperty);
    CHECK(t.tree.translate_region(t.path("/soc/serial@7e215040"), fdt::Region{0xffffffffffffff00, 0x200}).error() ==
          fdt::Error::AddressOverflow);
}

TEST_CASE("interrupts go to the interrupt parent, with its cell count", "[fdt][interrupts]") {
    Tree t("basic");
    const fdt::Node gic = t.path("/interrupt-controller@8000000");
    const fdt::Node chained = t.path("/soc/interrupt-controller@7e00b200");

    const fdt::Node timer = t.path("/timer");
    CHECK(t.tree.interrupt_parent(timer).value() == gic);
    REQUIRE(t.tree.interrupt_count(timer).value() == 4);
    auto irq = t.tree.interrupt(timer, 1).value();
    CHECK(irq.controller == gic);
    CHECK(irq.cell_count == 3);
    CHECK((irq.cells[0] == 1 && irq.cells[1] == 14 && irq.cells[2] == 0x104));
    CHECK(t.tree.interrupt(timer, 4).error() == fdt::Error::IndexOutOfRange);

    const fdt::Node aux = t.path("/soc/serial@7e215040");
    irq = t.tree.interrupt(aux, 0).value();
    CHECK(irq.controller == chained);
    CHECK(irq.cell_count == 2);
    CHECK((irq.cells[0] == 1 && irq.cells[1] == 29));
    // The chained controller itself signals the GIC (found through the root).
    irq = t.tree.interrupt(chained, 0).value();
    CHECK(irq.controller == gic);
    CHECK(irq.cells[1] == 8);

    const fdt::Node ns16550 = t.path("serial0");
    REQUIRE(t.tree.interrupt_count(ns16550).value() == 2);
    irq = t.tree.interrupt(ns16550, 0).value();
    CHECK(irq.controller == gic);
    CHECK((irq.cell_count == 3 && irq.cells[1] == 33));
    irq = t.tree.interrupt(ns16550, 1).value();
    CHECK(irq.controller == chained);
    CHECK((irq.cell_count == 2 && irq.cells[0] == 2 && irq.cells[1] == 5));

    CHECK(t.tree.interrupt_count(t.path("/values")).error() == fdt::Error::PropertyNotFound);
    CHECK(t.tree.interrupt_cells(t.path("/soc")).error() == fdt::Error::InterruptCellsMissing);
}

TEST_CASE("interrupt-parent cycles and dangling phandles terminate with errors", "[fdt][interrupts]") {
    Tree t("interrupt_loop");
    CHECK(t.tree.interrupt_parent(t.path("/device")).error() == fdt::Error::InterruptParentLoop);
    CHECK(t.tree.interrupt(t.path("/device"), 0).error() == fdt::Error::InterruptParentLoop);
    CHECK(t.tree.interrupt_parent(t.path("/self-loop")).error() == fdt::Error::InterruptParentLoop);
    CHECK(t.tree.interrupt_parent(t.path("/orphan")).error() == fdt::Error::NoInterruptParent);
    CHECK(t.tree.interrupt_parent(t.path("/dangling")).error() == fdt::Error::PhandleNotFound);
}

TEST_CASE("huge or zero cell counts are refused", "[fdt][address][interrupts]") {
    Tree t("huge_cells");
    CHECK(t.tree.cell_sizes(t.path("/huge-bus")).error() == fdt::Error::CellCountTooLarge);
    CHECK(t.tree.reg_count(t.path("/huge-bus/device@0")).error() == fdt::Error::CellCountTooLarge);
    CHECK(t.tree.reg(t.path("/huge-bus/device@0"), 0).error() == fdt::Error::CellCountTooLarge);
    CHECK(t.tree.reg_count(t.path("/zero-bus/device")).error() == fdt::Error::RegEntryEmpty);
    CHECK(t.tree.interrupt_count(t.path("/huge-user")).error() == fdt::Error::InterruptCellsTooLarge);
    CHECK(t.tree.interrupt(t.path("/huge-user"), 0).error() == fdt::Error::InterruptCellsTooLarge);
    CHECK(t.tree.interrupt_count(t.path("/zero-user")).error() == fdt::Error::InterruptCellsZero);
    CHECK(t.tree.cpu_region(t.path("/bad-ranges-bus/device@0"), 0).error() == fdt::Error::RangesSizeMismatch);
    CHECK(t.tree.cpu_region(t.path("/no-ranges-bus/device@0"), 0).error() == fdt::Error::NoRangesProperty);
}
