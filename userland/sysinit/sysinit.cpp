// userland/sysinit/sysinit.cpp — the endpoint, badged copies and slots
// sysinit's parts share (sysinit.hpp).
#include "sysinit.hpp"

namespace sysinit {

using namespace vesta;
using namespace vesta::user;

uint64_t service_endpoint = kNoSlot;
uint64_t reserved_base = 0;

namespace {

uint64_t filler = kNoSlot; // the Notification whose rightless copies fill the reserved slots

bool reserved(uint64_t slot) {
    return slot != kNoSlot && slot >= reserved_base && slot < reserved_base + kReservedSlots;
}

void fill(uint64_t slot) { invoke(runtime.cspace, CapabilitySpaceLabel::Copy, slot, filler, 0, 0); }

} // namespace

Result<uint64_t> mint(uint64_t badge, uint8_t rights_mask) {
    const InvokeResult copy =
        invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, service_endpoint, rights_mask, badge);
    if (copy.error != Error::None) return copy.error;
    return copy.words[0];
}

void drop(uint64_t slot) {
    if (slot == kNoSlot) return;
    invoke(runtime.cspace, CapabilitySpaceLabel::Delete, slot);
    if (reserved(slot) && filler != kNoSlot) fill(slot);
}

uint64_t free_pages() { return invoke(runtime.memory, MemoryLabel::Info).words[1]; }

Error move_capability(uint64_t from, uint64_t to) {
    if (reserved(to)) invoke(runtime.cspace, CapabilitySpaceLabel::Delete, to); // its filler
    const Error error = invoke(runtime.cspace, CapabilitySpaceLabel::Move, to, from).error;
    if (error != Error::None && reserved(to) && filler != kNoSlot) fill(to);
    return error;
}

Error copy_capability(uint64_t from, uint64_t to) {
    if (reserved(to)) invoke(runtime.cspace, CapabilitySpaceLabel::Delete, to); // its filler
    const Error error = invoke(runtime.cspace, CapabilitySpaceLabel::Copy, to, from, rights::kAll, 0).error;
    if (error != Error::None && reserved(to) && filler != kNoSlot) fill(to);
    return error;
}

Error fill_reserved_slots() {
    if (const Error e = create(ObjectType::Notification, 0, &filler); e != Error::None) return e;
    for (uint64_t slot = reserved_base; slot < reserved_base + kReservedSlots; ++slot) fill(slot);
    return Error::None;
}

void refill_reserved_slots() {
    for (uint64_t slot = reserved_base; slot < reserved_base + kReservedSlots; ++slot)
        if (invoke(runtime.cspace, CapabilitySpaceLabel::Info, slot).error != Error::None) fill(slot);
}

bool holds_filler(uint64_t slot) {
    const InvokeResult info = invoke(runtime.cspace, CapabilitySpaceLabel::Info, slot);
    return info.error != Error::None ||
           (info.words[0] == static_cast<uint64_t>(ObjectType::Notification) && info.words[1] == 0);
}

} // namespace sysinit
