// kernel/object/memory.hpp — Memory: a pool of physical pages that pays for
// every other object, and owns what it paid for.
//
// A pool owns the pages [base, base + total_pages). Its header and a map of
// one byte per page live in its first pages (header_pages()); the rest starts
// free. Two allocators share the pages:
//   - page runs: segregated fit with boundary tags (as TLSF does for bytes).
//     A free run keeps its length and list links in its first page and its
//     length in its last; the page map marks the first and last page of each
//     free run. Free runs sit in lists by size class (power of two, split in
//     16), with bitmaps of the non-empty lists. Allocation takes a run from
//     the first class whose runs all fit and splits off the rest; freeing
//     merges with the free neighbours at once. Both are O(1) whatever the
//     fragmentation: no path walks the free runs.
//   - small objects (<= kLargestSmallObject bytes): size-classed slabs, one
//     page each, carved from page runs; O(1) allocate and free. A slab page
//     that becomes empty returns to the page runs at once, so a pool whose
//     objects are all destroyed has all its pages free again.
// Memory handed out for objects and pages is zeroed when it is handed out.
//
// Ownership: every object the pool paid for is on `objects` (while alive);
// `dying_objects` counts those on the teardown queue. When the pool dies its
// teardown kills each of them and waits until none is left, then the whole
// range goes back to the parent pool (the pool that paid for it by Split).
// Host builds with ASan keep every free byte poisoned (lib/poison.hpp).
#pragma once

#include <lib/intrusive_list.hpp>
#include <lib/new.hpp>
#include <lib/result.hpp>
#include <object/object.hpp>

namespace vesta {

class Memory : public Object {
public:
    static constexpr ObjectType kType = ObjectType::Memory;
    static constexpr size_t kLargestSmallObject = 1024;

    // Pages the header and page map of a pool of `pages` pages take.
    static uint64_t header_pages(uint64_t pages);
    // Smallest pool that can hold anything: its header plus one page.
    static bool large_enough(uint64_t pages) { return pages > header_pages(pages); }

    // Make a pool of [physical, physical + pages) in place. `pages` must be
    // large_enough (asserted). `parent` (null for boot pools) is the pool the
    // range came from; the new pool is one of the parent's objects.
    static Memory* create_at(uint64_t physical, uint64_t pages, Memory* parent);

    uint64_t base() const { return base_; }
    uint64_t total_pages() const { return total_pages_; }
    uint64_t free_pages() const { return free_pages_; }
    bool contains(uint64_t physical) const { return physical >= base_ && physical - base_ < total_pages_ * kPageSize; }

    // Contiguous pages, zeroed unless `zero` is false (a new pool's range,
    // which initialises only its header). Fails with OutOfMemory.
    Result<uint64_t> allocate_pages(uint64_t count, bool zero = true);
    void free_pages(uint64_t physical, uint64_t count);

    // Zeroed storage for a kernel object of `bytes` bytes. Fails with OutOfMemory.
    Result<void*> allocate_bytes(size_t bytes);
    void free_bytes(void* pointer, size_t bytes);
    // Pages allocate_bytes(bytes) would take from the page blocks right now
    // (0 when a slab page of its size class has room): lets decode code
    // reserve for several allocations before making any.
    uint64_t pages_needed_for(size_t bytes) const;

    // Allocate and construct an object of type T paid by this pool and owned
    // by it. Fails with OutOfMemory.
    template <class T, class... Arguments>
    Result<T*> create(size_t bytes, Arguments&&... arguments) {
        void* storage = TRY(allocate_bytes(bytes));
        T* object = new (storage) T(forward<Arguments>(arguments)...);
        adopt(*object, bytes);
        return object;
    }

    // The objects this pool paid for that are alive, and how many of its
    // objects are being torn down.
    IntrusiveList<Object, &Object::link> objects;
    uint64_t dying_objects = 0;

    // Register `object` (whose storage this pool gave) as owned by it.
    void adopt(Object& object, uint64_t bytes);

    // Self-check of the page-run structure (tests and fuzzers): every free
    // run is in the list of its size class and marked in the page map, runs
    // never touch or overlap, and their lengths add up to free_pages().
    // Returns null when consistent, else what is wrong. O(pages).
    const char* verify() const;

private:
    Memory(uint64_t physical, uint64_t pages);

    struct FreeRun { // in the first page of every free run
        uint64_t pages;
        FreeRun* next;
        FreeRun* prev;
    };
    struct SlabPage {
        ListLink<SlabPage> link;
        void* free_chunk;
        uint32_t used;
        uint32_t class_index;
    };
    static constexpr size_t kSlabClasses = 5; // 64 .. 1024 bytes
    static size_t class_size(size_t index) { return size_t{64} << index; }
    static size_t class_of(size_t bytes);

    // Size classes of free runs: kRanges powers of two, each split in kSplits
    // equal parts.
    static constexpr unsigned kRanges = 36; // runs up to 2^36 pages (256 TiB)
    static constexpr unsigned kSplitBits = 3;
    static constexpr unsigned kSplits = 1u << kSplitBits;
    struct SizeClass {
        unsigned range;
        unsigned split;
    };
    static SizeClass class_holding(uint64_t pages); // the class a run of `pages` goes in
    static SizeClass class_fitting(uint64_t pages); // the first class whose runs all hold `pages`

    // Page map bits (one byte per page).
    static constexpr uint8_t kRunStart = 1; // first page of a free run
    static constexpr uint8_t kRunEnd = 2;   // last page of a free run

    uint8_t* page_map() { return reinterpret_cast<uint8_t*>(this + 1); }
    FreeRun* run_at(uint64_t page) const;
    uint64_t page_of(const FreeRun* run) const;
    uint64_t read_run_length_ending_at(uint64_t last_page) const;
    void insert_run(uint64_t page, uint64_t pages);
    void remove_run(uint64_t page, uint64_t pages);
    void free_range(uint64_t page, uint64_t pages);

    uint64_t base_;
    uint64_t total_pages_;
    uint64_t free_pages_ = 0;
    uint64_t range_bitmap_ = 0; // bit r: some list of range r is non-empty
    uint8_t split_bitmap_[kRanges] = {};
    FreeRun* runs_[kRanges][kSplits] = {};
    IntrusiveList<SlabPage, &SlabPage::link> partial_slabs_[kSlabClasses];
};

} // namespace vesta
