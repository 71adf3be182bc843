// kernel/object/frame.hpp — Page and DeviceMemory: physical ranges a vspace
// can map.
//
// A Page owns `pages` contiguous zeroed RAM pages paid by its memory pool and
// returned to it when the Page is destroyed. A DeviceMemory names an MMIO
// range outside RAM; it owns nothing but its header, is mapped uncached and
// never executable, and can be split into smaller ranges for drivers.
//
// W^X across mappings: a frame is never writable through one mapping and
// executable through another at the same time. `writable_uses` counts its
// writable mappings plus the tasks using it as IPC buffer (the kernel writes
// there), `executable_mappings` its executable mappings.
#pragma once

#include <object/task.hpp>

namespace vesta {

class Frame : public Object {
public:
    Frame(ObjectType frame_type, uint64_t physical_address, uint64_t page_count)
        : Object(frame_type), physical(physical_address), pages(page_count) {}

    bool is_device() const { return type == ObjectType::DeviceMemory; }

    uint64_t physical;
    uint64_t pages;
    uint32_t writable_uses = 0;
    uint32_t executable_mappings = 0;
    IpcBufferBinders ipc_buffer_tasks; // tasks using it as IPC buffer (Page only)
};

// Typed views for lookup_object<T>: the same layout, a distinct type tag.
class Page : public Frame {
public:
    static constexpr ObjectType kType = ObjectType::Page;
    Page(uint64_t physical_address, uint64_t page_count) : Frame(kType, physical_address, page_count) {}
};

class DeviceMemory : public Frame {
public:
    static constexpr ObjectType kType = ObjectType::DeviceMemory;
    DeviceMemory(uint64_t physical_address, uint64_t page_count) : Frame(kType, physical_address, page_count) {}
};

inline bool is_frame(ObjectType type) { return type == ObjectType::Page || type == ObjectType::DeviceMemory; }

} // namespace vesta
