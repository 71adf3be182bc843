// userland/drivers/tests/crashstart.hpp — what crashstart (crashstart.cpp)
// and svctest's supervision tests agree on.
#pragma once

#include <stdint.h>

namespace crashstart {

inline constexpr uint64_t kCountSlot = 254;         // a page whose first u64 counts the starts
inline constexpr uint32_t kInterface = 0x5e7d'0c5a; // the device it registers
inline constexpr uint64_t kStartsUntilGivenUp = 4;  // the first start and 3 restarts

} // namespace crashstart
