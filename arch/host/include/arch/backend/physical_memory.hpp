// Host backend: "physical memory" is a host buffer placed at a fake physical
// base by the test fixture (test/unit/kernel/kernel_fixture.hpp).
#pragma once

#include <stdint.h>

namespace vesta::arch {

namespace host {
inline uint8_t* memory_base = nullptr; // host address of physical_base
inline uint64_t physical_base = 0;
inline uint64_t memory_size = 0;
} // namespace host

inline void* physical_to_virtual(uint64_t physical) { return host::memory_base + (physical - host::physical_base); }
inline uint64_t virtual_to_physical(const void* kernel_pointer) {
    return static_cast<uint64_t>(static_cast<const uint8_t*>(kernel_pointer) - host::memory_base) + host::physical_base;
}

} // namespace vesta::arch
