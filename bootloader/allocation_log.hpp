// bootloader/allocation_log.hpp — the pages the loader allocated for the
// kernel to keep (kernel image, initramfs, handoff data), so the final memory
// map can be checked against them (docs/boot-protocol.md, "The memory map").
//
// The firmware's map should describe each of these allocations with the
// OS-defined type it was made with. Adding them to the map builder once more
// makes the check independent of that: if the firmware also lists another
// range over them, or reports them with another type, the builder's
// find_ownership_conflict() sees it and the loader refuses to boot.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/memory_map.hpp>

namespace vesta::loader {

inline constexpr size_t kAllocationLogCapacity = 256;

// The log itself (one instance in the loader; host tests make their own).
class AllocationLog {
public:
    // See record_allocation() and add_recorded_allocations() below.
    void record(uint64_t physical, uint64_t pages, uint32_t uefi_type);
    Result<void> add_to(boot::MemoryMapBuilder& builder) const;
    size_t count() const { return count_; }
    const boot::MemoryRange& range(size_t index) const { return ranges_[index]; }

private:
    boot::MemoryRange ranges_[kAllocationLogCapacity];
    size_t count_ = 0;
};

// Records an allocation of `pages` pages at `physical` made with UEFI memory
// type `uefi_type`; types the kernel does not keep are ignored. An allocation
// that continues the previous one of the same type extends it. When the log
// is full, further allocations go unrecorded (the firmware's own description
// of them is still checked).
void record_allocation(uint64_t physical, uint64_t pages, uint32_t uefi_type);

// Adds every recorded allocation to `builder` with its boot-protocol type.
// The builder needs room for kAllocationLogCapacity more ranges.
Result<void> add_recorded_allocations(boot::MemoryMapBuilder& builder);

} // namespace vesta::loader
