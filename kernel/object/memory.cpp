// kernel/object/memory.cpp — page runs and small-object slabs of a Memory pool.
#include <arch/physical_memory.hpp>
#include <object/memory.hpp>

namespace vesta {

Memory::Memory(uint64_t physical, uint64_t pages)
    : Object(ObjectType::Memory), base_(physical), total_pages_(pages) {}

Memory* Memory::create_at(uint64_t physical, uint64_t pages, Memory* parent) {
    void* header = arch::physical_to_virtual(physical);
    __builtin_memset(header, 0, kPageSize);
    Memory* memory = new (header) Memory(physical, pages);
    memory->source = parent;
    if (parent) retain(*parent);
    memory->free_pages(physical + kPageSize, pages - 1);
    return memory;
}

void Memory::destroy(Cpu& cpu, Memory& memory) {
    Memory* parent = memory.source;
    if (!parent) return; // boot pools are permanent
    uint64_t base = memory.base_;
    uint64_t pages = memory.total_pages_;
    memory.~Memory();
    parent->free_pages(base, pages);
    release(cpu, *parent);
}

Result<uint64_t> Memory::allocate_pages(uint64_t count) {
    if (count == 0 || count > free_pages_) return Error::OutOfMemory;
    FreeRun** link = &free_runs_;
    while (*link && (*link)->pages < count) link = &(*link)->next;
    FreeRun* run = *link;
    if (!run) return Error::OutOfMemory;
    uint64_t run_physical = arch::virtual_to_physical(run);
    uint64_t physical;
    if (run->pages == count) {
        *link = run->next;
        physical = run_physical;
    } else { // take the tail, so the run's header stays where it is
        run->pages -= count;
        physical = run_physical + run->pages * kPageSize;
    }
    free_pages_ -= count;
    __builtin_memset(arch::physical_to_virtual(physical), 0, count * kPageSize);
    return physical;
}

void Memory::free_pages(uint64_t physical, uint64_t count) {
    if (count == 0) return;
    FreeRun* previous = nullptr;
    FreeRun* next = free_runs_;
    while (next && arch::virtual_to_physical(next) < physical) {
        previous = next;
        next = next->next;
    }
    FreeRun* run = static_cast<FreeRun*>(arch::physical_to_virtual(physical));
    run->pages = count;
    run->next = next;
    if (next && physical + count * kPageSize == arch::virtual_to_physical(next)) {
        run->pages += next->pages;
        run->next = next->next;
    }
    if (previous && arch::virtual_to_physical(previous) + previous->pages * kPageSize == physical) {
        previous->pages += run->pages;
        previous->next = run->next;
    } else if (previous) {
        previous->next = run;
    } else {
        free_runs_ = run;
    }
    free_pages_ += count;
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
        partial.push_front(*slab);
    }
    void* chunk = slab->free_chunk;
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
    bool was_full = slab->free_chunk == nullptr;
    *static_cast<void**>(pointer) = slab->free_chunk;
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
