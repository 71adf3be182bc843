// bootloader/boot_state.hpp — what the loader gathers before the handoff.
#pragma once

#include <lib/elf.hpp>
#include <vesta/boot_info.hpp>

#include "files.hpp"

namespace vesta::loader {

struct KernelImage {
    elf::ElfImage elf;
    uint64_t segment_physical[elf::kMaxSegments]; // page-aligned copies of each segment
};

// Page-granular allocations of the OS-defined UEFI memory types.
Result<uint64_t> allocate_pages(EFI_BOOT_SERVICES* boot, uint32_t memory_type, uint64_t pages);

// Loads and checks \vesta\kernel.elf; copies its segments into Kernel pages.
Result<KernelImage> load_kernel(EspDirectory& esp, EFI_BOOT_SERVICES* boot, Console& console);

// Firmware-provided tables and devices.
uint64_t find_acpi_rsdp(EFI_SYSTEM_TABLE* system);
const void* find_device_tree(EFI_SYSTEM_TABLE* system);
boot::Framebuffer find_framebuffer(EFI_BOOT_SERVICES* boot);
uint32_t gather_entropy(EFI_BOOT_SERVICES* boot, uint8_t (&entropy)[32]);

} // namespace vesta::loader
