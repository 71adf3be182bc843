#include <lib/memory_map.hpp>
#include <lib/utility.hpp>

namespace vesta::boot {
namespace {

constexpr uint64_t kPageSize = 4096;
constexpr size_t kUefiDescriptorSize = 40; // EFI_MEMORY_DESCRIPTOR, UEFI 2.x

void sort(uint64_t* values, size_t count) { // insertion sort: inputs are small
    for (size_t i = 1; i < count; ++i) {
        const uint64_t value = values[i];
        size_t j = i;
        for (; j > 0 && values[j - 1] > value; --j) values[j] = values[j - 1];
        values[j] = value;
    }
}

// A range as normalise() sees it: usable ranges shrink inward to whole pages,
// every other type grows outward (clamped below 2^64). Empty when first >= last.
void rounded(const MemoryRange& range, uint64_t* first, uint64_t* last) {
    const uint64_t end = range.base + range.size; // add() checked for overflow
    if (range.type == MemoryType::Usable) {
        *first = align_up(range.base, kPageSize);
        *last = align_down(end, kPageSize);
        if (*first == 0 && range.base != 0) *first = *last; // wrapped: empty
    } else {
        *first = align_down(range.base, kPageSize);
        *last = align_up(end, kPageSize);
        if (*last == 0) *last = align_down(UINT64_MAX, kPageSize); // clamp at the top
    }
}

} // namespace

MemoryType memory_type_from_uefi(uint32_t uefi_type) {
    switch (uefi_type) {
    case 1:
    case 2: // loader code/data
    case 3:
    case 4: // boot services code/data
    case 7: // conventional
        return MemoryType::Usable;
    case 8: return MemoryType::Defective;
    case 9: return MemoryType::AcpiReclaimable;
    case 10: return MemoryType::AcpiNvs;
    case 11:
    case 12: return MemoryType::Mmio;
    case kUefiTypeKernel: return MemoryType::Kernel;
    case kUefiTypeInitramfs: return MemoryType::Initramfs;
    case kUefiTypeBootData: return MemoryType::BootData;
    default: // reserved, runtime services, PAL code, persistent, unknown
        return MemoryType::Reserved;
    }
}

int type_priority(MemoryType type) {
    switch (type) {
    case MemoryType::Usable: return 0;
    case MemoryType::AcpiReclaimable: return 1;
    case MemoryType::Initramfs: return 2;
    case MemoryType::BootData: return 3;
    case MemoryType::Kernel: return 4;
    case MemoryType::AcpiNvs: return 5;
    case MemoryType::Reserved: return 6;
    case MemoryType::Mmio: return 7;
    case MemoryType::Framebuffer: return 8;
    case MemoryType::Defective: return 9;
    }
    return 6; // unknown values rank as Reserved
}

const char* memory_type_name(MemoryType type) {
    switch (type) {
    case MemoryType::Usable: return "usable";
    case MemoryType::Reserved: return "reserved";
    case MemoryType::AcpiReclaimable: return "ACPI reclaimable";
    case MemoryType::AcpiNvs: return "ACPI NVS";
    case MemoryType::Mmio: return "MMIO";
    case MemoryType::Kernel: return "kernel";
    case MemoryType::BootData: return "boot data";
    case MemoryType::Initramfs: return "initramfs";
    case MemoryType::Framebuffer: return "framebuffer";
    case MemoryType::Defective: return "defective";
    }
    return "unknown";
}

bool is_loader_owned(MemoryType type) {
    return type == MemoryType::Kernel || type == MemoryType::BootData || type == MemoryType::Initramfs;
}

bool is_normalised(const MemoryRange* map, size_t count) {
    for (size_t i = 0; i < count; ++i) {
        uint64_t end = 0;
        if (map[i].size == 0 || map[i].base % kPageSize || map[i].size % kPageSize ||
            !checked_add(map[i].base, map[i].size, &end))
            return false;
        if (i && map[i - 1].base + map[i - 1].size > map[i].base) return false; // unsorted or overlapping
    }
    return true;
}

bool MemoryMapBuilder::find_ownership_conflict(OwnershipConflict* conflict) const {
    for (size_t i = 0; i < count_; ++i) {
        if (!is_loader_owned(ranges_[i].type)) continue;
        uint64_t first, last;
        rounded(ranges_[i], &first, &last);
        for (size_t j = 0; j < count_; ++j) {
            const MemoryType other = ranges_[j].type;
            if (other == ranges_[i].type || other == MemoryType::Usable) continue;
            uint64_t other_first, other_last;
            rounded(ranges_[j], &other_first, &other_last);
            if (first < last && other_first < other_last && first < other_last && other_first < last) {
                *conflict = OwnershipConflict{MemoryRange{first, last - first, ranges_[i].type, 0},
                                              MemoryRange{other_first, other_last - other_first, other, 0}};
                return true;
            }
        }
    }
    return false;
}

Result<void> MemoryMapBuilder::add(uint64_t base, uint64_t size, MemoryType type) {
    if (size == 0) return {};
    uint64_t end = 0;
    if (!checked_add(base, size, &end)) return Error::Overflow;
    if (count_ == capacity_) return Error::OutOfRange;
    ranges_[count_++] = MemoryRange{base, size, type, 0};
    return {};
}

Result<void> MemoryMapBuilder::add_uefi_map(const void* map, size_t map_size, size_t descriptor_size) {
    if (descriptor_size < kUefiDescriptorSize || descriptor_size % 8 != 0 || map_size % descriptor_size != 0)
        return Error::Malformed;
    const auto* bytes = static_cast<const uint8_t*>(map);
    for (size_t offset = 0; offset < map_size; offset += descriptor_size) {
        uint32_t type;
        uint64_t physical_start, page_count;
        __builtin_memcpy(&type, bytes + offset, sizeof(type));
        __builtin_memcpy(&physical_start, bytes + offset + 8, sizeof(physical_start));
        __builtin_memcpy(&page_count, bytes + offset + 24, sizeof(page_count));
        uint64_t size = 0;
        if (!checked_mul(page_count, kPageSize, &size)) return Error::Overflow;
        TRY(add(physical_start, size, memory_type_from_uefi(type)));
    }
    return {};
}

Result<size_t> MemoryMapBuilder::normalise(MemoryRange* out, size_t out_capacity, uint64_t* scratch,
                                           size_t scratch_capacity) const {
    // Every range's (page-rounded) start and end is a boundary; between two
    // consecutive boundaries the type is constant: the highest-priority type
    // of the ranges covering that piece.
    if (scratch_capacity < 2 * count_) return Error::OutOfRange;
    size_t points = 0;
    for (size_t i = 0; i < count_; ++i) {
        uint64_t first, last;
        rounded(ranges_[i], &first, &last);
        if (first >= last) continue;
        scratch[points++] = first;
        scratch[points++] = last;
    }
    sort(scratch, points);

    size_t written = 0;
    for (size_t p = 0; p + 1 < points; ++p) {
        const uint64_t start = scratch[p], end = scratch[p + 1];
        if (start == end) continue;
        bool covered = false;
        MemoryType type = MemoryType::Usable;
        for (size_t i = 0; i < count_; ++i) {
            uint64_t first, last;
            rounded(ranges_[i], &first, &last);
            if (first <= start && end <= last && (!covered || type_priority(ranges_[i].type) > type_priority(type))) {
                type = ranges_[i].type;
                covered = true;
            }
        }
        if (!covered) continue;
        if (written && out[written - 1].type == type && out[written - 1].base + out[written - 1].size == start) {
            out[written - 1].size += end - start;
            continue;
        }
        if (written == out_capacity) return Error::OutOfRange;
        out[written++] = MemoryRange{start, end - start, type, 0};
    }
    return written;
}

} // namespace vesta::boot
