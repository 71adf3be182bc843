// kernel/capability/capability.hpp — one slot of a capability space.
//
// A capability is (object, rights, badge); the object's header carries the
// type. For pages and device memory a capability is also the record of one
// mapping made through it (seL4's frame-cap model): to map the same frame
// twice, copy the capability first. A mapping holds a reference on the vspace.
#pragma once

#include <object/object.hpp>

namespace vesta {

class VirtualSpace;

struct Capability {
    static constexpr uint32_t kNoIndex = ~uint32_t{0};

    Object* object = nullptr;            // null: empty slot
    uint64_t badge = 0;                  // endpoints and notifications
    VirtualSpace* mapped_in = nullptr;   // frames: where this capability mapped it
    uint64_t mapped_address = 0;
    uint32_t free_next = kNoIndex;       // free list of empty slots
    uint32_t free_previous = kNoIndex;
    uint8_t rights = 0;
    uint8_t mapped_permissions = 0;

    bool empty() const { return object == nullptr; }
    ObjectType type() const { return object ? object->type : ObjectType::None; }
    bool has_rights(uint8_t wanted) const { return (rights & wanted) == wanted; }
};

} // namespace vesta
