// Tests of lib/page_table_builder with the x86_64 format: maps into a host
// buffer, then checks translations, permissions and error paths.
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <vector>

#include <arch/aarch64/paging_format.hpp>
#include <arch/x86_64/paging_format.hpp>

using namespace vesta;
using namespace vesta::paging;

namespace {

// "Physical memory" for tables: page i lives at fake physical 0x1000000 + i * 4096.
struct FakeTableMemory {
    static constexpr uint64_t kBase = 0x1000000;
    std::vector<uint64_t> words;
    size_t used = 0;
    size_t limit;
    explicit FakeTableMemory(size_t pages) : words(pages * 512, 0), limit(pages) {}

    TablePageSource source() {
        return {this,
                [](void* context) -> uint64_t {
                    auto* self = static_cast<FakeTableMemory*>(context);
                    if (self->used == self->limit) return 0;
                    return kBase + (self->used++) * kPageSize;
                },
                [](void* context, uint64_t physical) -> uint64_t* {
                    auto* self = static_cast<FakeTableMemory*>(context);
                    REQUIRE(physical >= kBase);
                    REQUIRE((physical - kBase) / kPageSize < self->used);
                    return self->words.data() + (physical - kBase) / 8;
                }};
    }
};

constexpr MappingAttributes kText{false, true, false, true, CacheMode::WriteBack};
constexpr MappingAttributes kData{true, false, false, true, CacheMode::WriteBack};
constexpr MappingAttributes kDevice{true, false, false, false, CacheMode::Device};

} // namespace

TEST_CASE("4 KiB mappings translate with their permissions", "[paging]") {
    FakeTableMemory memory(16);
    PageTableBuilder<x86_64::PagingFormat> builder(memory.source());
    REQUIRE(builder.initialise().ok());
    REQUIRE(builder.map(0xffffffff80001000, 0x200000, 0x2000, kText).ok());
    REQUIRE(builder.map(0xffffffff80003000, 0x500000, 0x1000, kData).ok());

    auto text = builder.translate(0xffffffff80002123);
    REQUIRE(text.ok());
    CHECK(text.value().physical == 0x201123);
    CHECK(text.value().level == 0);
    CHECK(text.value().attributes == kText);
    auto data = builder.translate(0xffffffff80003008);
    REQUIRE(data.ok());
    CHECK(data.value().physical == 0x500008);
    CHECK(data.value().attributes == kData);
    CHECK(builder.translate(0xffffffff80000000).error() == Error::NotFound);
    CHECK(builder.translate(0xffffffff80004000).error() == Error::NotFound);
    // root, PDPT, PD, one PT: four tables for a single 2 MiB window.
    CHECK(memory.used == 4);
}

TEST_CASE("large aligned ranges use 2 MiB blocks, edges use pages", "[paging]") {
    FakeTableMemory memory(32);
    PageTableBuilder<x86_64::PagingFormat> builder(memory.source());
    REQUIRE(builder.initialise().ok());
    // 1 MiB below a 2 MiB boundary up to 4 MiB plus one page past it.
    const uint64_t virt = 0xffff800000100000, phys = 0x100000, size = 0x401000 - 0x100000;
    REQUIRE(builder.map(virt, phys, size, kData).ok());
    auto head = builder.translate(virt);
    REQUIRE(head.ok());
    CHECK(head.value().level == 0);
    auto block = builder.translate(0xffff800000212345);
    REQUIRE(block.ok());
    CHECK(block.value().level == 1);
    CHECK(block.value().physical == 0x212345);
    CHECK(block.value().attributes == kData);
    auto tail = builder.translate(0xffff800000400fff);
    REQUIRE(tail.ok());
    CHECK(tail.value().level == 0);
    CHECK(tail.value().physical == 0x400fff);
    CHECK(builder.translate(0xffff800000401000).error() == Error::NotFound);
}

TEST_CASE("device mappings are uncached", "[paging]") {
    FakeTableMemory memory(8);
    PageTableBuilder<x86_64::PagingFormat> builder(memory.source());
    REQUIRE(builder.initialise().ok());
    REQUIRE(builder.map(0xffff8000fee00000, 0xfee00000, 0x1000, kDevice).ok());
    auto t = builder.translate(0xffff8000fee00000);
    REQUIRE(t.ok());
    CHECK(t.value().attributes.cache == CacheMode::Device);
}

TEST_CASE("page table builder error paths", "[paging]") {
    FakeTableMemory memory(5);
    PageTableBuilder<x86_64::PagingFormat> builder(memory.source());
    REQUIRE(builder.initialise().ok());
    CHECK(builder.map(0x1001, 0x1000, 0x1000, kData).error() == Error::Misaligned);
    CHECK(builder.map(0x1000, 0x1001, 0x1000, kData).error() == Error::Misaligned);
    CHECK(builder.map(0x1000, 0x1000, 0x800, kData).error() == Error::Misaligned);
    CHECK(builder.map(0xfffffffffffff000, 0x1000, 0x2000, kData).error() == Error::Overflow);
    REQUIRE(builder.map(0x200000, 0x200000, 0x200000, kData).ok()); // a 2 MiB block
    CHECK(builder.map(0x201000, 0x1000, 0x1000, kData).error() == Error::SlotOccupied);
    REQUIRE(builder.map(0x400000, 0x1000, 0x1000, kData).ok());
    CHECK(builder.map(0x400000, 0x9000, 0x1000, kData).error() == Error::SlotOccupied);
    // Tables used: root, PDPT, PD, PT = 4 of 5; a new PDPT + PD exhausts memory.
    CHECK(builder.map(0x8000000000, 0x1000, 0x1000, kData).error() == Error::OutOfMemory);
}

TEST_CASE("the x86_64 format sets the architectural bits", "[paging][x86_64]") {
    using F = x86_64::PagingFormat;
    const uint64_t text = F::make_leaf(0x5000, 0, kText);
    CHECK((text & F::kPresent));
    CHECK_FALSE((text & F::kWritable));
    CHECK_FALSE((text & F::kNoExecute));
    CHECK((text & F::kGlobal));
    const uint64_t data = F::make_leaf(0x200000, 1, kData);
    CHECK((data & F::kLarge));
    CHECK((data & F::kNoExecute));
    CHECK((data & F::kWritable));
    CHECK(F::leaf_address(data, 1) == 0x200000);
    CHECK_FALSE(F::is_table(data, 1));
    CHECK(F::is_table(F::make_table(0x3000), 2));
}

TEST_CASE("the aarch64 format sets the architectural bits", "[paging][aarch64]") {
    using F = aarch64::PagingFormat;
    const uint64_t text = F::make_leaf(0x5000, 0, kText);
    CHECK((text & 3) == 3); // a page descriptor
    CHECK((text & F::kAccessed));
    CHECK((text & F::kReadOnly));
    CHECK_FALSE((text & F::kPrivilegedNoExecute));
    CHECK((text & F::kUserNoExecute));
    CHECK_FALSE((text & F::kNotGlobal));
    const uint64_t block = F::make_leaf(0x200000, 1, kData);
    CHECK((block & 3) == 1); // a block descriptor
    CHECK_FALSE((block & F::kReadOnly));
    CHECK((block & F::kPrivilegedNoExecute));
    CHECK(F::leaf_address(block, 1) == 0x200000);
    const uint64_t device = F::make_leaf(0x9000000, 0, kDevice);
    CHECK(((device >> 2) & 7) == F::kAttrDevice);
    CHECK((device & F::kNotGlobal));
    const MappingAttributes user_code{false, true, true, false, CacheMode::WriteBack};
    const uint64_t user = F::make_leaf(0x7000, 0, user_code);
    CHECK((user & F::kUserAccess));
    CHECK((user & F::kPrivilegedNoExecute)); // the kernel never executes user memory
    CHECK_FALSE((user & F::kUserNoExecute));
    for (const MappingAttributes& a : {kText, kData, kDevice, user_code})
        CHECK(F::leaf_attributes(F::make_leaf(0x1000, 0, a), 0) == a);
}

TEST_CASE("aarch64 tables translate like x86_64 ones", "[paging][aarch64]") {
    FakeTableMemory memory(16);
    PageTableBuilder<aarch64::PagingFormat> builder(memory.source());
    REQUIRE(builder.initialise().ok());
    REQUIRE(builder.map(0xffff800040000000, 0x40000000, 0x400000, kData).ok());
    auto t = builder.translate(0xffff800040212345);
    REQUIRE(t.ok());
    CHECK(t.value().physical == 0x40212345);
    CHECK(t.value().level == 1);
    CHECK(t.value().attributes == kData);
}
