#include "page_allocator.hpp"

#include <lib/utility.hpp>

// Physical page 0 is never handed to the allocator (see kernel_main), so 0
// can mark the end of the list.

namespace vesta {

Result<uint64_t> PageAllocator::allocate(uint64_t pages) {
    if (pages == 0) return Error::InvalidArgument;
    uint64_t previous = 0;
    for (uint64_t current = first_; current; current = run_at(current)->next) {
        FreeRun* run = run_at(current);
        if (run->pages < pages) {
            previous = current;
            continue;
        }
        run->pages -= pages;
        free_pages_ -= pages;
        const uint64_t allocated = current + run->pages * kPageSize;
        if (run->pages == 0) { // the run is used up: unlink it
            if (previous) {
                run_at(previous)->next = run->next;
            } else {
                first_ = run->next;
            }
        }
        return allocated;
    }
    return Error::OutOfMemory;
}

Result<uint64_t> PageAllocator::allocate_below(uint64_t limit, uint64_t pages) {
    if (pages == 0) return Error::InvalidArgument;
    limit = align_down(limit, kPageSize);
    uint64_t previous = 0, best = 0, best_previous = 0;
    for (uint64_t current = first_; current && current < limit; current = run_at(current)->next) {
        const uint64_t end = min(current + run_at(current)->pages * kPageSize, limit);
        if ((end - current) / kPageSize >= pages) {
            best = current;
            best_previous = previous;
        }
        previous = current;
    }
    if (!best) return Error::OutOfMemory;
    // Take [start, start + pages) from the run at `best`: what lies above it
    // becomes a run of its own, what lies below stays (or the run goes).
    FreeRun* run = run_at(best);
    const uint64_t run_end = best + run->pages * kPageSize;
    const uint64_t start = min(run_end, limit) - pages * kPageSize;
    const uint64_t taken_end = start + pages * kPageSize;
    uint64_t after = run->next;
    if (taken_end < run_end) {
        FreeRun* rest = run_at(taken_end);
        rest->pages = (run_end - taken_end) / kPageSize;
        rest->next = after;
        after = taken_end;
    }
    if (start > best) {
        run->pages = (start - best) / kPageSize;
        run->next = after;
    } else if (best_previous) {
        run_at(best_previous)->next = after;
    } else {
        first_ = after;
    }
    free_pages_ -= pages;
    return start;
}

Result<void> PageAllocator::free(uint64_t physical, uint64_t pages) {
    if (!is_aligned(physical, kPageSize)) return Error::Misaligned;
    if (pages == 0 || physical == 0) return Error::InvalidArgument;
    uint64_t bytes = 0, end = 0;
    if (!checked_mul(pages, kPageSize, &bytes) || !checked_add(physical, bytes, &end)) return Error::Overflow;

    // Find the runs just before and after the freed range.
    uint64_t previous = 0, next = first_;
    while (next && next < physical) {
        previous = next;
        next = run_at(next)->next;
    }
    if (previous && previous + run_at(previous)->pages * kPageSize > physical) return Error::InvalidArgument;
    if (next && next < end) return Error::InvalidArgument;

    free_pages_ += pages;
    // Merge with the previous run, the next run, or both.
    if (previous && previous + run_at(previous)->pages * kPageSize == physical) {
        FreeRun* before = run_at(previous);
        before->pages += pages;
        if (next && next == end) {
            before->pages += run_at(next)->pages;
            before->next = run_at(next)->next;
        }
        return {};
    }
    FreeRun* run = run_at(physical);
    run->pages = pages;
    run->next = next;
    if (next && next == end) {
        run->pages += run_at(next)->pages;
        run->next = run_at(next)->next;
    }
    if (previous) {
        run_at(previous)->next = physical;
    } else {
        first_ = physical;
    }
    return {};
}

size_t PageAllocator::run_count() const {
    size_t count = 0;
    for (uint64_t current = first_; current; current = run_at(current)->next) ++count;
    return count;
}

uint64_t PageAllocator::largest_run() const {
    uint64_t largest = 0;
    for (uint64_t current = first_; current; current = run_at(current)->next)
        largest = max(largest, run_at(current)->pages);
    return largest;
}

} // namespace vesta
