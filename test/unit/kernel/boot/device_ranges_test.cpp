// Tests of kernel/boot/device_ranges: device memory is never RAM or
// anything the handoff names, whatever the memory map says.
#include <boot/device_ranges.hpp>
#include <catch2/catch_test_macros.hpp>

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
