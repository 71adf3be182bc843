// kernel/capability/capability.hpp — one slot of a capability space.
//
// A capability is (object, rights, badge); the object's header carries the
// type. Every capability is on its object's list (Object::capabilities), so
// an object knows all capabilities naming it: its last one going is its death,
// and a forced death (its pool died) can empty every slot that names it.
//
// Memory pools are the one exception to "the last capability": a pool has
// one owning capability (the one Split returned; `owner`), and copies of it
// only lend the pool. Deleting the owner kills the pool, whatever copies
// exist, and with it everything the pool paid for; a copy never keeps it
// alive. So a supervisor that keeps the owner of the pool it gave a child
// can always reclaim all of it, whatever cycles the child built — even one
// through a copy of the pool's own capability.
//
// For pages and device memory a capability is also the record of one mapping
// made through it (seL4's frame-cap model): to map the same frame twice, copy
// the capability first. The mapping is a binding: the vspace lists the
// capabilities mapped into it (VirtualSpace::mappings) and clears them when it
// dies; it does not keep the vspace alive.
#pragma once

#include <object/object.hpp>

namespace vesta {

class CapabilitySpace;
class VirtualSpace;

// An empty slot's links in its cspace's free list (slot indices).
struct FreeSlotLink {
    uint32_t next;
    uint32_t previous;
};

struct Capability {
    static constexpr uint32_t kNoIndex = ~uint32_t{0};

    Object* object = nullptr; // null: empty slot
    // Occupied: the link in object->capabilities. Empty: the cspace's free list.
    union {
        SlimLink<Capability> object_link;
        FreeSlotLink free;
    };
    CapabilitySpace* space = nullptr;  // the cspace whose slot this is
    uint64_t badge = 0;                // endpoints and notifications
    VirtualSpace* mapped_in = nullptr; // frames: where this capability mapped it
    SlimLink<Capability> mapping_link; // in mapped_in->mappings
    uint64_t mapped_address = 0;
    uint8_t rights = 0;
    uint8_t mapped_permissions = 0;
    bool owner = false; // the owning capability of a memory pool
    // How many times this slot has been filled (wrapping at 2^32, skipping 0:
    // never 0 once filled); it stays when the slot is emptied. A slot index plus its fill count names one
    // capability: a server that remembers a slot for a long time (a held
    // call's received pages) deletes it only if it still holds that
    // capability, not one the kernel put there after the old one died
    // (CapabilitySpace.Info reports it, Delete checks it).
    uint32_t fills = 0;

    Capability() : object_link{} {}
    Capability(const Capability&) = delete;
    Capability& operator=(const Capability&) = delete;

    bool empty() const { return object == nullptr; }
    ObjectType type() const { return object ? object->type : ObjectType::None; }
    bool has_rights(uint8_t wanted) const { return (rights & wanted) == wanted; }
};

// Operations on an object's capability list (Object::capabilities) and on a
// vspace's mapping list.
using ObjectCapabilities = SlimLinks<Capability, &Capability::object_link>;
using MappingList = SlimList<Capability, &Capability::mapping_link>;

} // namespace vesta
