// userland/sysinit/badges.hpp — how sysinit tells its callers apart: every
// capability to its one endpoint carries a badge naming a service (or an
// open file, or a process's faults) and the client it was minted for
// (docs/userland.md, "Badges").
//
// Layout: bits 32-39 the kind, bits 0-31 the id. For the services the id is
// the pid of the process the capability was minted for (a process that
// passes its capability on passes its identity with it); for a file, the
// open-file table's index and a generation (File); for faults, the pid.
// Badge 0 is sysinit's own unbadged capability: nothing calls through it.
#pragma once

#include <stdint.h>

namespace sysinit {

enum class BadgeKind : uint8_t {
    None = 0,
    Filesystem = 1,     // fs::fs
    ProcessManager = 2, // sys::procmgr
    DeviceRegistry = 3, // sys::devregistry (the id is the registering driver's pid)
    DeviceManager = 4,  // sys::devmgr
    DriverLoader = 5,   // sys::devloader
    File = 6,           // io::file of one open file
    Fault = 7,          // the fault endpoint of a process sysinit started
};

constexpr uint64_t make_badge(BadgeKind kind, uint32_t id) { return uint64_t{static_cast<uint8_t>(kind)} << 32 | id; }
constexpr BadgeKind badge_kind(uint64_t badge) {
    const uint64_t kind = badge >> 32;
    return kind <= static_cast<uint8_t>(BadgeKind::Fault) ? static_cast<BadgeKind>(kind) : BadgeKind::None;
}
constexpr uint32_t badge_id(uint64_t badge) { return static_cast<uint32_t>(badge); }

} // namespace sysinit
