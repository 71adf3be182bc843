// vesta/root_info.hpp — what the kernel tells the root task at start-up
// (docs/syscall-abi.md, "The root task").
//
// The kernel maps one read-only page holding a RootInfo at kRootInfoAddress
// and starts the root task at its ELF entry with r0 (x86_64 rdi, aarch64 x0)
// = that address and the stack pointer at kRootStackTop (16-byte aligned).
// Versioned like the boot info: magic, version, size; fields are appended.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta {

inline constexpr uint64_t kRootInfoMagic = 0x4f464e49544f4f52; // "ROOTINFO"
inline constexpr uint32_t kRootInfoVersion = 3;                // 2: device tree and ACPI fields; 3: framebuffer

// Fixed addresses of the root task's start-up mappings (user half).
inline constexpr uint64_t kRootInfoAddress = 0x0000'7fff'e000'0000;
inline constexpr uint64_t kRootIpcBufferAddress = 0x0000'7fff'e000'1000;
inline constexpr uint64_t kRootStackTop = 0x0000'7fff'f000'0000;
inline constexpr uint64_t kRootStackPages = 16;
inline constexpr uint64_t kRootInitramfsAddress = 0x0000'7ff0'0000'0000;
inline constexpr uint64_t kRootDeviceTreeAddress = 0x0000'7fef'0000'0000;

// One capability the kernel placed in the root task's cspace.
struct RootCapability {
    uint64_t slot;
    uint64_t type;           // ObjectType
    uint64_t physical;       // Memory, Page, DeviceMemory: first physical address
    uint64_t pages;          // ... and size in pages
    uint64_t mapped_address; // Page: where it is mapped in the root task (0: not)
};

struct RootInfo {
    static constexpr size_t kMaxCapabilities = 80;

    uint64_t magic;
    uint32_t version;
    uint32_t size;
    uint64_t ipc_buffer; // the root task's IPC buffer (already registered)
    uint64_t initramfs;  // a read-only copy of the initramfs (ustar)
    uint64_t initramfs_size;
    uint64_t first_free_slot;    // slots from here on are empty
    uint64_t cspace_slots;       // size of the root cspace
    uint64_t counter_frequency;  // of the cycle counter, Hz (0: unknown)
    uint64_t kernel_entry_count; // cycle counter at kernel entry (loader exit)
    uint64_t root_start_count;   // cycle counter just before the root task's first instruction
    uint64_t tick_microseconds;  // length of a scheduler tick
    uint64_t capability_count;
    RootCapability capabilities[kMaxCapabilities];
    char command_line[256]; // the kernel command line, NUL-terminated (may be cut)
    // Version 2.
    uint64_t device_tree; // a read-only copy of the flattened device tree (0: none)
    uint64_t device_tree_size;
    uint64_t acpi_rsdp_physical; // the ACPI RSDP's physical address (0: none)
    // Version 3: the framebuffer the loader found (the boot info's, as is;
    // physical 0: none). Its pages are among the DeviceMemory capabilities
    // (RootCapability with the same physical range), never RAM.
    uint64_t framebuffer_physical;
    uint64_t framebuffer_size; // bytes
    uint32_t framebuffer_width;
    uint32_t framebuffer_height;
    uint32_t framebuffer_pitch;  // bytes per scan line
    uint32_t framebuffer_format; // boot::PixelFormat
    uint32_t framebuffer_red_mask, framebuffer_green_mask, framebuffer_blue_mask, framebuffer_reserved_mask;
};
static_assert(sizeof(RootInfo) <= 4096);

} // namespace vesta
