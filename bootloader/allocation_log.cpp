// bootloader/allocation_log.cpp — see allocation_log.hpp.
#include "allocation_log.hpp"

namespace vesta::loader {
namespace {

constexpr uint64_t kPageSize = 4096;

struct AllocationLog {
    boot::MemoryRange ranges[kAllocationLogCapacity];
    size_t count;
};
AllocationLog log; // zero-initialised; the loader runs once, on one CPU

} // namespace

void record_allocation(uint64_t physical, uint64_t pages, uint32_t uefi_type) {
    const boot::MemoryType type = boot::memory_type_from_uefi(uefi_type);
    if (!boot::is_loader_owned(type) || pages == 0) return;
    if (log.count) {
        boot::MemoryRange& last = log.ranges[log.count - 1];
        if (last.type == type && last.base + last.size == physical) {
            last.size += pages * kPageSize;
            return;
        }
    }
    if (log.count == kAllocationLogCapacity) return;
    log.ranges[log.count++] = boot::MemoryRange{physical, pages * kPageSize, type, 0};
}

Result<void> add_recorded_allocations(boot::MemoryMapBuilder& builder) {
    for (size_t i = 0; i < log.count; ++i) TRY(builder.add(log.ranges[i].base, log.ranges[i].size, log.ranges[i].type));
    return {};
}

} // namespace vesta::loader
