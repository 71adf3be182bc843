// userland/svctest/svctest.hpp — what svctest (the test of sysinit's
// services, started with usrinit=svctest) and its two helper programs agree
// on (docs/userland.md, "Testing the services").
#pragma once

#include <stdint.h>

namespace svctest {

// svcchild: a plain process svctest starts through procmgr. It receives
// commands on the endpoint procmgr.grant put in kCommandSlot; until one
// comes it stays blocked there (a process to kill).
inline constexpr uint64_t kCommandSlot = 8;
inline constexpr uint64_t kCommandExit = 1;  // word 0: the exit status
inline constexpr uint64_t kCommandFault = 2; // a write to kFaultAddress
inline constexpr uint64_t kFaultAddress = 0xdead0000;

// svcdev: a driver svctest loads through devloader. It registers its
// endpoint (manifest slot 0) with sys::devregistry under
// kDeviceInterface, then waits on its notification (slot 1) forever and
// never receives: a caller of its endpoint stays queued until the driver's
// pool dies.
inline constexpr uint32_t kDeviceInterface = 0x5e7d'0001;

} // namespace svctest
