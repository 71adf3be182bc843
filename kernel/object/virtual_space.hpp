// kernel/object/virtual_space.hpp — VirtualSpace: a user address space.
//
// Wraps the arch page table. Page-table pages are paid by the pool that paid
// for the vspace (`source`) and returned to it when the vspace is destroyed.
// Frames are mapped through their capabilities (see capability.hpp); each
// mapping holds a reference on the vspace, so a vspace outlives its mappings.
#pragma once

#include <arch/mmu.hpp>
#include <capability/capability.hpp>
#include <lib/result.hpp>
#include <object/frame.hpp>

namespace vesta {

class VirtualSpace : public Object {
public:
    static constexpr ObjectType kType = ObjectType::VirtualSpace;

    VirtualSpace() : Object(kType) {}

    // Perform half of creation: build the root table (kRootPages reserved).
    void initialize();

    // Decode half of Map: checks address range and alignment, permissions
    // (within the capability's rights, W^X, readable), that the capability
    // maps nothing yet, that the range is unmapped, and that the pool can pay
    // the page tables. Changes nothing.
    Result<void> check_map(const Capability& frame, uint64_t address, uint8_t permissions) const;
    // Perform half: map and record the mapping in the capability.
    void map_frame(Capability& frame, uint64_t address, uint8_t permissions);
    // Undo the mapping recorded in `frame` (which names this vspace). The
    // caller drops the capability's reference on this vspace afterwards.
    void unmap_frame(Capability& frame);
    void protect_frame(Capability& frame, uint8_t permissions);

    // Permission bits acceptable for a user mapping: non-empty, R/W/X only,
    // readable, never both writable and executable.
    static bool valid_permissions(uint8_t permissions);

    bool query(uint64_t address, arch::Mapping* out) const { return table_.query(address, out); }
    // The arch page table (the backend switches to it when a task runs).
    const arch::PageTable& page_table() const { return table_; }

    static void destroy(Cpu& cpu, VirtualSpace& space);

private:
    arch::PageTablePages table_pages();
    arch::PageTable table_;
};

} // namespace vesta
