// kernel/capability/capability_space.cpp — slots, lookup and the free list.
#include <capability/capability_space.hpp>
#include <lib/new.hpp>
#include <object/teardown.hpp>
#include <object/virtual_space.hpp>

namespace vesta {

CapabilitySpace::CapabilitySpace(uint32_t slot_count)
    : Object(ObjectType::CapabilitySpace), size_(slot_count), slots_(reinterpret_cast<Capability*>(this + 1)) {
    for (uint32_t i = slot_count; i-- > 0;) {
        new (&slots_[i]) Capability{};
        slots_[i].space = this;
        push_free(i);
    }
}

Result<Capability*> CapabilitySpace::slot(uint64_t index) {
    if (index >= size_) return Error::InvalidCapability;
    return &slots_[index];
}

Result<Capability*> CapabilitySpace::lookup(uint64_t index, ObjectType wanted_type, uint8_t wanted) {
    Capability* capability = TRY(slot(index));
    if (capability->empty() || capability->object->dying()) return Error::InvalidCapability;
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
    while (n--) index = slots_[index].free.next;
    return index;
}

void CapabilitySpace::push_free(uint32_t index) {
    Capability& capability = slots_[index];
    capability.free.previous = Capability::kNoIndex;
    capability.free.next = free_head_;
    if (free_head_ != Capability::kNoIndex) slots_[free_head_].free.previous = index;
    free_head_ = index;
    ++free_count_;
}

void CapabilitySpace::take_from_free_list(uint32_t index) {
    Capability& capability = slots_[index];
    const uint32_t next = capability.free.next;
    const uint32_t previous = capability.free.previous;
    if (previous != Capability::kNoIndex)
        slots_[previous].free.next = next;
    else
        free_head_ = next;
    if (next != Capability::kNoIndex) slots_[next].free.previous = previous;
    --free_count_;
}

Capability& CapabilitySpace::install(uint32_t index, Object& object, uint8_t rights, uint64_t badge, bool owner) {
    take_from_free_list(index);
    Capability& capability = slots_[index];
    capability.object = &object;
    capability.owner = owner;
    capability.object_link = SlimLink<Capability>{};
    capability.rights = rights;
    capability.badge = badge;
    capability.mapped_in = nullptr;
    capability.mapped_address = 0;
    capability.mapped_permissions = 0;
    if (++capability.fills == 0) capability.fills = 1; // 0 is Delete's "whatever it holds"
    ObjectCapabilities::push_front(object.capabilities, capability);
    ++object.capability_count;
    return capability;
}

Capability& CapabilitySpace::install_copy(uint32_t index, const Capability& original, uint8_t rights, uint64_t badge) {
    return install(index, *original.object, rights, badge);
}

void CapabilitySpace::install_moved(uint32_t index, Capability& moved) {
    Object& object = *moved.object;
    Capability& destination = install(index, object, moved.rights, moved.badge, moved.owner);
    if (VirtualSpace* space = moved.mapped_in) space->move_mapping(moved, destination);
    // The source slot goes without killing anything: the object has the new capability.
    CapabilitySpace& from = *moved.space;
    ObjectCapabilities::remove(object.capabilities, moved);
    --object.capability_count;
    moved.object = nullptr;
    moved.badge = 0;
    moved.rights = 0;
    moved.owner = false;
    from.push_free(from.index_of(moved));
}

void CapabilitySpace::remove(Cpu& cpu, uint32_t index) {
    Capability& capability = slots_[index];
    Object& object = *capability.object;
    const bool owner = capability.owner;
    if (VirtualSpace* space = capability.mapped_in) space->unmap_frame(capability);
    ObjectCapabilities::remove(object.capabilities, capability);
    --object.capability_count;
    capability.object = nullptr;
    capability.badge = 0;
    capability.rights = 0;
    capability.owner = false;
    push_free(index);
    // A pool lives exactly as long as its owning capability.
    if (object.type == ObjectType::Memory ? owner : object.capability_count == 0) kill(cpu, object);
}

bool CapabilitySpace::empty_slots(Cpu& cpu, uint32_t& budget) {
    constexpr uint32_t kEmptySlotsPerUnit = 32; // looking at an empty slot is cheap
    uint32_t scanned = 0;
    while (teardown_cursor_ < size_ && free_count_ < size_) {
        if (budget == 0) return false;
        if (!slots_[teardown_cursor_].empty()) {
            remove(cpu, teardown_cursor_);
            --budget;
        } else if (++scanned == kEmptySlotsPerUnit) {
            scanned = 0;
            --budget;
        }
        ++teardown_cursor_;
    }
    return true;
}

} // namespace vesta
