// kernel/arch/user_page_table.hpp — the user page table of every backend.
//
// One implementation (UserPageTable) over an architecture's PagingFormat
// (lib/page_table_builder.hpp) and the walk of lib/page_table_walk.hpp. A
// backend supplies only what differs, as a UserPaging type (the concept
// below): its entry format, the TLB maintenance and barriers around a changed
// entry, how a new root shares the kernel half, and how a CPU stops using a
// table. Its <arch/backend/mmu.hpp> then says
//     using PageTable = UserPageTable<ItsUserPaging>;
// and kernel/arch/mmu.hpp checks the result against PageTableType. The host
// backend instantiates it too, with a format of its own, so the walk and this
// class run under the host tests and the fuzzers.
//
// User tables map 4 KiB pages only (no blocks). Page-table pages come from
// the core through PageTablePages; the core reserves enough (tables_needed)
// before calling map, so map cannot fail. Permissions use the
// Read/Write/Execute bits of vesta::rights; user mappings are always readable.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <arch/physical_memory.hpp>
#include <lib/assert.hpp>
#include <lib/page_table_walk.hpp>
#include <lib/utility.hpp>
#include <memory/address_space_tags.hpp>
#include <vesta/syscall.hpp>

namespace vesta::arch {

// Where page-table pages come from and go back to (the vspace's memory).
struct PageTablePages {
    void* owner;
    uint64_t (*allocate)(void* owner); // a zeroed page; never fails (reserved)
    void (*release)(void* owner, uint64_t physical);
};

enum class MemoryKind : uint8_t { Normal, Device };

struct Mapping {
    uint64_t physical;
    uint8_t permissions;
    MemoryKind kind;
};

// What a backend supplies.
template <class P>
concept UserPaging = paging::PagingFormat<typename P::Format> &&
    requires(uint64_t address, uint64_t root, uint64_t* table, SpaceTag& mutable_tag) {
    // User addresses are below kUserAddressEnd; user mappings live under the
    // root's entries [0, kUserRootEntries) (the rest is the kernel's, shared).
    { P::kUserAddressEnd } -> same_as<const uint64_t&>;
    { P::kUserRootEntries } -> same_as<const size_t&>;
    // Whether an entry that stays present may only be changed by clearing it,
    // invalidating its translation, and writing the new one (Arm's
    // break-before-make); otherwise it is overwritten, then invalidated.
    { P::kBreakBeforeMake } -> same_as<const bool&>;
    { P::share_kernel_half(table) } -> same_as<void>; // fill a new root's kernel entries
    { P::entry_added(address) } -> same_as<void>;     // a not-present entry became present
    // A present entry was cleared or changed in the table (root `root`) tagged `tag` (its
    // TLB tag, AddressSpaceTags: the backend invalidates by its number, or
    // gives the number up so that it is flushed before its next use).
    { P::entry_removed(address, root, mutable_tag) } -> same_as<void>;
    // No CPU may use the table afterwards; the backend releases its tag.
    { P::deactivate(root, mutable_tag) } -> same_as<void>;
};

template <UserPaging Paging>
class UserPageTable {
public:
    using Format = typename Paging::Format;
    static constexpr size_t kRootPages = 1;

    void initialise(PageTablePages& pages) {
        root_ = pages.allocate(pages.owner); // zeroed
        Paging::share_kernel_half(table_at(root_));
    }

    // Tables a mapping of `address` would add.
    size_t tables_needed(uint64_t address) const { return paging::missing_tables<Format>(root_, address, table_at); }

    // `address` is page-aligned, below kUserAddressEnd and not mapped; the
    // tables it needs were reserved (all asserted).
    void map(uint64_t address, uint64_t physical, uint8_t permissions, MemoryKind kind, PageTablePages& pages) {
        VESTA_ASSERT(is_aligned(address, paging::kPageSize) && address < Paging::kUserAddressEnd);
        uint64_t& entry =
            paging::leaf_entry_creating<Format>(root_, address, table_at, [&] { return pages.allocate(pages.owner); });
        VESTA_ASSERT(!Format::is_present(entry));
        entry = leaf(physical, permissions, kind);
        Paging::entry_added(address);
    }

    void unmap(uint64_t address) { // no-op when unmapped
        uint64_t* entry = leaf_entry(address);
        if (!entry || !Format::is_present(*entry)) return;
        *entry = 0;
        Paging::entry_removed(address, root_, tag_);
    }

    void protect(uint64_t address, uint8_t permissions) { // no-op when unmapped
        uint64_t* entry = leaf_entry(address);
        if (!entry || !Format::is_present(*entry)) return;
        const uint64_t changed = leaf(Format::leaf_address(*entry, 0), permissions, kind_of(*entry));
        if constexpr (Paging::kBreakBeforeMake) {
            *entry = 0;
            Paging::entry_removed(address, root_, tag_);
            *entry = changed;
            Paging::entry_added(address);
        } else {
            *entry = changed;
            Paging::entry_removed(address, root_, tag_);
        }
    }

    bool query(uint64_t address, Mapping* out) const { // false: not mapped
        const uint64_t* entry = leaf_entry(address);
        if (!entry || !Format::is_present(*entry)) return false;
        const paging::MappingAttributes attributes = Format::leaf_attributes(*entry, 0);
        uint8_t permissions = rights::kRead;
        if (attributes.writable) permissions |= rights::kWrite;
        if (attributes.executable) permissions |= rights::kExecute;
        *out = Mapping{Format::leaf_address(*entry, 0), permissions, kind_of(*entry)};
        return true;
    }

    // Teardown (the vspace is dying and no task runs in it): stop using the
    // tables on this CPU, then free them in bounded steps of at most `budget`
    // entries examined (decremented); true when every table page, root
    // included, is freed.
    void deactivate() {
        if (root_) Paging::deactivate(root_, tag_);
        deactivated_ = true;
    }
    bool destroy_some(PageTablePages& pages, uint32_t& budget) {
        if (!root_) return true;
        VESTA_ASSERT(deactivated_);
        if (!paging::free_tables_some<Format>(root_, paging::kRootLevel, 0, Paging::kUserRootEntries, teardown_cursor_,
                                              budget, table_at,
                                              [&](uint64_t table) { pages.release(pages.owner, table); }))
            return false;
        pages.release(pages.owner, root_);
        root_ = 0;
        return true;
    }

    // The root table's physical address (what a context switch loads).
    uint64_t root() const { return root_; }
    // Its TLB tag (the backend's context switch and invalidations use it).
    SpaceTag& tag() { return tag_; }

private:
    static uint64_t* table_at(uint64_t physical) { return static_cast<uint64_t*>(physical_to_virtual(physical)); }
    uint64_t* leaf_entry(uint64_t address) const { return paging::leaf_entry<Format>(root_, address, table_at); }

    // A user page's entry: the format's own encoding of the rights.
    static uint64_t leaf(uint64_t physical, uint8_t permissions, MemoryKind kind) {
        const paging::MappingAttributes attributes{
            (permissions & rights::kWrite) != 0, (permissions & rights::kExecute) != 0, true, false,
            kind == MemoryKind::Device ? paging::CacheMode::Device : paging::CacheMode::WriteBack};
        return Format::make_leaf(physical, 0, attributes);
    }
    static MemoryKind kind_of(uint64_t entry) {
        return Format::leaf_attributes(entry, 0).cache == paging::CacheMode::Device ? MemoryKind::Device
                                                                                    : MemoryKind::Normal;
    }

    uint64_t root_ = 0;
    SpaceTag tag_;
    uint64_t teardown_cursor_ = 0;
    bool deactivated_ = false;
};

} // namespace vesta::arch
