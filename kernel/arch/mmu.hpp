// kernel/arch/mmu.hpp — user page tables, as the portable vspace code sees them.
//
// The backend header <arch/backend/mmu.hpp> defines vesta::arch::PageTable (the
// page-table tree of one user address space) and kUserAddressEnd. Page-table
// pages come from the core through PageTablePages; the core reserves enough
// (tables_needed) before calling map, so map cannot fail. Permissions use the
// Read/Write/Execute bits of vesta::rights. TLB invalidation is the backend's
// business inside map/unmap/protect/destroy.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/utility.hpp>

namespace vesta::arch {

// Where page-table pages come from and go back to (the vspace's memory).
struct PageTablePages {
    void* owner;
    uint64_t (*allocate)(void* owner);           // a zeroed page; never fails (reserved)
    void (*release)(void* owner, uint64_t physical);
};

enum class MemoryKind : uint8_t { Normal, Device };

struct Mapping {
    uint64_t physical;
    uint8_t permissions;
    MemoryKind kind;
};

} // namespace vesta::arch

#include <arch/backend/mmu.hpp>

namespace vesta::arch {

template <class T>
concept PageTableType = requires(T& table, const T& view, uint64_t address, uint64_t physical,
                                 uint8_t permissions, MemoryKind kind, PageTablePages& pages,
                                 Mapping* out, uint32_t& budget) {
    // Pages a fresh table needs (its root), and pages map(address) would add.
    { T::kRootPages } -> same_as<const size_t&>;
    { view.tables_needed(address) } -> same_as<size_t>;
    { table.initialize(pages) } -> same_as<void>;
    // Preconditions: address page-aligned, below kUserAddressEnd, not mapped.
    { table.map(address, physical, permissions, kind, pages) } -> same_as<void>;
    { table.unmap(address) } -> same_as<void>;              // no-op when unmapped
    { table.protect(address, permissions) } -> same_as<void>;
    { view.query(address, out) } -> same_as<bool>;         // false: not mapped
    { table.deactivate() } -> same_as<void>;               // no CPU may use it afterwards
    // Frees table pages in steps of at most `budget` entries examined (the
    // budget is decremented); true when every table page, root included, is
    // freed. Precondition: deactivate() was called.
    { table.destroy_some(pages, budget) } -> same_as<bool>;
};
static_assert(PageTableType<PageTable>, "the arch backend's PageTable does not implement the MMU interface");
static_assert(is_same_v<decltype(kUserAddressEnd), const uint64_t>);

} // namespace vesta::arch
