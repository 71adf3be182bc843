// userland/usrinit/drivers.hpp — starting the drivers of the initramfs's
// drivers/ directory (docs/userland.md, "usrinit").
//
// For each entry, in the order fs::readdir lists them: procmgr.new_process,
// devloader.load_path of /drivers/NAME (sysinit loads the image from its
// initramfs, grants exactly what the driver's manifest names, and
// supervises the driver: it restarts it as its manifest's restart policy
// says), procmgr.grant of usrinit's Console at kDriverConsoleSlot (a driver
// has no standard slots; with the Console it can log, and the console's
// driver reads the kernel log: docs/writing-a-driver.md; sysinit repeats
// the grant at each restart), procmgr.start. A driver the loader refuses
// (its manifest, or a device it names that this machine lacks) is reported,
// its process killed, and the next one started. After each start usrinit
// waits (up to kRegisterTicks) for the driver to register a device (a
// dev::serial port, a dev::console or a dev::keyboard), so devices are
// numbered in the order the drivers are started, whatever the scheduler
// does: serial0 is the first port of the first driver that has one (and
// keeps that name when its driver is restarted).
#pragma once

#include "services.hpp"

namespace usrinit {

inline constexpr char kDriverDirectory[] = "/drivers";
// The last slot of a process's cspace (sysinit gives each 256): never one a
// manifest's `_` entries get, and no driver of ours names it.
inline constexpr uint64_t kDriverConsoleSlot = 255;
inline constexpr uint64_t kRegisterTicks = 500; // 5 s: a driver's start under TCG takes well under 1 s

// Returns how many drivers were started.
size_t start_drivers(const Services& services);

} // namespace usrinit
