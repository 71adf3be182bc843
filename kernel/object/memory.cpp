// kernel/object/memory.cpp — page blocks (buddy) and small-object slabs of a
// Memory pool.
#include <arch/physical_memory.hpp>
#include <lib/poison.hpp>
#include <object/memory.hpp>

namespace vesta {
namespace {

unsigned highest_bit(uint64_t value) { return 63u - static_cast<unsigned>(__builtin_clzll(value)); }
unsigned lowest_bit(uint64_t value) { return static_cast<unsigned>(__builtin_ctzll(value)); }

// The first eight bytes of a free run's first page (its length, then the
// list links) and of its last page (its length again) are the boundary tags.
// They live in poisoned free memory: touch them with ASan looking away.
template <class T>
T load_tag(const void* where) {
    unpoison_memory(where, sizeof(T));
    T value = *static_cast<const T*>(where);
    poison_memory(where, sizeof(T));
    return value;
}
template <class T>
void store_tag(void* where, const T& value) {
    unpoison_memory(where, sizeof(T));
    *static_cast<T*>(where) = value;
    poison_memory(where, sizeof(T));
}

} // namespace

Memory::Memory(uint64_t physical, uint64_t pages) : Object(ObjectType::Memory), base_(physical), total_pages_(pages) {}

uint64_t Memory::header_pages(uint64_t pages) { return (sizeof(Memory) + pages + kPageSize - 1) / kPageSize; }

Memory* Memory::create_at(uint64_t physical, uint64_t pages, Memory* parent) {
    VESTA_ASSERT(large_enough(pages));
    void* header = arch::physical_to_virtual(physical);
    const uint64_t header_bytes = header_pages(pages) * kPageSize;
    unpoison_memory(header, header_bytes);
    __builtin_memset(header, 0, header_bytes);
    Memory* memory = new (header) Memory(physical, pages);
    if (parent) parent->adopt(*memory, pages * kPageSize);
    const uint64_t first_free = header_pages(pages);
    poison_memory(static_cast<uint8_t*>(header) + header_bytes, (pages - first_free) * kPageSize);
    memory->insert_run(first_free, pages - first_free);
    return memory;
}

void Memory::adopt(Object& object, uint64_t bytes) {
    object.source = this;
    object.allocation_bytes = bytes;
    objects.push_back(object);
}

Memory::SizeClass Memory::class_holding(uint64_t pages) {
    const unsigned range = highest_bit(pages);
    if (range < kSplitBits) return {range, static_cast<unsigned>(pages - (uint64_t{1} << range))};
    return {range, static_cast<unsigned>((pages >> (range - kSplitBits)) & (kSplits - 1))};
}

Memory::SizeClass Memory::class_fitting(uint64_t pages) {
    const unsigned range = highest_bit(pages);
    if (range >= kSplitBits) pages += (uint64_t{1} << (range - kSplitBits)) - 1; // round up to a class start
    return class_holding(pages);
}

Memory::FreeRun* Memory::run_at(uint64_t page) const {
    return static_cast<FreeRun*>(arch::physical_to_virtual(base_ + page * kPageSize));
}

uint64_t Memory::page_of(const FreeRun* run) const { return (arch::virtual_to_physical(run) - base_) / kPageSize; }

uint64_t Memory::read_run_length_ending_at(uint64_t last_page) const { return load_tag<uint64_t>(run_at(last_page)); }

void Memory::insert_run(uint64_t page, uint64_t pages) {
    const SizeClass size_class = class_holding(pages);
    FreeRun*& head = runs_[size_class.range][size_class.split];
    FreeRun* run = run_at(page);
    store_tag(run, FreeRun{pages, head, nullptr});
    if (pages > 1) store_tag(run_at(page + pages - 1), pages);
    if (head) {
        FreeRun links = load_tag<FreeRun>(head);
        links.prev = run;
        store_tag(head, links);
    }
    head = run;
    split_bitmap_[size_class.range] = static_cast<uint8_t>(split_bitmap_[size_class.range] | (1u << size_class.split));
    range_bitmap_ |= uint64_t{1} << size_class.range;
    page_map()[page] |= kRunStart;
    page_map()[page + pages - 1] |= kRunEnd;
    free_pages_ += pages;
}

void Memory::remove_run(uint64_t page, uint64_t pages) {
    const SizeClass size_class = class_holding(pages);
    FreeRun*& head = runs_[size_class.range][size_class.split];
    const FreeRun run = load_tag<FreeRun>(run_at(page));
    if (run.prev) {
        FreeRun links = load_tag<FreeRun>(run.prev);
        links.next = run.next;
        store_tag(run.prev, links);
    } else {
        head = run.next;
    }
    if (run.next) {
        FreeRun links = load_tag<FreeRun>(run.next);
        links.prev = run.prev;
        store_tag(run.next, links);
    }
    if (!head) {
        split_bitmap_[size_class.range] =
            static_cast<uint8_t>(split_bitmap_[size_class.range] & ~(1u << size_class.split));
        if (!split_bitmap_[size_class.range]) range_bitmap_ &= ~(uint64_t{1} << size_class.range);
    }
    page_map()[page] &= static_cast<uint8_t>(~kRunStart);
    page_map()[page + pages - 1] &= static_cast<uint8_t>(~kRunEnd);
    free_pages_ -= pages;
}

// Free [page, page + pages), merging with the free runs on either side.
void Memory::free_range(uint64_t page, uint64_t pages) {
    if (page > 0 && (page_map()[page - 1] & kRunEnd)) {
        const uint64_t before = read_run_length_ending_at(page - 1);
        remove_run(page - before, before);
        page -= before;
        pages += before;
    }
    const uint64_t end = page + pages;
    if (end < total_pages_ && (page_map()[end] & kRunStart)) {
        const uint64_t after = load_tag<FreeRun>(run_at(end)).pages;
        remove_run(end, after);
        pages += after;
    }
    insert_run(page, pages);
}

Result<uint64_t> Memory::allocate_pages(uint64_t count, bool zero) {
    if (count == 0 || count > free_pages_) return Error::OutOfMemory;
    const SizeClass wanted = class_fitting(count);
    if (wanted.range >= kRanges) return Error::OutOfMemory;
    SizeClass found = wanted;
    const uint64_t splits = split_bitmap_[wanted.range] & (~0u << wanted.split);
    if (splits) {
        found.split = lowest_bit(splits);
    } else {
        const uint64_t ranges = range_bitmap_ & (~uint64_t{0} << (wanted.range + 1));
        if (!ranges) return Error::OutOfMemory;
        found.range = lowest_bit(ranges);
        found.split = lowest_bit(split_bitmap_[found.range]);
    }
    const uint64_t page = page_of(runs_[found.range][found.split]);
    const uint64_t length = load_tag<FreeRun>(run_at(page)).pages;
    remove_run(page, length);
    if (length > count) insert_run(page + count, length - count);
    const uint64_t physical = base_ + page * kPageSize;
    void* pages = arch::physical_to_virtual(physical);
    unpoison_memory(pages, count * kPageSize);
    if (zero) __builtin_memset(pages, 0, count * kPageSize);
    return physical;
}

void Memory::free_pages(uint64_t physical, uint64_t count) {
    if (count == 0) return;
    poison_memory(arch::physical_to_virtual(physical), count * kPageSize);
    free_range((physical - base_) / kPageSize, count);
}

const char* Memory::verify() const {
    const uint8_t* map = reinterpret_cast<const uint8_t*>(this + 1);
    uint64_t counted = 0, runs = 0;
    for (unsigned range = 0; range < kRanges; ++range) {
        if (((range_bitmap_ >> range) & 1) != (split_bitmap_[range] != 0)) return "range bitmap disagrees with splits";
        for (unsigned split = 0; split < kSplits; ++split) {
            const bool listed = runs_[range][split] != nullptr;
            if (((split_bitmap_[range] >> split) & 1) != listed) return "split bitmap disagrees with its list";
            const FreeRun* previous = nullptr;
            for (const FreeRun* run = runs_[range][split]; run;) {
                const FreeRun tags = load_tag<FreeRun>(run);
                const uint64_t page = page_of(run);
                const SizeClass size_class = class_holding(tags.pages);
                if (size_class.range != range || size_class.split != split) return "run in the wrong size class";
                if (tags.prev != previous) return "broken run links";
                if (tags.pages == 0 || page < header_pages(total_pages_) || page + tags.pages > total_pages_)
                    return "run outside the pool";
                if (!(map[page] & kRunStart) || !(map[page + tags.pages - 1] & kRunEnd)) return "run not marked";
                if (tags.pages > 1 && load_tag<uint64_t>(run_at(page + tags.pages - 1)) != tags.pages)
                    return "run end tag wrong";
                if (page > 0 && (map[page - 1] & kRunEnd)) return "two free runs touch";
                counted += tags.pages;
                if (++runs > total_pages_) return "run list loops";
                previous = run;
                run = tags.next;
            }
        }
    }
    uint64_t starts = 0, ends = 0;
    for (uint64_t page = 0; page < total_pages_; ++page) {
        starts += (map[page] & kRunStart) ? 1 : 0;
        ends += (map[page] & kRunEnd) ? 1 : 0;
    }
    if (starts != runs || ends != runs) return "page map marks runs no list holds";
    if (counted != free_pages_) return "free runs do not add up to free_pages";
    return nullptr;
}

size_t Memory::class_of(size_t bytes) {
    size_t index = 0;
    while (class_size(index) < bytes) ++index;
    return index;
}

Result<void*> Memory::allocate_bytes(size_t bytes) {
    if (bytes > kLargestSmallObject) {
        uint64_t physical = TRY(allocate_pages(align_up(bytes, kPageSize) / kPageSize));
        return arch::physical_to_virtual(physical);
    }
    size_t index = class_of(bytes);
    size_t size = class_size(index);
    auto& partial = partial_slabs_[index];
    SlabPage* slab = partial.front();
    if (!slab) {
        uint64_t physical = TRY(allocate_pages(1));
        slab = new (arch::physical_to_virtual(physical)) SlabPage{};
        slab->class_index = static_cast<uint32_t>(index);
        // Chunks start after the header, at the first multiple of the size.
        auto* page = reinterpret_cast<uint8_t*>(slab);
        size_t first = align_up(sizeof(SlabPage), size);
        void** tail = &slab->free_chunk;
        for (size_t offset = first; offset + size <= kPageSize; offset += size) {
            *tail = page + offset;
            tail = static_cast<void**>(static_cast<void*>(page + offset));
        }
        *tail = nullptr;
        poison_memory(page + first, kPageSize - first);
        partial.push_front(*slab);
    }
    void* chunk = slab->free_chunk;
    unpoison_memory(chunk, size);
    slab->free_chunk = *static_cast<void**>(chunk);
    ++slab->used;
    if (!slab->free_chunk) partial.remove(*slab);
    __builtin_memset(chunk, 0, size);
    return chunk;
}

uint64_t Memory::pages_needed_for(size_t bytes) const {
    if (bytes > kLargestSmallObject) return align_up(bytes, kPageSize) / kPageSize;
    return partial_slabs_[class_of(bytes)].empty() ? 1 : 0;
}

void Memory::free_bytes(void* pointer, size_t bytes) {
    if (bytes > kLargestSmallObject) {
        free_pages(arch::virtual_to_physical(pointer), align_up(bytes, kPageSize) / kPageSize);
        return;
    }
    auto address = reinterpret_cast<uintptr_t>(pointer);
    auto* slab = reinterpret_cast<SlabPage*>(align_down(address, kPageSize));
    auto& partial = partial_slabs_[slab->class_index];
    const size_t size = class_size(slab->class_index);
    bool was_full = slab->free_chunk == nullptr;
    *static_cast<void**>(pointer) = slab->free_chunk;
    poison_memory(pointer, size);
    slab->free_chunk = pointer;
    --slab->used;
    if (slab->used == 0) {
        if (!was_full) partial.remove(*slab);
        free_pages(arch::virtual_to_physical(slab), 1);
    } else if (was_full) {
        partial.push_front(*slab);
    }
}

} // namespace vesta
