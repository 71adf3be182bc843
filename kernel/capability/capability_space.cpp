// kernel/capability/capability_space.cpp — slots, lookup and the free list.
#include <capability/capability_space.hpp>
#include <lib/new.hpp>
#include <object/virtual_space.hpp>

namespace vesta {

CapabilitySpace::CapabilitySpace(uint32_t slot_count)
    : Object(ObjectType::CapabilitySpace), size_(slot_count),
      slots_(reinterpret_cast<Capability*>(this + 1)) {
    for (uint32_t i = slot_count; i-- > 0;) {
        new (&slots_[i]) Capability{};
        push_free(i);
    }
}

Result<Capability*> CapabilitySpace::slot(uint64_t index) {
    if (index >= size_) return Error::InvalidCapability;
    return &slots_[index];
}

Result<Capability*> CapabilitySpace::lookup(uint64_t index, ObjectType wanted_type, uint8_t wanted) {
    Capability* capability = TRY(slot(index));
    if (capability->empty()) return Error::InvalidCapability;
    if (wanted_type != ObjectType::None && capability->type() != wanted_type) return Error::WrongType;
    if (!capability->has_rights(wanted)) return Error::MissingRights;
    return capability;
}

Result<uint32_t> CapabilitySpace::find_free(uint64_t wanted) const {
    if (wanted == kAnySlot) {
        if (free_head_ == Capability::kNoIndex) return Error::OutOfRange;
        return free_head_;
    }
    if (wanted >= size_) return Error::InvalidCapability;
    if (!slots_[wanted].empty()) return Error::SlotOccupied;
    return static_cast<uint32_t>(wanted);
}

uint32_t CapabilitySpace::nth_free(uint32_t n) const {
    uint32_t index = free_head_;
    while (n--) index = slots_[index].free_next;
    return index;
}

void CapabilitySpace::push_free(uint32_t index) {
    Capability& capability = slots_[index];
    capability.free_previous = Capability::kNoIndex;
    capability.free_next = free_head_;
    if (free_head_ != Capability::kNoIndex) slots_[free_head_].free_previous = index;
    free_head_ = index;
    ++free_count_;
}

void CapabilitySpace::take_from_free_list(uint32_t index) {
    Capability& capability = slots_[index];
    if (capability.free_previous != Capability::kNoIndex)
        slots_[capability.free_previous].free_next = capability.free_next;
    else
        free_head_ = capability.free_next;
    if (capability.free_next != Capability::kNoIndex)
        slots_[capability.free_next].free_previous = capability.free_previous;
    --free_count_;
}

Capability& CapabilitySpace::install(uint32_t index, Object& object, uint8_t rights,
                                     uint64_t badge) {
    take_from_free_list(index);
    Capability& capability = slots_[index];
    capability = Capability{};
    capability.object = &object;
    capability.rights = rights;
    capability.badge = badge;
    retain(object);
    return capability;
}

Capability& CapabilitySpace::install_copy(uint32_t index, const Capability& original, uint8_t rights,
                                          uint64_t badge) {
    return install(index, *original.object, rights, badge);
}

void CapabilitySpace::install_moved(uint32_t index, Capability& moved,
                                    CapabilitySpace& moved_from) {
    take_from_free_list(index);
    Capability& destination = slots_[index];
    destination = moved; // carries the reference and any mapping
    destination.free_next = destination.free_previous = Capability::kNoIndex;
    moved = Capability{};
    moved_from.push_free(moved_from.index_of(moved));
}

void CapabilitySpace::remove(Cpu& cpu, uint32_t index) {
    Capability& capability = slots_[index];
    Object* object = capability.object;
    VirtualSpace* mapped_in = capability.mapped_in;
    if (mapped_in) mapped_in->unmap_frame(capability);
    capability = Capability{};
    push_free(index);
    // Last: releasing may destroy objects that hold the last reference to us.
    if (mapped_in) release(cpu, *mapped_in);
    release(cpu, *object);
}

void CapabilitySpace::destroy(Cpu& cpu, CapabilitySpace& space) {
    // Nothing can release this space again: every pointer to it counted.
    for (uint32_t i = 0; i < space.size_; ++i) {
        if (!space.slots_[i].empty()) space.remove(cpu, i);
    }
}

} // namespace vesta
