// kernel/object/frame.hpp — Page and DeviceMemory: physical ranges a vspace
// can map.
//
// A Page owns `pages` contiguous zeroed RAM pages paid by its memory pool and
// returned to it when the Page is destroyed. A DeviceMemory names an MMIO
// range outside RAM; it owns nothing but its header, is mapped uncached and
// never executable, and can be split into smaller ranges for drivers.
#pragma once

#include <object/object.hpp>

namespace vesta {

class Frame : public Object {
public:
    Frame(ObjectType frame_type, uint64_t physical_address, uint64_t page_count)
        : Object(frame_type), physical(physical_address), pages(page_count) {}

    bool is_device() const { return type == ObjectType::DeviceMemory; }

    uint64_t physical;
    uint64_t pages;

    static void destroy(Cpu& cpu, Frame& frame);
};

// Typed views for lookup_object<T>: the same layout, a distinct type tag.
class Page : public Frame {
public:
    static constexpr ObjectType kType = ObjectType::Page;
    Page(uint64_t physical_address, uint64_t page_count)
        : Frame(kType, physical_address, page_count) {}
};

class DeviceMemory : public Frame {
public:
    static constexpr ObjectType kType = ObjectType::DeviceMemory;
    DeviceMemory(uint64_t physical_address, uint64_t page_count)
        : Frame(kType, physical_address, page_count) {}
};

inline bool is_frame(ObjectType type) {
    return type == ObjectType::Page || type == ObjectType::DeviceMemory;
}

} // namespace vesta
