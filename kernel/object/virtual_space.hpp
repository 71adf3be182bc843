// kernel/object/virtual_space.hpp — VirtualSpace: a user address space.
//
// Wraps the arch page table. Page-table pages are paid by the pool that paid
// for the vspace (`source`) and returned to it when the vspace is destroyed.
// Frames are mapped through their capabilities (see capability.hpp); the
// capabilities mapped here are on `mappings`, the tasks running in it on
// `bound_tasks`. Neither keeps the vspace alive: when it dies, its tasks stop,
// its mapping records are cleared and its tables are freed, a bounded number
// per step (object/teardown.hpp).
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
    void initialise();

    // Decode half of Map: checks address range and alignment, permissions
    // (within the capability's rights, W^X, readable; never writable while
    // the frame is executable elsewhere or the reverse), that the capability
    // maps nothing yet, that the range is unmapped, and that the pool can pay
    // the page tables. Changes nothing.
    Result<void> check_map(const Capability& frame, uint64_t address, uint8_t permissions) const;
    // Perform half: map and record the mapping in the capability.
    void map_frame(Capability& frame, uint64_t address, uint8_t permissions);
    // Undo the mapping recorded in `frame` (which names this vspace).
    void unmap_frame(Capability& frame);
    // Forget the mapping recorded in `frame` without touching the tables
    // (this vspace is dying; its tables go as a whole).
    void forget_mapping(Capability& frame);
    // Decode half of Protect: `permissions` valid for the frame and its
    // capability, and W^X across the frame's other mappings.
    static Result<void> check_protect(const Capability& frame, uint8_t permissions);
    void protect_frame(Capability& frame, uint8_t permissions);
    // The capability's mapping record moves to `to` (CapabilitySpace.Move).
    void move_mapping(Capability& from, Capability& to);

    // Permission bits acceptable for a user mapping: non-empty, R/W/X only,
    // readable, never both writable and executable.
    static bool valid_permissions(uint8_t permissions);

    bool query(uint64_t address, arch::Mapping* out) const { return table_.query(address, out); }
    // The arch page table (the backend switches to it when a task runs).
    const arch::PageTable& page_table() const { return table_; }
    arch::PageTable& page_table() { return table_; }

    // Teardown: stop using the tables, then free them a few at a time
    // (true when all are freed). `budget` counts table entries examined.
    void deactivate(); // every CPU leaves it first (smp/cross_cpu.hpp shoot_down)
    bool free_tables(uint32_t& budget);

    // CPUs (bit = index) whose TLB may hold this space's translations
    // (smp/cross_cpu.hpp): set by a CPU that switches to it, cleared when it
    // switches away or is synchronised. Only the lock holder touches it.
    uint64_t loaded_on = 0;
    MappingList mappings;      // capabilities that map a frame here
    VspaceBinders bound_tasks; // tasks whose vspace this is

private:
    arch::PageTablePages table_pages();
    arch::PageTable table_;
};

} // namespace vesta
