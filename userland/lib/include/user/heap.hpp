// user/heap.hpp — the runtime's heap: a size-class allocator over pages
// from a page source (in a task: Page objects paid by its memory pool and
// mapped into its vspace; in host tests: host memory). Portable; host tests
// in test/unit/userland/heap_test.cpp.
//
// - Small blocks (up to kLargestSmall bytes) come in power-of-two classes
//   of 32…2048 bytes, each with a free list; a class with an empty list
//   carves a new block from the current chunk (kChunkPages pages from the
//   source). Freed small blocks go back to their class's list: the memory
//   is reused, not returned to the pool.
// - Large blocks get pages of their own, which free() returns to the source
//   (in a task: the Page object is deleted, so its memory is back in the pool).
//   They are kept on a list, so free() recognises them without reading
//   memory that may be gone.
// - Every small block starts with a 16-byte header (its class) and large
//   blocks with a 32-byte one (list links, pages, the source's token).
//   Pointers handed out are 16-byte aligned: small ones 16 mod 32 (blocks
//   are multiples of 32 bytes from page-aligned chunks), large ones 32 past
//   a page boundary, so free() tells them apart by address.
// - free() ignores a null pointer, a double free and a misaligned pointer:
//   the lists are never corrupted by them. (A pointer into memory the heap
//   never gave is the caller's bug: free() reads the 16 bytes before it.)
// - Not thread-safe: one heap per task, used by its main thread.
//
// PageSource: `void* grow(size_t pages, uint64_t* token)` returns `pages`
// fresh zeroed pages (nullptr when out of memory) and a token for them;
// `void release(void* address, size_t pages, uint64_t token)` gives them back.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::user {

template <class PageSource>
class Heap {
public:
    static constexpr size_t kPageSize = 4096;
    static constexpr size_t kHeaderSize = 16;
    static constexpr size_t kSmallestClass = 32;
    static constexpr size_t kClassCount = 7; // 32, 64, …, 2048 bytes with the header
    static constexpr size_t kLargestSmall = (kSmallestClass << (kClassCount - 1)) - kHeaderSize;
    static constexpr size_t kChunkPages = 4;

    constexpr explicit Heap(PageSource source) : source_(source) {}

    // A block of at least `bytes` bytes (at least 1), 16-byte aligned, or
    // nullptr when the source has no more pages or `bytes` is absurd.
    void* allocate(size_t bytes) {
        if (bytes <= kLargestSmall) return allocate_small(class_of(bytes));
        return allocate_large(bytes);
    }

    void free(void* pointer) {
        const auto address = reinterpret_cast<uintptr_t>(pointer);
        if (!pointer || address % kHeaderSize != 0) return;
        if (address % (2 * kHeaderSize) == 0) {
            free_large(pointer);
            return;
        }
        auto* header = reinterpret_cast<BlockHeader*>(static_cast<uint8_t*>(pointer) - kHeaderSize);
        if (header->magic != kSmallMagic || header->count >= kClassCount) return;
        header->magic = kFreeMagic;
        auto* node = reinterpret_cast<FreeNode*>(pointer);
        node->next = free_lists_[header->count];
        free_lists_[header->count] = node;
        in_use_ -= class_size(header->count);
    }

    // Bytes in blocks handed out and not freed (headers and rounding included).
    size_t bytes_in_use() const { return in_use_; }
    // Pages taken from the source and not given back.
    size_t pages_held() const { return chunk_pages_ + large_pages_; }

private:
    static constexpr uint32_t kSmallMagic = 0x534d4c42; // "BLMS"
    static constexpr uint32_t kLargeMagic = 0x4c524742; // "BGRL"
    static constexpr uint32_t kFreeMagic = 0x45455246;  // "FREE"

    // Right before every block (for a large one, the end of its LargeHeader).
    // A free small block keeps its list link in
    // its first bytes, past the header, so the magic stays readable.
    struct BlockHeader {
        uint32_t magic;
        uint32_t count; // small blocks: the size class; large blocks: pages
        uint64_t token; // large blocks: the source's token
    };
    static_assert(sizeof(BlockHeader) == kHeaderSize);
    struct FreeNode {
        FreeNode* next;
    };
    // At the start of a large block's first page.
    struct LargeHeader {
        LargeHeader* previous;
        LargeHeader* next;
        BlockHeader block;
    };
    static_assert(sizeof(LargeHeader) == 2 * kHeaderSize);

    static constexpr size_t class_size(size_t size_class) { return kSmallestClass << size_class; }
    static size_t class_of(size_t bytes) {
        size_t size_class = 0;
        while (class_size(size_class) < bytes + kHeaderSize) ++size_class;
        return size_class;
    }

    void* allocate_small(size_t size_class) {
        const size_t size = class_size(size_class);
        uint8_t* block = nullptr;
        if (FreeNode* node = free_lists_[size_class]) {
            free_lists_[size_class] = node->next;
            block = reinterpret_cast<uint8_t*>(node) - kHeaderSize;
        } else {
            if (chunk_left_ < size) {
                uint64_t token = 0;
                void* chunk = source_.grow(kChunkPages, &token);
                if (!chunk) return nullptr;
                chunk_next_ = static_cast<uint8_t*>(chunk);
                chunk_left_ = kChunkPages * kPageSize;
                chunk_pages_ += kChunkPages;
            }
            block = chunk_next_;
            chunk_next_ += size;
            chunk_left_ -= size;
        }
        auto* header = reinterpret_cast<BlockHeader*>(block);
        header->magic = kSmallMagic;
        header->count = static_cast<uint32_t>(size_class);
        in_use_ += size;
        return block + kHeaderSize;
    }

    void* allocate_large(size_t bytes) {
        if (bytes > (size_t{1} << 40)) return nullptr;
        const size_t pages = (bytes + sizeof(LargeHeader) + kPageSize - 1) / kPageSize;
        uint64_t token = 0;
        void* memory = source_.grow(pages, &token);
        if (!memory) return nullptr;
        auto* header = static_cast<LargeHeader*>(memory);
        header->block.magic = kLargeMagic;
        header->block.count = static_cast<uint32_t>(pages);
        header->block.token = token;
        header->previous = nullptr;
        header->next = large_;
        if (large_) large_->previous = header;
        large_ = header;
        in_use_ += pages * kPageSize;
        large_pages_ += pages;
        return header + 1;
    }

    void free_large(void* pointer) {
        LargeHeader* header = large_;
        while (header && header + 1 != pointer) header = header->next;
        if (!header) return; // freed already, or never a large block
        if (header->previous)
            header->previous->next = header->next;
        else
            large_ = header->next;
        if (header->next) header->next->previous = header->previous;
        const size_t pages = header->block.count;
        in_use_ -= pages * kPageSize;
        large_pages_ -= pages;
        source_.release(header, pages, header->block.token);
    }

    PageSource source_;
    FreeNode* free_lists_[kClassCount] = {};
    LargeHeader* large_ = nullptr;
    uint8_t* chunk_next_ = nullptr;
    size_t chunk_left_ = 0;
    size_t chunk_pages_ = 0;
    size_t large_pages_ = 0;
    size_t in_use_ = 0;
};

} // namespace vesta::user
