// Tests of lib/memory_map: UEFI map parsing and normalisation.
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <lib/memory_map.hpp>
#include <vector>

using namespace vesta;
using namespace vesta::boot;

namespace {

struct UefiDescriptor {
    uint32_t type;
    uint64_t physical, pages;
};

std::vector<uint8_t> uefi_map(const std::vector<UefiDescriptor>& descriptors, size_t descriptor_size) {
    std::vector<uint8_t> bytes(descriptors.size() * descriptor_size, 0xcc);
    for (size_t i = 0; i < descriptors.size(); ++i) {
        uint8_t* d = bytes.data() + i * descriptor_size;
        std::memset(d, 0, 40);
        std::memcpy(d, &descriptors[i].type, 4);
        std::memcpy(d + 8, &descriptors[i].physical, 8);
        std::memcpy(d + 24, &descriptors[i].pages, 8);
    }
    return bytes;
}

std::vector<MemoryRange> normalise(const MemoryMapBuilder& builder) {
    std::vector<MemoryRange> out(2 * builder.count() + 1);
    std::vector<uint64_t> scratch(2 * builder.count());
    auto result = builder.normalise(out.data(), out.size(), scratch.data(), scratch.size());
    REQUIRE(result.ok());
    out.resize(result.value());
    return out;
}

bool same(const MemoryRange& range, uint64_t base, uint64_t size, MemoryType type) {
    return range.base == base && range.size == size && range.type == type;
}

} // namespace

TEST_CASE("UEFI types map to boot-protocol types", "[memory-map]") {
    CHECK(memory_type_from_uefi(7) == MemoryType::Usable);
    CHECK(memory_type_from_uefi(3) == MemoryType::Usable);
    CHECK(memory_type_from_uefi(2) == MemoryType::Usable);
    CHECK(memory_type_from_uefi(5) == MemoryType::Reserved);
    CHECK(memory_type_from_uefi(9) == MemoryType::AcpiReclaimable);
    CHECK(memory_type_from_uefi(10) == MemoryType::AcpiNvs);
    CHECK(memory_type_from_uefi(11) == MemoryType::Mmio);
    CHECK(memory_type_from_uefi(8) == MemoryType::Defective);
    CHECK(memory_type_from_uefi(kUefiTypeKernel) == MemoryType::Kernel);
    CHECK(memory_type_from_uefi(kUefiTypeInitramfs) == MemoryType::Initramfs);
    CHECK(memory_type_from_uefi(kUefiTypeBootData) == MemoryType::BootData);
    CHECK(memory_type_from_uefi(0x7fffffff) == MemoryType::Reserved);
}

TEST_CASE("unsorted adjacent ranges are sorted and merged", "[memory-map]") {
    for (size_t descriptor_size : {40u, 48u, 56u, 136u}) {
        CAPTURE(descriptor_size);
        auto bytes = uefi_map({{7, 0x200000, 16}, {4, 0x100000, 256}, {3, 0x0, 16}, {kUefiTypeKernel, 0x210000, 4}},
                              descriptor_size);
        std::vector<MemoryRange> storage(16);
        MemoryMapBuilder builder(storage.data(), storage.size());
        REQUIRE(builder.add_uefi_map(bytes.data(), bytes.size(), descriptor_size).ok());
        auto map = normalise(builder);
        REQUIRE(map.size() == 3);
        CHECK(same(map[0], 0x0, 0x10000, MemoryType::Usable));
        CHECK(same(map[1], 0x100000, 0x110000, MemoryType::Usable));
        CHECK(same(map[2], 0x210000, 0x4000, MemoryType::Kernel));
    }
}

TEST_CASE("overlaps resolve to the more restrictive type", "[memory-map]") {
    std::vector<MemoryRange> storage(8);
    MemoryMapBuilder builder(storage.data(), storage.size());
    REQUIRE(builder.add(0x0, 0x100000, MemoryType::Usable).ok());
    REQUIRE(builder.add(0x80000, 0x10000, MemoryType::Reserved).ok());
    REQUIRE(builder.add(0xf0000, 0x20000, MemoryType::AcpiNvs).ok());
    REQUIRE(builder.add(0x40000, 0x1000, MemoryType::Framebuffer).ok());
    auto map = normalise(builder);
    REQUIRE(map.size() == 6);
    CHECK(same(map[0], 0x0, 0x40000, MemoryType::Usable));
    CHECK(same(map[1], 0x40000, 0x1000, MemoryType::Framebuffer));
    CHECK(same(map[2], 0x41000, 0x3f000, MemoryType::Usable));
    CHECK(same(map[3], 0x80000, 0x10000, MemoryType::Reserved));
    CHECK(same(map[4], 0x90000, 0x60000, MemoryType::Usable));
    CHECK(same(map[5], 0xf0000, 0x20000, MemoryType::AcpiNvs));
}

TEST_CASE("partial pages are never usable", "[memory-map]") {
    std::vector<MemoryRange> storage(4);
    MemoryMapBuilder builder(storage.data(), storage.size());
    REQUIRE(builder.add(0x1800, 0x3000, MemoryType::Usable).ok());  // covers pages 2..3 fully
    REQUIRE(builder.add(0x10010, 0x20, MemoryType::Reserved).ok()); // grows to a page
    REQUIRE(builder.add(0x20100, 0x100, MemoryType::Usable).ok());  // no full page: dropped
    auto map = normalise(builder);
    REQUIRE(map.size() == 2);
    CHECK(same(map[0], 0x2000, 0x2000, MemoryType::Usable));
    CHECK(same(map[1], 0x10000, 0x1000, MemoryType::Reserved));
}

TEST_CASE("gaps stay gaps and different types stay apart", "[memory-map]") {
    std::vector<MemoryRange> storage(4);
    MemoryMapBuilder builder(storage.data(), storage.size());
    REQUIRE(builder.add(0x0, 0x1000, MemoryType::Usable).ok());
    REQUIRE(builder.add(0x3000, 0x1000, MemoryType::Usable).ok());
    REQUIRE(builder.add(0x4000, 0x1000, MemoryType::BootData).ok());
    auto map = normalise(builder);
    REQUIRE(map.size() == 3);
    CHECK(same(map[0], 0x0, 0x1000, MemoryType::Usable));
    CHECK(same(map[1], 0x3000, 0x1000, MemoryType::Usable));
    CHECK(same(map[2], 0x4000, 0x1000, MemoryType::BootData));
}

TEST_CASE("malformed UEFI maps and overflowing ranges are refused", "[memory-map]") {
    std::vector<MemoryRange> storage(2);
    MemoryMapBuilder builder(storage.data(), storage.size());
    auto bytes = uefi_map({{7, 0, 1}}, 48);
    CHECK(builder.add_uefi_map(bytes.data(), bytes.size(), 32).error() == Error::Malformed);
    CHECK(builder.add_uefi_map(bytes.data(), bytes.size(), 44).error() == Error::Malformed);
    CHECK(builder.add_uefi_map(bytes.data(), bytes.size() - 8, 48).error() == Error::Malformed);
    auto huge = uefi_map({{7, 0x1000, UINT64_MAX / 2}}, 48);
    CHECK(builder.add_uefi_map(huge.data(), huge.size(), 48).error() == Error::Overflow);
    auto wraps = uefi_map({{7, UINT64_MAX - 0xfff, 2}}, 48);
    CHECK(builder.add_uefi_map(wraps.data(), wraps.size(), 48).error() == Error::Overflow);
    REQUIRE(builder.add(0, 0x1000, MemoryType::Usable).ok());
    REQUIRE(builder.add(0x1000, 0x1000, MemoryType::Usable).ok());
    CHECK(builder.add(0x2000, 0x1000, MemoryType::Usable).error() == Error::OutOfRange);
    CHECK(builder.add(0x2000, 0, MemoryType::Usable).ok()); // empty: ignored
}

TEST_CASE("too small output or scratch is reported", "[memory-map]") {
    std::vector<MemoryRange> storage(4);
    MemoryMapBuilder builder(storage.data(), storage.size());
    REQUIRE(builder.add(0x0, 0x1000, MemoryType::Usable).ok());
    REQUIRE(builder.add(0x2000, 0x1000, MemoryType::Reserved).ok());
    MemoryRange out[1];
    uint64_t scratch[4];
    CHECK(builder.normalise(out, 1, scratch, 4).error() == Error::OutOfRange);
    MemoryRange enough[4];
    CHECK(builder.normalise(enough, 4, scratch, 3).error() == Error::OutOfRange);
}

TEST_CASE("ranges at the very top of the address space do not wrap", "[memory-map]") {
    std::vector<MemoryRange> storage(2);
    MemoryMapBuilder builder(storage.data(), storage.size());
    REQUIRE(builder.add(0xffffffffffffd000, 0x1000, MemoryType::Reserved).ok());
    // Its rounded end would be 2^64: the final page cannot be represented and is dropped.
    REQUIRE(builder.add(0xfffffffffffff000, 0xfff, MemoryType::Mmio).ok());
    auto map = normalise(builder);
    REQUIRE(map.size() == 1);
    CHECK(same(map[0], 0xffffffffffffd000, 0x1000, MemoryType::Reserved));
}

TEST_CASE("a firmware range over the loader's own pages is a conflict", "[memory-map]") {
    std::vector<MemoryRange> storage(8);
    MemoryMapBuilder builder(storage.data(), storage.size());
    REQUIRE(builder.add(0x0, 0x400000, MemoryType::Usable).ok());
    REQUIRE(builder.add(0x200000, 0x10000, MemoryType::Kernel).ok());
    REQUIRE(builder.add(0x300000, 0x4000, MemoryType::BootData).ok());
    REQUIRE(builder.add(0x1ff000, 0x1000, MemoryType::Mmio).ok()); // adjacent: no conflict
    OwnershipConflict conflict{};
    CHECK_FALSE(builder.find_ownership_conflict(&conflict));

    // Without the check, normalise() would make the kernel's pages MMIO.
    REQUIRE(builder.add(0x208000, 0x100000, MemoryType::Mmio).ok());
    REQUIRE(builder.find_ownership_conflict(&conflict));
    CHECK(same(conflict.owned, 0x200000, 0x10000, MemoryType::Kernel));
    CHECK(same(conflict.other, 0x208000, 0x100000, MemoryType::Mmio));
    auto map = normalise(builder);
    bool kernel_page_became_mmio = false;
    for (const MemoryRange& range : map)
        kernel_page_became_mmio |=
            range.type == MemoryType::Mmio && range.base <= 0x208000 && 0x208000 < range.base + range.size;
    CHECK(kernel_page_became_mmio);
}

TEST_CASE("conflicts are found after page rounding, between owned types, and not with usable memory", "[memory-map]") {
    OwnershipConflict conflict{};
    {
        // A reserved range of a few bytes grows to the whole page it shares with boot data.
        std::vector<MemoryRange> storage(4);
        MemoryMapBuilder builder(storage.data(), storage.size());
        REQUIRE(builder.add(0x10000, 0x1000, MemoryType::BootData).ok());
        REQUIRE(builder.add(0x10ff0, 0x8, MemoryType::Reserved).ok());
        REQUIRE(builder.find_ownership_conflict(&conflict));
        CHECK(same(conflict.owned, 0x10000, 0x1000, MemoryType::BootData));
        CHECK(same(conflict.other, 0x10000, 0x1000, MemoryType::Reserved));
    }
    {
        std::vector<MemoryRange> storage(4);
        MemoryMapBuilder builder(storage.data(), storage.size());
        REQUIRE(builder.add(0x10000, 0x2000, MemoryType::Initramfs).ok());
        REQUIRE(builder.add(0x11000, 0x2000, MemoryType::BootData).ok());
        REQUIRE(builder.find_ownership_conflict(&conflict));
        CHECK(conflict.owned.type == MemoryType::Initramfs);
        CHECK(conflict.other.type == MemoryType::BootData);
    }
    for (MemoryType other : {MemoryType::AcpiReclaimable, MemoryType::AcpiNvs, MemoryType::Framebuffer,
                             MemoryType::Defective, MemoryType::Reserved}) {
        std::vector<MemoryRange> storage(4);
        MemoryMapBuilder builder(storage.data(), storage.size());
        REQUIRE(builder.add(0x10000, 0x2000, MemoryType::Initramfs).ok());
        REQUIRE(builder.add(0x11000, 0x1000, other).ok());
        CHECK(builder.find_ownership_conflict(&conflict));
    }
    {
        // Usable memory under the loader's pages and two ranges of one owned type are fine.
        std::vector<MemoryRange> storage(4);
        MemoryMapBuilder builder(storage.data(), storage.size());
        REQUIRE(builder.add(0x0, 0x100000, MemoryType::Usable).ok());
        REQUIRE(builder.add(0x10000, 0x2000, MemoryType::Kernel).ok());
        REQUIRE(builder.add(0x11000, 0x2000, MemoryType::Kernel).ok());
        CHECK_FALSE(builder.find_ownership_conflict(&conflict));
    }
}

TEST_CASE("a normalised map is recognised, a broken one is not", "[memory-map]") {
    std::vector<MemoryRange> storage(4);
    MemoryMapBuilder builder(storage.data(), storage.size());
    REQUIRE(builder.add(0x1800, 0x3000, MemoryType::Usable).ok());
    REQUIRE(builder.add(0x10010, 0x20, MemoryType::Reserved).ok());
    auto map = normalise(builder);
    CHECK(is_normalised(map.data(), map.size()));
    CHECK(is_normalised(map.data(), 0));

    const MemoryRange overlapping[] = {{0x0, 0x2000, MemoryType::Usable, 0}, {0x1000, 0x1000, MemoryType::Mmio, 0}};
    CHECK_FALSE(is_normalised(overlapping, 2));
    const MemoryRange unsorted[] = {{0x2000, 0x1000, MemoryType::Usable, 0}, {0x0, 0x1000, MemoryType::Mmio, 0}};
    CHECK_FALSE(is_normalised(unsorted, 2));
    const MemoryRange misaligned[] = {{0x800, 0x1000, MemoryType::Usable, 0}};
    CHECK_FALSE(is_normalised(misaligned, 1));
    const MemoryRange empty[] = {{0x1000, 0, MemoryType::Usable, 0}};
    CHECK_FALSE(is_normalised(empty, 1));
    const MemoryRange wrapping[] = {{0xfffffffffffff000, 0x2000, MemoryType::Reserved, 0}};
    CHECK_FALSE(is_normalised(wrapping, 1));
}

TEST_CASE("memory types have the names the kernel prints", "[memory-map]") {
    CHECK(std::strcmp(memory_type_name(MemoryType::Mmio), "MMIO") == 0);
    CHECK(std::strcmp(memory_type_name(MemoryType::Kernel), "kernel") == 0);
    CHECK(std::strcmp(memory_type_name(static_cast<MemoryType>(99)), "unknown") == 0);
    CHECK(is_loader_owned(MemoryType::Initramfs));
    CHECK_FALSE(is_loader_owned(MemoryType::Usable));
}
