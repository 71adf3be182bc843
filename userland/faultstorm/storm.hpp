// userland/faultstorm/storm.hpp — the storm itself: a client streams writes
// through a loop-back serial device (drivers/tests/loop_device.hpp) while
// its driver is made to crash inside a write, or is killed between writes,
// `count` times; every write's outcome is checked against what reached the
// device (docs/userland.md, "Supervision").
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <user/device.hpp>
#include <vesta/ipc/syscall_transport.hpp>

namespace faultstorm {

using Device = vesta::user::Device<vesta::ipc::SyscallTransport>;

struct Figures {
    uint64_t restarts = 0; // the device came back after its driver's end
    uint64_t crashes = 0;  // ends by the fault injected inside a write
    uint64_t kills = 0;    // ends by procmgr.kill between writes
    uint64_t writes = 0;   // writes made
    uint64_t bytes_acknowledged = 0;
    uint64_t failed_writes = 0;             // writes reported failed (PeerGone, InvalidCapability)
    uint64_t bytes_failed = 0;              // the bytes those writes asked for
    uint64_t bytes_of_failed_on_device = 0; // of those, the prefix that reached the device before the crash
    uint64_t restart_total_us = 0;          // from the failure seen to the device open again, summed
    uint64_t restart_worst_us = 0;
    uint64_t problems = 0; // checks that failed (each printed)
};

struct StormSetup {
    vesta::ipc::SyscallTransport* transport = nullptr;
    uint64_t procmgr = vesta::kNoSlot;
    uint64_t devmgr = vesta::kNoSlot;
    Device* device = nullptr;             // the device under fire, open
    uint8_t* page = nullptr;              // its loop-back page
    uint64_t write_page = vesta::kNoSlot; // a page of the client's for the bytes it writes
    uint8_t* write_bytes = nullptr;
    uint64_t counter_hz = 0;
    uint64_t seed = 1;
};

// Runs `count` driver ends. Returns the figures; problems > 0 means a check failed.
Figures run_storm(const StormSetup& setup, uint64_t count);

// Microseconds of the guest's clock (the cycle counter at counter_hz).
uint64_t now_us(uint64_t counter_hz);

} // namespace faultstorm
