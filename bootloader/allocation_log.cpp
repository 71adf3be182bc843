// bootloader/allocation_log.cpp — see allocation_log.hpp.
#include "allocation_log.hpp"

namespace vesta::loader {
namespace {

constexpr uint64_t kPageSize = 4096;
AllocationLog log; // zero-initialised; the loader runs once, on one CPU

} // namespace

void AllocationLog::record(uint64_t physical, uint64_t pages, uint32_t uefi_type) {
    const boot::MemoryType type = boot::memory_type_from_uefi(uefi_type);
    if (!boot::is_loader_owned(type) || pages == 0) return;
    if (count_) {
        boot::MemoryRange& last = ranges_[count_ - 1];
        if (last.type == type && last.base + last.size == physical) {
            last.size += pages * kPageSize;
            return;
        }
    }
    if (count_ == kAllocationLogCapacity) return;
    ranges_[count_++] = boot::MemoryRange{physical, pages * kPageSize, type, 0};
}

Result<void> AllocationLog::add_to(boot::MemoryMapBuilder& builder) const {
    for (size_t i = 0; i < count_; ++i) TRY(builder.add(ranges_[i].base, ranges_[i].size, ranges_[i].type));
    return {};
}

void record_allocation(uint64_t physical, uint64_t pages, uint32_t uefi_type) {
    log.record(physical, pages, uefi_type);
}

Result<void> add_recorded_allocations(boot::MemoryMapBuilder& builder) { return log.add_to(builder); }

} // namespace vesta::loader
