// kernel/capability/capability_space.hpp — CapabilitySpace: a task's table of
// capability slots, named by index from user code.
//
// The size is fixed at creation; slots live right after the header in the
// same allocation. Empty slots form a doubly linked free list, so taking any
// slot (the first free one, or a caller-named one) and freeing one are O(1).
#pragma once

#include <capability/capability.hpp>
#include <lib/result.hpp>

namespace vesta {

class CapabilitySpace : public Object {
public:
    static constexpr ObjectType kType = ObjectType::CapabilitySpace;
    static constexpr uint64_t kMaxSlots = 65536;

    explicit CapabilitySpace(uint32_t slot_count);
    static size_t bytes_for(uint64_t slot_count) {
        return sizeof(CapabilitySpace) + slot_count * sizeof(Capability);
    }

    uint32_t size() const { return size_; }
    uint32_t free_count() const { return free_count_; }

    // The non-empty slot at `index` holding `wanted_type` with `wanted`
    // rights, or null: the IPC fast path's lookup (no error detail needed).
    Capability* find(uint64_t index, ObjectType wanted_type, uint8_t wanted) {
        if (index >= size_) return nullptr;
        Capability* capability = &slots_[index];
        if (!capability->object || capability->object->type != wanted_type || !capability->has_rights(wanted))
            return nullptr;
        return capability;
    }

    // The slot at `index`. Fails with InvalidCapability when out of bounds.
    Result<Capability*> slot(uint64_t index);
    // A non-empty slot holding an object of `type` (None: any type) with all
    // of `wanted` rights. Fails with InvalidCapability (bounds, empty),
    // WrongType or MissingRights.
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
    Capability& install(uint32_t index, Object& object, uint8_t rights, uint64_t badge);
    // Copy `source` (rights already reduced by the caller) into the free `index`.
    Capability& install_copy(uint32_t index, const Capability& original, uint8_t rights,
                             uint64_t badge);
    // Move the capability in `source` (of any space) to the free `index`.
    void install_moved(uint32_t index, Capability& moved, CapabilitySpace& moved_from);
    // Empty the slot: undo its mapping, then drop its reference (which may
    // destroy the object, and even this space).
    void remove(Cpu& cpu, uint32_t index);

    // Teardown when the last reference goes: empty every slot.
    static void destroy(Cpu& cpu, CapabilitySpace& space);

    uint32_t index_of(const Capability& capability) const {
        return static_cast<uint32_t>(&capability - slots_);
    }

private:
    void take_from_free_list(uint32_t index);
    void push_free(uint32_t index);

    uint32_t size_;
    uint32_t free_count_ = 0;
    uint32_t free_head_ = Capability::kNoIndex;
    Capability* slots_;
};

} // namespace vesta
