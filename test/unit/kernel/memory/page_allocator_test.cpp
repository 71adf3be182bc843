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

TEST_CASE("allocate_below takes the highest run that ends under the limit", "[page-allocator]") {
    FakePhysicalMemory memory;
    using M = FakePhysicalMemory;
    PageAllocator pages(memory.direct_map_base());
    REQUIRE(pages.add_free_range(M::page(0), 8).ok());
    REQUIRE(pages.add_free_range(M::page(10), 20).ok()); // pages 10..29
    REQUIRE(pages.add_free_range(M::page(40), 8).ok());
    const uint64_t before = pages.free_pages();

    // Middle of a run: the run splits around it.
    auto low = pages.allocate_below(M::page(20), 4);
    REQUIRE(low.ok());
    CHECK(low.value() == M::page(16));
    CHECK(pages.free_pages() == before - 4);
    CHECK(pages.run_count() == 4);

    // The limit falls inside no run: the highest run under it.
    auto under = pages.allocate_below(M::page(35), 2);
    REQUIRE(under.ok());
    CHECK(under.value() == M::page(28));

    // Too large for anything under the limit.
    CHECK(pages.allocate_below(M::page(9), 9).error() == Error::OutOfMemory);
    CHECK(pages.allocate_below(M::page(20), 0).error() == Error::InvalidArgument);

    // A whole run: it goes from the list.
    auto whole = pages.allocate_below(M::page(8), 8);
    REQUIRE(whole.ok());
    CHECK(whole.value() == M::page(0));

    // Everything taken can be freed again and merges back.
    REQUIRE(pages.free(low.value(), 4).ok());
    REQUIRE(pages.free(under.value(), 2).ok());
    REQUIRE(pages.free(whole.value(), 8).ok());
    CHECK(pages.free_pages() == before);
    CHECK(pages.run_count() == 3);
    // Nothing handed out twice, nothing lost: all of it can be allocated.
    CHECK(pages.allocate(20).ok());
}
