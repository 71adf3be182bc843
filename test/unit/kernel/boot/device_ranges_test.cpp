// Tests of kernel/boot/device_ranges: device memory is never RAM or
// anything the handoff names, whatever the memory map says.
#include <boot/device_ranges.hpp>
#include <boot/devicetree_devices.hpp>
#include <catch2/catch_test_macros.hpp>

#include <string>
#include <utility>
#include <vector>

#include "fdt_blob_builder.hpp"

using namespace vesta;
using boot::MemoryRange;
using boot::MemoryType;

namespace {

boot::BootInfo handoff() {
    boot::BootInfo info{};
    info.size = sizeof(boot::BootInfo);
    info.memory_map_physical = 0x101000;
    info.memory_map_count = 4;
    info.command_line_physical = 0x102000;
    info.command_line_size = 20;
    info.initramfs_physical = 0x200000;
    info.initramfs_size = 0x3800;
    info.device_tree_physical = 0x300000;
    info.device_tree_size = 0x1000;
    info.page_table_root_physical = 0x400000;
    info.kernel_physical_base = 0x500000;
    info.handoff_identity_physical = 0x600000;
    info.handoff_identity_size = 0x2000;
    return info;
}
constexpr uint64_t kInfoPhysical = 0x100000;

} // namespace

TEST_CASE("device ranges may not overlap RAM of any kind", "[boot][device-memory]") {
    const boot::BootInfo info = handoff();
    const MemoryRange map[] = {
        {0x0, 0x9f000, MemoryType::Usable, 0},
        {0x9f000, 0x1000, MemoryType::Reserved, 0},
        {0xa0000, 0x20000, MemoryType::Mmio, 0},
        {0xc0000, 0x10000, MemoryType::AcpiNvs, 0},
        {0xfe000000, 0x1000000, MemoryType::Framebuffer, 0},
    };
    CHECK(device_range_allowed(info, kInfoPhysical, map, 5, 0xa0000, 0x20000));
    CHECK(device_range_allowed(info, kInfoPhysical, map, 5, 0xfe000000, 0x1000000));
    // A map that also calls RAM or firmware memory a device (overlapping entries).
    CHECK_FALSE(device_range_allowed(info, kInfoPhysical, map, 5, 0x9e000, 0x2000));
    CHECK_FALSE(device_range_allowed(info, kInfoPhysical, map, 5, 0x9f000, 0x1000));
    CHECK_FALSE(device_range_allowed(info, kInfoPhysical, map, 5, 0xbf000, 0x2000));
    for (MemoryType ram : {MemoryType::Kernel, MemoryType::BootData, MemoryType::Initramfs, MemoryType::AcpiReclaimable,
                           MemoryType::Defective}) {
        const MemoryRange lying[] = {{0x800000, 0x10000, ram, 0}, {0x808000, 0x10000, MemoryType::Mmio, 0}};
        CHECK_FALSE(device_range_allowed(info, kInfoPhysical, lying, 2, 0x808000, 0x10000));
        CHECK(device_range_allowed(info, kInfoPhysical, lying, 2, 0x810000, 0x8000));
    }
}

TEST_CASE("device ranges may not cover what the handoff names", "[boot][device-memory]") {
    const boot::BootInfo info = handoff();
    // A map that calls everything MMIO: only the kernel's own knowledge is left.
    const MemoryRange map[] = {{0x0, 0x1000000, MemoryType::Mmio, 0}};
    for (uint64_t named :
         {kInfoPhysical, uint64_t{0x101000}, uint64_t{0x102000}, uint64_t{0x200000}, uint64_t{0x203000},
          uint64_t{0x300000}, uint64_t{0x400000}, uint64_t{0x500000}, uint64_t{0x601000}}) {
        CAPTURE(named);
        CHECK_FALSE(device_range_allowed(info, kInfoPhysical, map, 1, named, 0x1000));
        CHECK_FALSE(device_range_allowed(info, kInfoPhysical, map, 1, named & ~uint64_t{0xfffff}, 0x100000));
    }
    CHECK(device_range_allowed(info, kInfoPhysical, map, 1, 0x204000, 0x1000)); // just past the initramfs
    CHECK(device_range_allowed(info, kInfoPhysical, map, 1, 0x700000, 0x100000));
}

TEST_CASE("device ranges must be whole pages and must not wrap", "[boot][device-memory]") {
    const boot::BootInfo info = handoff();
    const MemoryRange map[] = {{0xf0000000, 0x10000000, MemoryType::Mmio, 0}};
    CHECK_FALSE(device_range_allowed(info, kInfoPhysical, map, 1, 0xf0000000, 0));
    CHECK_FALSE(device_range_allowed(info, kInfoPhysical, map, 1, 0xf0000800, 0x1000));
    CHECK_FALSE(device_range_allowed(info, kInfoPhysical, map, 1, 0xf0000000, 0x800));
    CHECK_FALSE(device_range_allowed(info, kInfoPhysical, map, 1, 0xfffffffffffff000, 0x2000));
    CHECK(device_range_allowed(info, kInfoPhysical, map, 1, 0xf0000000, 0x1000));
}

// --- Device-tree device ranges (devicetree_device_ranges) ---------------------

namespace {

using vesta::test::be32_cells;
using vesta::test::BlobBuilder;

// A virt-like tree: /soc with identity ranges, `count` virtio-mmio
// transports 0x200 apart from 0xa000000 (the last one disabled when asked),
// a pl011 and a virtio node whose reg cannot be translated.
std::vector<uint8_t> virtio_tree(uint32_t count, bool last_disabled) {
    BlobBuilder b;
    b.begin_node("").property_u32("#address-cells", 2).property_u32("#size-cells", 2);
    b.begin_node("soc").property_u32("#address-cells", 2).property_u32("#size-cells", 2).property("ranges", {});
    for (uint32_t i = 0; i < count; ++i) {
        b.begin_node("virtio_mmio@" + std::to_string(0xa000000 + i * 0x200))
            .property_string("compatible", "virtio,mmio")
            .property("reg", be32_cells({0, 0xa000000 + i * 0x200, 0, 0x200}));
        if (last_disabled && i + 1 == count) b.property_string("status", "disabled");
        b.end_node();
    }
    b.begin_node("pl011@9000000")
        .property_string("compatible", "arm,pl011")
        .property("reg", be32_cells({0, 0x9000000, 0, 0x1000}))
        .end_node();
    b.begin_node("virtio_mmio@b000000")
        .property_string("compatible", "virtio,mmio")
        .property("reg", be32_cells({0, 0xb000000, 0, 0x200}))
        .end_node();
    b.end_node();
    b.begin_node("bus").property_u32("#address-cells", 1).property_u32("#size-cells", 1); // no ranges
    b.begin_node("virtio@0").property_string("compatible", "virtio,mmio").property("reg", be32_cells({0, 0x200}));
    b.end_node().end_node();
    b.end_node().end();
    return b.build();
}

} // namespace

TEST_CASE("device-tree device ranges: virtio-mmio transports merged into whole pages", "[boot][device-memory]") {
    const std::vector<uint8_t> blob = virtio_tree(32, false);
    auto tree = fdt::DeviceTree::open(blob.data(), blob.size());
    REQUIRE(tree.ok());
    MemoryRange ranges[4];
    const size_t count = devicetree_device_ranges(tree.value(), "virtio,mmio", ranges, 4);
    REQUIRE(count == 2); // 0xa000000-0xa003fff, and 0xb000000's page; the untranslatable one is left out
    if (ranges[1].base < ranges[0].base) std::swap(ranges[0], ranges[1]);
    CHECK(ranges[0].base == 0xa000000);
    CHECK(ranges[0].size == 0x4000);
    CHECK(ranges[0].type == MemoryType::Mmio);
    CHECK(ranges[1].base == 0xb000000);
    CHECK(ranges[1].size == 0x1000);
    MemoryRange pl011[2];
    REQUIRE(devicetree_device_ranges(tree.value(), "arm,pl011", pl011, 2) == 1);
    CHECK(pl011[0].base == 0x9000000);
    CHECK(devicetree_device_ranges(tree.value(), "acme,none", pl011, 2) == 0);
}

TEST_CASE("device-tree device ranges: disabled nodes and a full table", "[boot][device-memory]") {
    const std::vector<uint8_t> blob = virtio_tree(9, true); // the 9th (0xa001000) disabled
    auto tree = fdt::DeviceTree::open(blob.data(), blob.size());
    REQUIRE(tree.ok());
    MemoryRange ranges[4];
    REQUIRE(devicetree_device_ranges(tree.value(), "virtio,mmio", ranges, 4) == 2);
    if (ranges[1].base < ranges[0].base) std::swap(ranges[0], ranges[1]);
    CHECK(ranges[0].base == 0xa000000);
    CHECK(ranges[0].size == 0x1000); // 8 transports in one page; the disabled one's page is not included
    MemoryRange one[1];
    CHECK(devicetree_device_ranges(tree.value(), "virtio,mmio", one, 1) == 1); // the other range does not fit
}
