// userland/sysinit/sysinit.cpp — the endpoint, badged copies and slots
// sysinit's parts share (sysinit.hpp).
#include "sysinit.hpp"

namespace sysinit {

using namespace vesta;
using namespace vesta::user;

uint64_t service_endpoint = kNoSlot;
uint64_t reserved_base = 0;

Result<uint64_t> mint(uint64_t badge, uint8_t rights_mask) {
    const InvokeResult copy =
        invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, service_endpoint, rights_mask, badge);
    if (copy.error != Error::None) return copy.error;
    return copy.words[0];
}

void drop(uint64_t slot) {
    if (slot != kNoSlot) invoke(runtime.cspace, CapabilitySpaceLabel::Delete, slot);
}

uint64_t free_pages() { return invoke(runtime.memory, MemoryLabel::Info).words[1]; }

Error move_capability(uint64_t from, uint64_t to) {
    return invoke(runtime.cspace, CapabilitySpaceLabel::Move, to, from).error;
}

} // namespace sysinit
