// lib/page_table_builder.hpp — builds 4-level page tables, independent of
// the architecture's entry format (used by the loader for the kernel).
//
// A PagingFormat describes one architecture's descriptors; PageTableBuilder
// walks and fills the tree. The loader builds into UEFI-allocated pages; the
// host tests build into a buffer and check translations with translate().
//
// Invariants: a virtual page is mapped at most once (map() refuses to
// overwrite, or to split an existing block); tables are allocated zeroed and
// only on demand; 2 MiB blocks are used where virtual and physical addresses
// and the remaining size allow it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/result.hpp>
#include <lib/utility.hpp>

namespace vesta::paging {

enum class CacheMode : uint8_t { WriteBack, Device, WriteCombining };

struct MappingAttributes {
    bool writable = false;
    bool executable = false;
    bool user = false;
    bool global = false;
    CacheMode cache = CacheMode::WriteBack;

    bool operator==(const MappingAttributes&) const = default;
};

// Level 0 maps 4 KiB pages, level 1 2 MiB blocks, level 2 1 GiB, level 3 is the root.
template <class F>
concept PagingFormat = requires(uint64_t entry, uint64_t physical, uint64_t virt, unsigned level,
                                MappingAttributes attributes) {
    { F::index(virt, level) } -> same_as<size_t>;
    { F::is_present(entry) } -> same_as<bool>;
    { F::is_table(entry, level) } -> same_as<bool>;
    { F::table_address(entry) } -> same_as<uint64_t>;
    { F::make_table(physical) } -> same_as<uint64_t>;
    { F::make_leaf(physical, level, attributes) } -> same_as<uint64_t>;
    { F::leaf_address(entry, level) } -> same_as<uint64_t>;
    { F::leaf_attributes(entry, level) } -> same_as<MappingAttributes>;
    { F::kBlockLevels } -> same_as<const unsigned&>; // highest level with leaf blocks (0 = pages only)
};

inline constexpr uint64_t kPageSize = 4096;
inline constexpr unsigned kRootLevel = 3;
constexpr uint64_t level_size(unsigned level) { return kPageSize << (9 * level); }

// Where table pages come from. allocate() returns the physical address of a
// zeroed page, or 0 when memory is exhausted; table() gives a pointer to it.
struct TablePageSource {
    void* context;
    uint64_t (*allocate)(void* context);
    uint64_t* (*table)(void* context, uint64_t physical);
};

struct Translation {
    uint64_t physical;
    MappingAttributes attributes;
    unsigned level;
};

template <PagingFormat Format>
class PageTableBuilder {
public:
    explicit PageTableBuilder(TablePageSource source) : source_(source) {}

    // Allocates the root table. Fails: OutOfMemory.
    Result<void> initialise() {
        root_ = source_.allocate(source_.context);
        return root_ ? Result<void>{} : Result<void>{Error::OutOfMemory};
    }
    // Adopts an existing tree (the kernel extends the loader's tables).
    void attach(uint64_t root) { root_ = root; }
    uint64_t root() const { return root_; }

    // Maps [virt, virt + size) to [physical, physical + size).
    // Fails: Misaligned (addresses or size not page-aligned), Overflow (range
    // wraps), SlotOccupied (a page is already mapped), OutOfMemory.
    Result<void> map(uint64_t virt, uint64_t physical, uint64_t size, MappingAttributes attributes) {
        if (!is_aligned(virt, kPageSize) || !is_aligned(physical, kPageSize) || !is_aligned(size, kPageSize))
            return Error::Misaligned;
        uint64_t end = 0;
        if (!checked_add(virt, size - (size ? 1 : 0), &end) || !checked_add(physical, size - (size ? 1 : 0), &end))
            return Error::Overflow;
        while (size) {
            unsigned level = Format::kBlockLevels;
            while (level > 0 && !(is_aligned(virt, level_size(level)) && is_aligned(physical, level_size(level)) &&
                                  size >= level_size(level)))
                --level;
            TRY(map_one(virt, physical, level, attributes));
            virt += level_size(level);
            physical += level_size(level);
            size -= level_size(level);
        }
        return {};
    }

    // Walks the tables. Fails: NotFound when `virt` is not mapped.
    Result<Translation> translate(uint64_t virt) const {
        uint64_t table = root_;
        for (unsigned level = kRootLevel;; --level) {
            const uint64_t entry = source_.table(source_.context, table)[Format::index(virt, level)];
            if (!Format::is_present(entry)) return Error::NotFound;
            if (level > 0 && Format::is_table(entry, level)) {
                table = Format::table_address(entry);
                continue;
            }
            const uint64_t offset = virt & (level_size(level) - 1);
            return Translation{Format::leaf_address(entry, level) + offset, Format::leaf_attributes(entry, level),
                               level};
        }
    }

private:
    Result<void> map_one(uint64_t virt, uint64_t physical, unsigned leaf_level, MappingAttributes attributes) {
        uint64_t table = root_;
        for (unsigned level = kRootLevel; level > leaf_level; --level) {
            uint64_t& entry = source_.table(source_.context, table)[Format::index(virt, level)];
            if (!Format::is_present(entry)) {
                const uint64_t next = source_.allocate(source_.context);
                if (!next) return Error::OutOfMemory;
                entry = Format::make_table(next);
            } else if (!Format::is_table(entry, level)) {
                return Error::SlotOccupied; // inside an existing block
            }
            table = Format::table_address(entry);
        }
        uint64_t& leaf = source_.table(source_.context, table)[Format::index(virt, leaf_level)];
        if (Format::is_present(leaf)) return Error::SlotOccupied;
        leaf = Format::make_leaf(physical, leaf_level, attributes);
        return {};
    }

    TablePageSource source_;
    uint64_t root_ = 0;
};

} // namespace vesta::paging
