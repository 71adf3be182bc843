// kernel/object/memory.hpp — Memory: a pool of physical pages that pays for
// every other object.
//
// A pool owns the pages [base, base + total_pages). Its own header lives in
// the first page; the rest starts free. Two allocators share the pages:
//   - page runs (page-aligned, contiguous): user pages, page tables, big
//     objects. Free runs form an address-ordered list stored in the free pages
//     themselves (first fit; freeing coalesces). O(number of free runs).
//   - small objects (<= kLargestSmallObject bytes): size-classed slabs, one
//     page each, carved from page runs; O(1) allocate and free. A slab page
//     that becomes empty returns to the page runs at once, so a pool whose
//     objects are all destroyed has all its pages free again.
// All memory handed out is zeroed. A pool made by Split keeps a reference on
// its parent and returns its whole range to it when destroyed.
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

    // Make a pool of [physical, physical + pages) in place; pages >= 2.
    // `parent` (may be null) is the pool the range came from.
    static Memory* create_at(uint64_t physical, uint64_t pages, Memory* parent);

    uint64_t base() const { return base_; }
    uint64_t total_pages() const { return total_pages_; }
    uint64_t free_pages() const { return free_pages_; }
    bool contains(uint64_t physical) const {
        return physical >= base_ && physical - base_ < total_pages_ * kPageSize;
    }

    // Contiguous zeroed pages. Fails with OutOfMemory.
    Result<uint64_t> allocate_pages(uint64_t count);
    void free_pages(uint64_t physical, uint64_t count);

    // Zeroed storage for a kernel object of `bytes` bytes. Fails with OutOfMemory.
    Result<void*> allocate_bytes(size_t bytes);
    void free_bytes(void* pointer, size_t bytes);
    // Pages allocate_bytes(bytes) would take from the page runs right now
    // (0 when a slab page of its size class has room): lets decode code
    // reserve for several allocations before making any.
    uint64_t pages_needed_for(size_t bytes) const;

    // Allocate and construct an object of type T paid by this pool; the
    // object holds a reference on the pool. Fails with OutOfMemory.
    template <class T, class... Arguments>
    Result<T*> create(size_t bytes, Arguments&&... arguments) {
        void* storage = TRY(allocate_bytes(bytes));
        T* object = new (storage) T(forward<Arguments>(arguments)...);
        object->allocation_bytes = bytes;
        object->source = this;
        retain(*this);
        return object;
    }

    // Teardown when the last reference goes: give the range back to the parent.
    static void destroy(Cpu& cpu, Memory& memory);

private:
    Memory(uint64_t physical, uint64_t pages);

    struct FreeRun {
        FreeRun* next;
        uint64_t pages;
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

    uint64_t base_;
    uint64_t total_pages_;
    uint64_t free_pages_ = 0;
    FreeRun* free_runs_ = nullptr;
    IntrusiveList<SlabPage, &SlabPage::link> partial_slabs_[kSlabClasses];
};

} // namespace vesta
