// kernel/capability/capability_space.hpp — CapabilitySpace: a task's table of
// capability slots, named by index from user code.
//
// The size is fixed at creation; slots live right after the header in the
// same allocation. Empty slots form a doubly linked free list, so taking any
// slot (the first free one, or a caller-named one) and freeing one are O(1).
// The tasks using it as their cspace are on `bound_tasks` (bindings: they do
// not keep it alive).
#pragma once

#include <capability/capability.hpp>
#include <lib/result.hpp>
#include <object/task.hpp>

namespace vesta {

class CapabilitySpace : public Object {
public:
    static constexpr ObjectType kType = ObjectType::CapabilitySpace;
    static constexpr uint64_t kMaxSlots = 65536;

    explicit CapabilitySpace(uint32_t slot_count);
    static size_t bytes_for(uint64_t slot_count) { return sizeof(CapabilitySpace) + slot_count * sizeof(Capability); }

    uint32_t size() const { return size_; }
    uint32_t free_count() const { return free_count_; }

    // The non-empty slot at `index` holding a live `wanted_type` with `wanted`
    // rights, or null: the IPC fast path's lookup (no error detail needed).
    Capability* find(uint64_t index, ObjectType wanted_type, uint8_t wanted) {
        if (index >= size_) return nullptr;
        Capability* capability = &slots_[index];
        const Object* object = capability->object;
        if (!object || object->type != wanted_type || object->dying() || !capability->has_rights(wanted))
            return nullptr;
        return capability;
    }

    // The slot at `index`. Fails with InvalidCapability when out of bounds.
    Result<Capability*> slot(uint64_t index);
    // A slot holding a capability to a live object of `type` (None: any type)
    // with all of `wanted` rights. A capability to a dying object (its pool
    // died, teardown has not reached this slot yet) counts as empty. Fails
    // with InvalidCapability (bounds, empty), WrongType or MissingRights.
    Result<Capability*> lookup(uint64_t index, ObjectType wanted_type, uint8_t wanted);
    // The same, returning the object itself, typed.
    template <class T>
    Result<T*> lookup_object(uint64_t index, uint8_t wanted) {
        Capability* capability = TRY(lookup(index, T::kType, wanted));
        return static_cast<T*>(capability->object);
    }

    // Decode half of placing a capability: the index a new capability would
    // take for `wanted` (an index, or kAnySlot for the first free slot).
    // Changes nothing. Fails with InvalidCapability (bounds), SlotOccupied,
    // or OutOfRange when no slot is free.
    Result<uint32_t> find_free(uint64_t wanted) const;
    // The `n`th free slot after the first (0 = the first); precondition n < free_count().
    uint32_t nth_free(uint32_t n) const;

    // Perform halves; preconditions: `index` is free (install), non-empty (remove).
    // `owner`: the owning capability of a memory pool (capability.hpp).
    Capability& install(uint32_t index, Object& object, uint8_t rights, uint64_t badge, bool owner = false);
    // Copy `source` (rights already reduced by the caller) into the free `index`.
    Capability& install_copy(uint32_t index, const Capability& original, uint8_t rights, uint64_t badge);
    // Move the capability in `moved` (of any space) to the free `index`; its
    // mapping, if any, travels with it.
    void install_moved(uint32_t index, Capability& moved);
    // Empty the slot: undo its mapping, take it off its object's list, and
    // kill the object when this was its last capability, or a pool's owner
    // (object/teardown.hpp: the object is queued, nothing is freed here).
    // Never touches anything but this slot, its object's header and the
    // mapped vspace.
    void remove(Cpu& cpu, uint32_t index);

    // Teardown: empty up to `budget` slots from where the last call stopped;
    // true when every slot is empty.
    bool empty_slots(Cpu& cpu, uint32_t& budget);

    uint32_t index_of(const Capability& capability) const { return static_cast<uint32_t>(&capability - slots_); }
    Capability& at(uint32_t index) { return slots_[index]; }

    CspaceBinders bound_tasks; // tasks whose cspace this is

private:
    void take_from_free_list(uint32_t index);
    void push_free(uint32_t index);

    uint32_t size_;
    uint32_t free_count_ = 0;
    uint32_t free_head_ = Capability::kNoIndex;
    uint32_t teardown_cursor_ = 0;
    Capability* slots_;
};

} // namespace vesta
