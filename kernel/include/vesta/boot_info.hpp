// vesta/boot_info.hpp — the loader → kernel handoff (docs/boot-protocol.md).
//
// Contract (shared by bootloader/ and kernel/, both built from this header):
// - The loader jumps to the kernel's ELF entry point with interrupts masked,
//   the kernel's page tables active, and a pointer to a BootInfo in the first
//   argument register (x86_64 rdi, aarch64 x0). The pointer and every
//   `virtual`-named field are kernel virtual addresses (inside the direct
//   map); every `physical`-named field is a physical address.
// - The kernel accepts a BootInfo only when magic == kBootInfoMagic,
//   version == kBootInfoVersion and size >= sizeof(BootInfo) at the version it
//   was built for. New fields are appended and bump the version; fields are
//   never reordered or removed within a version.
// - The memory map is normalised: sorted by base, non-overlapping, adjacent
//   ranges of the same type merged, bases and sizes multiples of 4 KiB.
// - Everything the loader hands over (boot info, memory map, command line,
//   device tree copy, page tables) lies in BootData ranges; the kernel image in
//   Kernel ranges; the initramfs in an Initramfs range. None of them is Usable.
#pragma once

#include <stdint.h>

namespace vesta::boot {

inline constexpr uint64_t kBootInfoMagic = 0x4f464e4941545345; // "ESTAINFO" little-endian
inline constexpr uint32_t kBootInfoVersion = 1;

// The kernel's virtual layout, fixed by this protocol version.
inline constexpr uint64_t kDirectMapBase = 0xffff800000000000;   // phys 0 maps here
inline constexpr uint64_t kDirectMapMaxSize = uint64_t{1} << 46; // 64 TiB window
inline constexpr uint64_t kDeviceMapBase = 0xffffff0000000000;   // MMIO the kernel maps itself (512 GiB)
inline constexpr uint64_t kKernelImageBase = 0xffffffff80000000; // top 2 GiB (x86_64 mcmodel=kernel)

enum class MemoryType : uint32_t {
    Usable = 1,          // free RAM: the kernel may hand it out
    Reserved = 2,        // firmware or platform owned; never touch
    AcpiReclaimable = 3, // ACPI tables; usable once the kernel has read them
    AcpiNvs = 4,         // ACPI non-volatile storage; never touch
    Mmio = 5,            // memory-mapped I/O described by the firmware
    Kernel = 6,          // the kernel image's segments
    BootData = 7,        // the handoff: boot info, memory map, command line, DTB, page tables
    Initramfs = 8,       // the initramfs tar image
    Framebuffer = 9,     // the GOP framebuffer
    Defective = 10,      // RAM reported as failing; never use
};

struct MemoryRange {
    uint64_t base;
    uint64_t size;
    MemoryType type;
    uint32_t reserved; // zero
};
static_assert(sizeof(MemoryRange) == 24);

enum class PixelFormat : uint32_t { None = 0, Rgbx8888 = 1, Bgrx8888 = 2, Bitmask = 3 };

struct Framebuffer {
    uint64_t physical; // 0 when there is no framebuffer
    uint64_t size;     // bytes
    uint32_t width;    // pixels
    uint32_t height;   // pixels
    uint32_t pitch;    // bytes per scan line
    PixelFormat format;
    uint32_t red_mask, green_mask, blue_mask, reserved_mask; // for PixelFormat::Bitmask
};

enum EntropySource : uint32_t {
    kEntropyNone = 0,
    kEntropyFirmwareRng = 1, // EFI_RNG_PROTOCOL
    kEntropyCounter = 2,     // mixed from cycle counters and the firmware clock: weak
};

struct BootInfo {
    uint64_t magic;   // kBootInfoMagic
    uint32_t version; // kBootInfoVersion
    uint32_t size;    // sizeof(BootInfo) as the loader built it

    uint64_t direct_map_base; // == kDirectMapBase; physical address p is at direct_map_base + p
    uint64_t direct_map_size; // bytes of physical address space covered (RAM ranges only are mapped)

    uint64_t memory_map_physical; // MemoryRange[memory_map_count]
    uint32_t memory_map_count;
    uint32_t boot_cpu_level; // aarch64: exception level the loader was entered at (1 or 2); x86_64: 0

    uint64_t command_line_physical; // NUL-terminated UTF-8; command_line_size excludes the NUL
    uint64_t command_line_size;
    uint64_t initramfs_physical; // a tar image; size 0 when empty
    uint64_t initramfs_size;
    uint64_t device_tree_physical; // flattened device tree copy; 0 when none
    uint64_t device_tree_size;
    uint64_t acpi_rsdp_physical;       // 0 when none
    uint64_t page_table_root_physical; // the kernel's top-level table (CR3 / TTBR1)
    uint64_t kernel_physical_base;     // lowest physical page of the kernel image
    uint64_t kernel_virtual_base;      // lowest virtual address of the kernel image

    Framebuffer framebuffer;

    uint8_t entropy[32];
    uint32_t entropy_source; // EntropySource
    uint32_t reserved0;

    // Timestamps in the CPU's free-running counter (x86_64 TSC, aarch64 CNTVCT).
    uint64_t counter_frequency;  // Hz; 0 when the loader cannot tell (x86_64 TSC)
    uint64_t loader_start_count; // counter at loader entry
    uint64_t loader_exit_count;  // counter just before the jump to the kernel
    // Wall-clock time from the firmware at loader start (UTC when the firmware knows).
    uint16_t year;
    uint8_t month, day, hour, minute, second, reserved1;

    // The page(s) the loader identity-mapped to switch page tables; the kernel
    // removes them with the rest of the lower half.
    uint64_t handoff_identity_physical;
    uint64_t handoff_identity_size;
};

} // namespace vesta::boot
