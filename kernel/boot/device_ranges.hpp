// kernel/boot/device_ranges.hpp — which memory-map ranges may become
// DeviceMemory capabilities for the root task.
//
// A DeviceMemory capability lets its holder map the range into user space,
// so it must never cover RAM or anything the kernel relies on, whatever the
// memory map says: the loader already refuses maps that put device ranges
// over its own allocations (lib/memory_map.hpp find_ownership_conflict), and
// the kernel checks once more against what it knows first-hand.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vesta/boot_info.hpp>

namespace vesta {

// Whether [physical, physical + size) may be handed to the root task as
// device memory: it must be page-aligned and non-empty, must not wrap, and
// must not overlap
//  - any range of `map` other than MMIO and framebuffer ranges (RAM of any
//    kind, firmware-reserved memory such as runtime services, defective RAM);
//  - anything `info` names: the boot info itself (`info_physical`), the
//    memory map, command line, initramfs, device tree, the page-table root,
//    the lowest kernel page and the handoff pages.
// The caller also checks the kernel image itself and the memory pools.
bool device_range_allowed(const boot::BootInfo& info, uint64_t info_physical, const boot::MemoryRange* map,
                          size_t count, uint64_t physical, uint64_t size);

} // namespace vesta
