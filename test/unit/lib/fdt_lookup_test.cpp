// Tests of tree navigation, lookups and property access on basic.dts.
#include <catch2/catch_test_macros.hpp>
#include <lib/fdt.hpp>
#include <string>

#include "fdt_blob_builder.hpp"
#include "fixture.hpp"

using namespace vesta;
using namespace vesta::test;

namespace {

struct BasicTree {
    std::vector<uint8_t> blob = load_fixture("basic");
    fdt::DeviceTree tree = open();

    fdt::DeviceTree open() {
        auto result = fdt::DeviceTree::open(blob.data(), blob.size());
        if (!result.ok()) FAIL("basic.dtb refused: " << fdt::message(result.error()));
        return result.value();
    }
    fdt::Node path(const char* p) {
        auto node = tree.find_path(p);
        if (!node.ok()) FAIL("path " << p << ": " << fdt::message(node.error()));
        return node.value();
    }
};

} // namespace

TEST_CASE("header facts and memory reservations", "[fdt][lookup]") {
    BasicTree t;
    CHECK(t.tree.version() == 17);
    CHECK(t.tree.boot_cpu_id() == 0);
    REQUIRE(t.tree.reservation_count() == 2);
    CHECK(t.tree.reservation(0).value().address == 0x1000);
    CHECK(t.tree.reservation(0).value().size == 0x2000);
    CHECK(t.tree.reservation(1).value().address == 0x80000000);
    CHECK(t.tree.reservation(2).error() == fdt::Error::IndexOutOfRange);
}

TEST_CASE("navigation: children, siblings, parents, document order", "[fdt][lookup]") {
    BasicTree t;
    const fdt::Node root = t.tree.root();
    CHECK(std::string(t.tree.name(root)).empty());
    CHECK(t.tree.parent(root).error() == fdt::Error::NodeNotFound);
    std::vector<std::string> children;
    for (fdt::Node c = t.tree.first_child(root); c.valid(); c = t.tree.next_sibling(c))
        children.push_back(t.tree.name(c));
    CHECK(children == std::vector<std::string>{"aliases", "chosen", "memory@40000000", "cpus",
                                               "interrupt-controller@8000000", "timer", "soc", "values"});
    const fdt::Node uart = t.path("/soc/bridge@100000/serial@2000");
    CHECK(t.tree.depth(uart).value() == 3);
    const fdt::Node bridge = t.tree.parent(uart).value();
    CHECK(std::string(t.tree.name(bridge)) == "bridge@100000");
    CHECK(t.tree.parent(bridge).value() == t.path("/soc"));

    uint32_t count = 0;
    for (fdt::Node n = t.tree.next_node(fdt::Node()); n.valid(); n = t.tree.next_node(n)) ++count;
    CHECK(count == t.tree.node_count());
    CHECK(t.tree.first_child(uart).valid() == false);
    CHECK(t.tree.name(fdt::Node()) == nullptr);
    CHECK(t.tree.parent(fdt::Node()).error() == fdt::Error::InvalidNode);
}

TEST_CASE("paths: absolute, without unit address, through aliases", "[fdt][lookup]") {
    BasicTree t;
    CHECK(t.tree.find_path("/").value() == t.tree.root());
    const fdt::Node uart = t.path("/soc/serial@7e215040");
    CHECK(t.tree.find_path("/soc/serial").value() == uart); // first serial@…
    CHECK(t.tree.find_path("/memory").value() == t.path("/memory@40000000"));
    CHECK(t.tree.find_path("serial1").value() == uart);
    CHECK(t.tree.find_path("soc/bridge@100000/serial@2000").value() == t.tree.find_path("serial0").value());
    CHECK(t.tree.find_path("/soc/").value() == t.path("/soc"));
    CHECK(t.tree.find_path("/soc/serial@7e215040xyz", 20).value() == uart);

    CHECK(t.tree.find_path("/soc/nothing").error() == fdt::Error::NodeNotFound);
    CHECK(t.tree.find_path("/soc/serial@1").error() == fdt::Error::NodeNotFound);
    CHECK(t.tree.find_path("/ser").error() == fdt::Error::NodeNotFound);
    CHECK(t.tree.find_path("nosuchalias").error() == fdt::Error::AliasNotFound);
    CHECK(t.tree.find_path("broken").error() == fdt::Error::AliasNotAbsolute);
    CHECK(t.tree.find_path("").error() == fdt::Error::PathInvalid);
    CHECK(t.tree.find_path(nullptr).error() == fdt::Error::PathInvalid);
}

TEST_CASE("stdout-path with options and an alias", "[fdt][lookup]") {
    BasicTree t;
    auto out = t.tree.stdout_path();
    REQUIRE(out.ok());
    CHECK(out.value().node == t.path("/soc/bridge@100000/serial@2000"));
    CHECK(std::string(out.value().options) == "115200n8");
}

TEST_CASE("compatible iteration, status and phandles", "[fdt][lookup]") {
    BasicTree t;
    std::vector<std::string> buses;
    for (fdt::Node n = t.tree.next_compatible(fdt::Node(), "simple-bus"); n.valid();
         n = t.tree.next_compatible(n, "simple-bus"))
        buses.push_back(t.tree.name(n));
    CHECK(buses == std::vector<std::string>{"soc", "bridge@100000", "identity-bus"});
    CHECK(!t.tree.next_compatible(fdt::Node(), "no,such-thing").valid());

    const fdt::Node pl011 = t.tree.next_compatible(fdt::Node(), "arm,primecell");
    CHECK(t.tree.is_compatible(pl011, "arm,pl011"));
    CHECK(!t.tree.is_compatible(pl011, "arm,pl01"));
    CHECK(!t.tree.is_enabled(pl011));
    CHECK(t.tree.is_enabled(t.path("/soc/serial@7e215040")));
    CHECK(t.tree.is_compatible(t.tree.root(), "vesta,test-soc"));

    const fdt::Node gic = t.path("/interrupt-controller@8000000");
    const uint32_t handle = t.tree.phandle(gic).value();
    CHECK(t.tree.find_phandle(handle).value() == gic);
    CHECK(t.tree.find_phandle(0).error() == fdt::Error::PhandleInvalid);
    CHECK(t.tree.find_phandle(0xffffffff).error() == fdt::Error::PhandleInvalid);
    CHECK(t.tree.find_phandle(0x4242).error() == fdt::Error::PhandleNotFound);
    CHECK(t.tree.phandle(t.tree.root()).error() == fdt::Error::PropertyNotFound);
}

TEST_CASE("property access: cells, strings, lists, sizes", "[fdt][lookup]") {
    BasicTree t;
    const fdt::Node values = t.path("/values");
    CHECK(t.tree.read_u32(values, "u32").value() == 0x12345678);
    CHECK(t.tree.read_u64(values, "u64").value() == 0x123456789abcdef0);
    CHECK(t.tree.read_u64(values, "u32").value() == 0x12345678);
    CHECK(t.tree.read_u32(values, "u64").error() == fdt::Error::PropertySizeWrong);
    CHECK(t.tree.read_u32(values, "missing").error() == fdt::Error::PropertyNotFound);
    CHECK(t.tree.has_property(values, "empty"));
    CHECK(t.tree.property(values, "empty").value().length == 0);
    CHECK(t.tree.read_string(values, "empty").error() == fdt::Error::StringUnterminated);
    CHECK(t.tree.read_string(values, "unterminated").error() == fdt::Error::StringUnterminated);
    CHECK(t.tree.read_strings(values, "unterminated").error() == fdt::Error::StringUnterminated);
    CHECK(t.tree.read_cells(values, "odd").error() == fdt::Error::PropertySizeWrong);
    CHECK(std::string(t.tree.read_string(values, "strings").value()) == "first");

    fdt::StringList list = t.tree.read_strings(values, "strings").value();
    CHECK(list.count() == 3);
    CHECK(list.contains("second"));
    CHECK(!list.contains("fourth"));
    CHECK(std::string(list.next()) == "first");
    CHECK(std::string(list.next()) == "second");
    CHECK(std::string(list.next()) == "third");
    CHECK(list.next() == nullptr);

    fdt::CellReader wide = t.tree.read_cells(values, "wide-cell").value();
    CHECK(wide.read(3).error() == fdt::Error::CellValueTooWide);
    fdt::CellReader cells = t.tree.read_cells(values, "wide-cell").value();
    CHECK(cells.read(5).error() == fdt::Error::CellCountTooLarge);
    CHECK(cells.read(2).value() == 0x100000000);
    CHECK(cells.read(2).error() == fdt::Error::PropertySizeWrong);
    CHECK(cells.read(1).value() == 0);
    CHECK(cells.remaining_cells() == 0);

    std::vector<std::string> names;
    for (fdt::Property p = t.tree.first_property(values); p.valid(); p = t.tree.next_property(p))
        names.push_back(p.name);
    CHECK(names == std::vector<std::string>{"u32", "u64", "strings", "empty", "unterminated", "odd", "wide-cell"});
}

TEST_CASE("find_phandle follows phandle()'s rule: the first `phandle` decides, else the first `linux,phandle`",
          "[fdt][lookup]") {
    test::BlobBuilder b;
    b.begin_node("")
        .begin_node("legacy")
        .nop()
        .property_u32("linux,phandle", 7)
        .end_node()
        .begin_node("both")
        .property_u32("linux,phandle", 8)
        .nop()
        .property_u32("phandle", 9)
        .begin_node("child")
        .property_u32("phandle", 8)
        .end_node()
        .end_node()
        .begin_node("bad-size")
        .property("phandle", test::be32_cells({10, 10}))
        .property_u32("linux,phandle", 11)
        .end_node()
        .begin_node("twice")
        .property_u32("phandle", 12)
        .property_u32("phandle", 13)
        .end_node()
        .end_node()
        .end();
    const auto blob = b.build();
    auto opened = fdt::DeviceTree::open(blob.data(), blob.size());
    REQUIRE(opened.ok());
    const fdt::DeviceTree& tree = opened.value();
    auto node = [&](const char* path) { return tree.find_path(path).value(); };
    CHECK(tree.find_phandle(7).value() == node("/legacy"));
    CHECK(tree.find_phandle(9).value() == node("/both"));
    // /both's linux,phandle is overruled by its phandle: 8 is /both/child's.
    CHECK(tree.find_phandle(8).value() == node("/both/child"));
    CHECK(tree.phandle(node("/bad-size")).error() == fdt::Error::PropertySizeWrong);
    CHECK(tree.find_phandle(10).error() == fdt::Error::PhandleNotFound);
    CHECK(tree.find_phandle(11).error() == fdt::Error::PhandleNotFound);
    CHECK(tree.find_phandle(12).value() == node("/twice"));
    CHECK(tree.find_phandle(13).error() == fdt::Error::PhandleNotFound);
    // A Property whose offset is not a token's ends the walk.
    fdt::Property forged = tree.first_property(node("/legacy"));
    REQUIRE(forged.valid());
    forged.offset += 2;
    CHECK(!tree.next_property(forged).valid());
}
