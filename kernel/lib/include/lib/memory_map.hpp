// lib/memory_map.hpp — builds the normalised memory map of the boot protocol
// (vesta/boot_info.hpp) from a UEFI memory map and extra ranges.
//
// Contract of normalise(): the output is sorted by base, non-overlapping,
// page-aligned, and adjacent ranges of one type are merged. Where input
// ranges overlap, the more restrictive type wins (see type_priority()).
// Usable ranges shrink inward to page boundaries, all others grow outward,
// so no partial page is ever reported usable.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/result.hpp>
#include <vesta/boot_info.hpp>

namespace vesta::boot {

// The UEFI type numbers our loader allocates with (the OS-defined range).
inline constexpr uint32_t kUefiTypeKernel = 0x80000001;
inline constexpr uint32_t kUefiTypeInitramfs = 0x80000002;
inline constexpr uint32_t kUefiTypeBootData = 0x80000003;

// Maps a UEFI memory type to its boot-protocol type. Boot-services and loader
// memory become Usable: after the handoff nothing of them is live.
MemoryType memory_type_from_uefi(uint32_t uefi_type);

// The rank used to resolve overlaps: higher wins.
int type_priority(MemoryType type);

// "usable", "MMIO", "kernel", … (as the kernel prints the map).
const char* memory_type_name(MemoryType type);

// The types of what the loader allocates for the kernel: the kernel image,
// the initramfs and the handoff data. The kernel relies on these pages.
bool is_loader_owned(MemoryType type);

// Two input ranges that must not overlap: `owned` has a loader-owned type,
// `other` a different type that is not Usable. Both as normalise() rounds them.
struct OwnershipConflict {
    MemoryRange owned;
    MemoryRange other;
};

// Whether a sorted map (as normalise() writes it) holds its contract:
// page-aligned, non-empty, non-overflowing, sorted and non-overlapping ranges.
bool is_normalised(const MemoryRange* map, size_t count);

class MemoryMapBuilder {
public:
    // `storage` holds the raw input ranges; its capacity bounds their number.
    MemoryMapBuilder(MemoryRange* storage, size_t capacity) : ranges_(storage), capacity_(capacity) {}

    // Adds one range. Zero-sized ranges are ignored.
    // Fails: Overflow when base + size wraps; OutOfRange when storage is full.
    Result<void> add(uint64_t base, uint64_t size, MemoryType type);

    // Adds every descriptor of a UEFI memory map, stepping by descriptor_size.
    // Fails: Malformed when descriptor_size is smaller than a UEFI descriptor
    // (40 bytes) or not a multiple of 8, or map_size is not a multiple of it;
    // Overflow/OutOfRange as add().
    Result<void> add_uefi_map(const void* map, size_t map_size, size_t descriptor_size);

    size_t count() const { return count_; }

    // Finds a loader-owned range that overlaps (after page rounding) a range
    // of another type other than Usable: normalise() would rank a Reserved,
    // MMIO, framebuffer, ACPI or defective range over the kernel's own pages
    // (or one loader-owned type over another), and the kernel would give them
    // away or never use them. Returns true with the first such pair in
    // *conflict; false when the map can be trusted.
    bool find_ownership_conflict(OwnershipConflict* conflict) const;

    // Writes the normalised map to `out`; `scratch` must hold 2 * count()
    // values. Returns the number of ranges written.
    // Fails: OutOfRange when `out` or `scratch` is too small.
    Result<size_t> normalise(MemoryRange* out, size_t out_capacity, uint64_t* scratch, size_t scratch_capacity) const;

private:
    MemoryRange* ranges_;
    size_t capacity_;
    size_t count_ = 0;
};

} // namespace vesta::boot
