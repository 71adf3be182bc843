// kernel/boot/devicetree_devices.cpp — see devicetree_devices.hpp.
#include <boot/devicetree_devices.hpp>

#include <lib/utility.hpp>

namespace vesta {

constexpr uint64_t kPage = 4096;

namespace {

// Adds [first, end) to the merged list; false when a new range does not fit.
bool merge_range(boot::MemoryRange* out, size_t* count, size_t capacity, uint64_t first, uint64_t end) {
    for (size_t i = 0; i < *count; ++i) {
        const uint64_t other_end = out[i].base + out[i].size;
        if (first > other_end || end < out[i].base) continue; // neither overlapping nor touching
        const uint64_t low = min(first, out[i].base), high = max(end, other_end);
        // Remove it and add the union again: it may now touch another one.
        out[i] = out[--*count];
        return merge_range(out, count, capacity, low, high);
    }
    if (*count == capacity) return false;
    out[(*count)++] = boot::MemoryRange{first, end - first, boot::MemoryType::Mmio, 0};
    return true;
}

} // namespace

size_t devicetree_device_ranges(const fdt::DeviceTree& tree, const char* compatible, boot::MemoryRange* out,
                                size_t capacity) {
    size_t count = 0;
    for (fdt::Node node = tree.next_compatible(fdt::Node(), compatible); node.valid();
         node = tree.next_compatible(node, compatible)) {
        if (!tree.is_enabled(node)) continue;
        const auto entries = tree.reg_count(node);
        for (uint32_t i = 0; entries.ok() && i < entries.value(); ++i) {
            const auto region = tree.cpu_region(node, i);
            if (!region.ok() || region.value().size == 0) continue;
            uint64_t end = 0;
            if (!checked_add(region.value().address, region.value().size, &end) || end > UINT64_MAX - (kPage - 1))
                continue;
            const uint64_t first = region.value().address & ~(kPage - 1);
            (void)merge_range(out, &count, capacity, first, (end + kPage - 1) & ~(kPage - 1));
        }
    }
    return count;
}

} // namespace vesta
