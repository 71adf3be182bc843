// userland/usrinit/drivers.hpp — starting the drivers of the initramfs's
// drivers/ directory (docs/userland.md, "usrinit").
//
// For each entry, in the order fs::readdir lists them: stat and read the
// image through fs into a Page of usrinit's, procmgr.new_process,
// devloader.load (which grants exactly what the driver's manifest names),
// procmgr.start. A driver the loader refuses (its manifest, or a device it
// names that this machine lacks) is reported, its process killed, and the
// next one started. After each start usrinit waits (up to kRegisterTicks)
// for the driver to register a serial port, so serial ports are numbered in
// the order the drivers are started, whatever the scheduler does: serial0
// is the first port of the first driver that has one.
#pragma once

#include "services.hpp"

namespace usrinit {

inline constexpr char kDriverDirectory[] = "/drivers";
inline constexpr uint64_t kRegisterTicks = 500; // 5 s: a driver's start under TCG takes well under 1 s

// Returns how many drivers were started.
size_t start_drivers(const Services& services);

} // namespace usrinit
