// kernel/boot/device_ranges.cpp — see device_ranges.hpp.
#include <boot/device_ranges.hpp>

#include <lib/utility.hpp>

namespace vesta {
namespace {

constexpr uint64_t kPage = 4096;

bool may_hold_devices(boot::MemoryType type) {
    return type == boot::MemoryType::Mmio || type == boot::MemoryType::Framebuffer;
}

// [base, base + size) rounded out to pages overlaps [physical, end)? Empty
// ranges overlap nothing; ranges that wrap are treated as reaching the top.
bool overlaps(uint64_t base, uint64_t size, uint64_t physical, uint64_t end) {
    if (size == 0) return false;
    uint64_t last = 0;
    if (!checked_add(base, size, &last)) last = UINT64_MAX;
    const uint64_t first = base & ~(kPage - 1);
    return first < end && physical < last;
}

} // namespace

bool device_range_allowed(const boot::BootInfo& info, uint64_t info_physical, const boot::MemoryRange* map,
                          size_t count, uint64_t physical, uint64_t size) {
    uint64_t end = 0;
    if (size == 0 || physical % kPage || size % kPage || !checked_add(physical, size, &end)) return false;
    for (size_t i = 0; i < count; ++i)
        if (!may_hold_devices(map[i].type) && overlaps(map[i].base, map[i].size, physical, end)) return false;
    const struct {
        uint64_t base, size;
    } named[] = {
        {info_physical, info.size},
        {info.memory_map_physical, uint64_t{info.memory_map_count} * sizeof(boot::MemoryRange)},
        {info.command_line_physical, info.command_line_size + 1},
        {info.initramfs_physical, info.initramfs_size},
        {info.device_tree_physical, info.device_tree_size},
        {info.page_table_root_physical, kPage},
        {info.kernel_physical_base, kPage},
        {info.handoff_identity_physical, info.handoff_identity_size},
    };
    for (const auto& range : named)
        if (range.base && overlaps(range.base, range.size, physical, end)) return false;
    return true;
}

} // namespace vesta
