// kernel/memory/page_allocator.hpp — the physical page allocator.
//
// Free memory is kept as a list of runs of contiguous pages, sorted by
// address; each run's header lives in the run's first page, reached through
// the direct map (physical p is at direct_map_base + p). Single pages come
// from the end of the first run in O(1); contiguous runs are first-fit;
// freeing merges with neighbours, so fragmentation does not grow.
//
// Invariants: runs are disjoint, non-adjacent (merged), page-aligned and
// non-empty; free_pages() is the sum of their lengths. Nothing outside the
// ranges given to add_free_range() is ever handed out.
//
// Not thread-safe: callers serialise (one CPU, or the kernel lock on SMP).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/result.hpp>
#include <vesta/syscall.hpp> // kPageSize

namespace vesta {

class PageAllocator {
public:
    explicit PageAllocator(uint64_t direct_map_base) : direct_map_base_(direct_map_base) {}
    PageAllocator(const PageAllocator&) = delete;
    PageAllocator& operator=(const PageAllocator&) = delete;

    // Hands [physical, physical + pages * kPageSize) to the allocator (boot only).
    // Fails like free().
    Result<void> add_free_range(uint64_t physical, uint64_t pages) { return free(physical, pages); }

    // Allocates `pages` contiguous pages; returns the physical address of the first.
    // The memory is not cleared. Fails: InvalidArgument (pages == 0), OutOfMemory.
    Result<uint64_t> allocate(uint64_t pages = 1);

    // Allocates `pages` contiguous pages that end at or below `limit`, the
    // highest such run (boot time: x86_64's SMP trampoline below 1 MiB).
    // Fails: InvalidArgument (pages == 0), OutOfMemory.
    Result<uint64_t> allocate_below(uint64_t limit, uint64_t pages);

    // Returns pages to the allocator.
    // Fails: Misaligned (physical not page-aligned), InvalidArgument (pages == 0,
    // or the range overlaps memory that is already free: a double free),
    // Overflow (the range wraps the address space).
    Result<void> free(uint64_t physical, uint64_t pages);

    uint64_t free_pages() const { return free_pages_; }
    size_t run_count() const;
    // The number of pages in the largest free run.
    uint64_t largest_run() const;

private:
    struct FreeRun {
        uint64_t next; // physical address of the next run, 0 at the end
        uint64_t pages;
    };
    FreeRun* run_at(uint64_t physical) const { return reinterpret_cast<FreeRun*>(direct_map_base_ + physical); }

    uint64_t direct_map_base_;
    uint64_t first_ = 0; // physical address of the first run; 0 when empty
    uint64_t free_pages_ = 0;
};

} // namespace vesta
