// kernel/arch/mmu.hpp — user page tables, as the portable vspace code sees them.
//
// The backend header <arch/backend/mmu.hpp> defines vesta::arch::PageTable (the
// page-table tree of one user address space) and kUserAddressEnd. Every
// backend makes PageTable an instance of the one implementation,
// UserPageTable (arch/user_page_table.hpp), supplying its paging format and
// TLB maintenance; the concept below is what the core relies on. Page-table
// pages come from the core through PageTablePages; the core reserves enough
// (tables_needed) before calling map, so map cannot fail. Permissions use the
// Read/Write/Execute bits of vesta::rights. TLB invalidation is the backend's
// business inside map/unmap/protect/deactivate.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <arch/user_page_table.hpp>
#include <lib/utility.hpp>

#include <arch/backend/mmu.hpp>

namespace vesta::arch {

template <class T>
concept PageTableType = requires(T& table, const T& view, uint64_t address, uint64_t physical, uint8_t permissions,
                                 MemoryKind kind, PageTablePages& pages, Mapping* out, uint32_t& budget) {
    // Pages a fresh table needs (its root), and pages map(address) would add.
    { T::kRootPages } -> same_as<const size_t&>;
    { view.tables_needed(address) } -> same_as<size_t>;
    { table.initialise(pages) } -> same_as<void>;
    // Preconditions (asserted): address page-aligned, below kUserAddressEnd, not mapped.
    { table.map(address, physical, permissions, kind, pages) } -> same_as<void>;
    { table.unmap(address) } -> same_as<void>; // no-op when unmapped
    { table.protect(address, permissions) } -> same_as<void>;
    { view.query(address, out) } -> same_as<bool>; // false: not mapped
    { table.deactivate() } -> same_as<void>;       // no CPU may use it afterwards
    // Frees table pages in steps of at most `budget` entries examined (the
    // budget is decremented); true when every table page, root included, is
    // freed. Precondition (asserted): deactivate() was called.
    { table.destroy_some(pages, budget) } -> same_as<bool>;
    { view.root() } -> same_as<uint64_t>; // read by the backend's context switch
};
static_assert(PageTableType<PageTable>, "the arch backend's PageTable does not implement the MMU interface");

// TLB tags (ASIDs, PCIDs; memory/address_space_tags.hpp): called once at
// boot, after initialise_platform and before the first vspace runs. Uses
// them when the CPU has them and `wanted` (the command line's `no-tlb-tags`
// turns them off, to compare), at most `limit` of them when not 0
// (`tlb-tags=N`: tests force new generations), and prints a `tlb tags:` line
// saying which. Without tags every switch of address space flushes the user
// translations.
void enable_tlb_tags(bool wanted, uint32_t limit);
static_assert(is_same_v<decltype(kUserAddressEnd), const uint64_t>);

} // namespace vesta::arch
