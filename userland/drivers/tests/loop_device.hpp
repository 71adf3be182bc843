// userland/drivers/tests/loop_device.hpp — the loop-back serial device of
// the fault-injection test (userland/faultstorm, docs/userland.md
// "Supervision"): what the serialloop driver and the test agree on.
//
// The "UART" is a Page the test creates from its own pool and grants to the
// driver (procmgr.grant at kDeviceSlot; the supervisor repeats the grant at
// each restart), so it survives every crash of the driver. The driver's
// transmitter stores each byte at ring[transmitted % kRingBytes] and then
// advances `transmitted` (a release store): a byte has reached the device
// exactly when `transmitted` counts it. The test reads both to check, after
// every write, how many bytes reached the device and which.
//
// Fault injection: when `crash_after` is N > 0, the driver counts it down
// once per byte it is about to transmit; at 1 it stores 0, counts a crash
// and writes to address 0 (a page fault) before transmitting that byte — a
// crash at a chosen point inside a write, with the bytes before it sent.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace loopdev {

inline constexpr uint64_t kDeviceSlot = 254; // in the driver; the Console is at 255
inline constexpr size_t kPages = 4;

struct Registers {
    volatile uint64_t transmitted; // bytes that reached the device
    volatile uint64_t crash_after; // 0: no crash planned
    volatile uint64_t crashes;     // crashes the driver injected
    uint64_t reserved[5];
};
inline constexpr size_t kRingOffset = sizeof(Registers);
inline constexpr size_t kRingBytes = kPages * 4096 - kRingOffset;

inline Registers& registers(uint8_t* page) { return *reinterpret_cast<Registers*>(page); }
inline uint8_t* ring(uint8_t* page) { return page + kRingOffset; }

} // namespace loopdev
