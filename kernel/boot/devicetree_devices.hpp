// kernel/boot/devicetree_devices.hpp — device memory the device tree
// describes, for the root task (kernel/boot/userspace.cpp).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/fdt.hpp>
#include <vesta/boot_info.hpp>

namespace vesta {

// Device memory the device tree describes and firmware maps do not list
// (AAVMF's map names only what the firmware itself uses: flash, the RTC).
// Writes to `out` the `reg` regions of the enabled nodes compatible with
// `compatible`, translated to CPU addresses, rounded out to whole pages and
// merged where they overlap or touch (QEMU virt's 32 virtio-mmio
// transports, 0x200 bytes apart, become one 4-page range); returns how
// many (at most `capacity`: regions beyond that, and empty, wrapping or
// untranslatable ones, are left out). The caller still checks each range
// with device_range_allowed.
size_t devicetree_device_ranges(const fdt::DeviceTree& tree, const char* compatible, boot::MemoryRange* out,
                                size_t capacity);

} // namespace vesta
