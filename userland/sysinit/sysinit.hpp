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
// empties; a slot in these ranges is filled only by a Move to that exact
// index for that exact record, so it never comes back holding something
// else (a free slot elsewhere is reused by the next capability sysinit
// makes). kAnySlot never reaches them: sysinit's other capabilities stay
// far below (each process costs it at most about 60 slots; see
// docs/userland.md).
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
// Moves a capability to `to` (an empty slot) in sysinit's cspace.
vesta::Error move_capability(uint64_t from, uint64_t to);

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
