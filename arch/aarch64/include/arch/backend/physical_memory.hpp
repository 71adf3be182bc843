// aarch64 backend: physical memory is reached through the loader's direct map (TTBR1).
#pragma once

#include <stdint.h>
#include <vesta/boot_info.hpp>

namespace vesta::arch {

inline void* physical_to_virtual(uint64_t physical) { return reinterpret_cast<void*>(boot::kDirectMapBase + physical); }
inline uint64_t virtual_to_physical(const void* kernel_pointer) {
    return reinterpret_cast<uint64_t>(kernel_pointer) - boot::kDirectMapBase;
}

} // namespace vesta::arch
