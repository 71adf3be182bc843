// Tests of kernel/memory/page_allocator over a host buffer standing in for
// physical memory (fake physical base 0x100000).
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <memory/page_allocator.hpp>
#include <set>

using namespace vesta;

namespace {

struct FakePhysicalMemory {
    static constexpr uint64_t kBase = 0x100000;
    static constexpr uint64_t kPages = 64;
    void* buffer = std::aligned_alloc(kPageSize, kPages* kPageSize);
    ~FakePhysicalMemory() { std::free(buffer); }
    // direct_map_base such that direct_map_base + kBase == buffer.
    uint64_t direct_map_base() const { return reinterpret_cast<uint64_t>(buffer) - kBase; }
    static uint64_t page(uint64_t index) { return kBase + index * kPageSize; }
};

} // namespace

TEST_CASE("single pages come from the free runs and never repeat", "[page-allocator]") {
    FakePhysicalMemory memory;
    PageAllocator pages(memory.direct_map_base());
    REQUIRE(pages.add_free_range(FakePhysicalMemory::page(0), 8).ok());
    REQUIRE(pages.add_free_range(FakePhysicalMemory::page(16), 8).ok());
    CHECK(pages.free_pages() == 16);
    std::set<uint64_t> seen;
    for (int i = 0; i < 16; ++i) {
        auto page = pages.allocate();
        REQUIRE(page.ok());
        const uint64_t p = page.value();
        CHECK(p % kPageSize == 0);
        CHECK(((p >= FakePhysicalMemory::page(0) && p < FakePhysicalMemory::page(8)) ||
               (p >= FakePhysicalMemory::page(16) && p < FakePhysicalMemory::page(24))));
        CHECK(seen.insert(p).second);
    }
    CHECK(pages.free_pages() == 0);
    CHECK(pages.allocate().error() == Error::OutOfMemory);
}

TEST_CASE("contiguous runs are first-fit and freeing merges neighbours", "[page-allocator]") {
    FakePhysicalMemory memory;
    PageAllocator pages(memory.direct_map_base());
    REQUIRE(pages.add_free_range(FakePhysicalMemory::page(0), 4).ok());
    REQUIRE(pages.add_free_range(FakePhysicalMemory::page(10), 20).ok());
    CHECK(pages.run_count() == 2);
    auto run = pages.allocate(10);
    REQUIRE(run.ok());
    CHECK(run.value() >= FakePhysicalMemory::page(10));
    CHECK(run.value() + 10 * kPageSize <= FakePhysicalMemory::page(30));
    CHECK(pages.allocate(11).error() == Error::OutOfMemory);
    CHECK(pages.largest_run() == 10);
    REQUIRE(pages.free(run.value(), 10).ok());
    CHECK(pages.run_count() == 2);
    CHECK(pages.largest_run() == 20);
    // Filling the gap between the two runs merges everything into one.
    REQUIRE(pages.free(FakePhysicalMemory::page(4), 6).ok());
    CHECK(pages.run_count() == 1);
    CHECK(pages.largest_run() == 30);
    CHECK(pages.free_pages() == 30);
}

TEST_CASE("merging works on either side", "[page-allocator]") {
    FakePhysicalMemory memory;
    PageAllocator pages(memory.direct_map_base());
    REQUIRE(pages.free(FakePhysicalMemory::page(10), 2).ok());
    REQUIRE(pages.free(FakePhysicalMemory::page(12), 2).ok()); // after: merges into the previous
    CHECK(pages.run_count() == 1);
    REQUIRE(pages.free(FakePhysicalMemory::page(8), 2).ok()); // before: merges into the next
    CHECK(pages.run_count() == 1);
    REQUIRE(pages.free(FakePhysicalMemory::page(20), 1).ok());
    CHECK(pages.run_count() == 2);
    CHECK(pages.largest_run() == 6);
}

TEST_CASE("page allocator error paths", "[page-allocator]") {
    FakePhysicalMemory memory;
    PageAllocator pages(memory.direct_map_base());
    REQUIRE(pages.add_free_range(FakePhysicalMemory::page(4), 8).ok());
    CHECK(pages.allocate(0).error() == Error::InvalidArgument);
    CHECK(pages.free(FakePhysicalMemory::page(20) + 8, 1).error() == Error::Misaligned);
    CHECK(pages.free(FakePhysicalMemory::page(20), 0).error() == Error::InvalidArgument);
    CHECK(pages.free(0, 1).error() == Error::InvalidArgument);
    CHECK(pages.free(0xfffffffffffff000, 2).error() == Error::Overflow);
    // Double frees: inside, overlapping the start, overlapping the end.
    CHECK(pages.free(FakePhysicalMemory::page(6), 1).error() == Error::InvalidArgument);
    CHECK(pages.free(FakePhysicalMemory::page(2), 3).error() == Error::InvalidArgument);
    CHECK(pages.free(FakePhysicalMemory::page(11), 3).error() == Error::InvalidArgument);
    CHECK(pages.free_pages() == 8);
    CHECK(pages.run_count() == 1);
}
