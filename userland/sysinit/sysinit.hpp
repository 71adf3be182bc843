// userland/sysinit/sysinit.hpp — what sysinit's parts share: the endpoint
// every service is reached through, minting badged capabilities to it, and
// its log lines (docs/userland.md).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <user/runtime.hpp>

#include "badges.hpp"

namespace sysinit {

using vesta::Error;

// sysinit's endpoint (created at start-up; every service receives on it).
extern uint64_t service_endpoint;

// A copy of the service endpoint with `badge` and `rights`, in a free slot of
// sysinit's cspace. Errors: CapabilitySpace.Copy's.
vesta::Result<uint64_t> mint(uint64_t badge, uint8_t rights = vesta::rights::kWrite | vesta::rights::kGrant);

// Deletes a capability of sysinit's cspace (kNoSlot: nothing).
void drop(uint64_t slot);

// Slots reserved for capabilities that sysinit keeps but other pools pay
// for (drivers' device endpoints, capabilities granted to a process before
// it starts). Such a capability dies when its pool does and its slot
// empties; a slot in these ranges is filled only by a Move or Copy to that
// exact index for that exact record, or by a filler (below), so it never
// comes back holding something else the record would then hand out.
inline constexpr size_t kReservedDeviceSlots = 64;
inline constexpr size_t kReservedHeldSlots = 256;
// The supervisor's copies of what drivers were granted before their first
// start (repeated at each restart; supervision.hpp).
inline constexpr size_t kReservedSupervisedSlots = 64;
inline constexpr size_t kReservedSlots = kReservedDeviceSlots + kReservedHeldSlots + kReservedSupervisedSlots;
// Set at start-up from the cspace's size; reserved slots are the last
// kReservedSlots.
extern uint64_t reserved_base;
inline uint64_t device_slot(size_t index) { return reserved_base + index; }
inline uint64_t held_slot(size_t index) { return reserved_base + kReservedDeviceSlots + index; }
inline uint64_t supervised_slot(size_t index) {
    return reserved_base + kReservedDeviceSlots + kReservedHeldSlots + index;
}
// Moves a capability to `to` (an empty slot, or a reserved one) in sysinit's cspace.
vesta::Error move_capability(uint64_t from, uint64_t to);
// Copies a capability (its rights and badge) to `to` (as move_capability).
vesta::Error copy_capability(uint64_t from, uint64_t to);

// The kernel hands out the most recently emptied slot first (kAnySlot), so
// an emptied reserved slot would be the next one sysinit's own copies and
// received capabilities land in. Reserved slots are therefore never left
// empty: a rightless copy of one Notification (a filler) stands in every
// reserved slot that holds nothing. drop() of a reserved slot puts a filler
// back; move_capability/copy_capability take it out first. A capability of
// a reserved slot that died with its pool leaves the slot empty until
// refill_reserved_slots(), which sysinit calls after every process end (the
// moment pools die). Between an object's death outside a process end (its
// owner deleted it) and the next end, the slot can still be taken.
vesta::Error fill_reserved_slots(); // once, at start-up
void refill_reserved_slots();
// The slot holds a filler or nothing (what was kept there died).
bool holds_filler(uint64_t slot);

// The free pages of sysinit's own pool (runtime.memory), the figure a
// supervisor checks when every page must return.
uint64_t free_pages();

// One log line, "sysinit: " + the formatted text + "\n".
template <class... Args>
void log(const char* pattern, const Args&... args) {
    char buffer[240];
    vesta::BufferSink sink(buffer, sizeof(buffer));
    vesta::format(sink, pattern, args...);
    vesta::user::print("sysinit: {}\n", static_cast<const char*>(buffer));
}

} // namespace sysinit
