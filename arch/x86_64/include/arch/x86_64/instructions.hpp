// arch/x86_64/include/arch/x86_64/instructions.hpp — the privileged and
// identification instructions the x86_64 loader and kernel both use, written
// once: MSRs, the TSC, CPUID, port I/O (Intel SDM vol. 2).
#pragma once

#include <stdint.h>

namespace vesta::x86_64 {

inline uint64_t read_msr(uint32_t msr) {
    uint32_t low, high;
    asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
    return uint64_t{high} << 32 | low;
}
inline void write_msr(uint32_t msr, uint64_t value) {
    asm volatile("wrmsr" ::"c"(msr), "a"(static_cast<uint32_t>(value)), "d"(static_cast<uint32_t>(value >> 32)));
}

inline uint64_t read_tsc() {
    uint32_t low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return uint64_t{high} << 32 | low;
}

struct Cpuid {
    uint32_t eax, ebx, ecx, edx;
};
inline Cpuid cpuid(uint32_t leaf, uint32_t subleaf = 0) {
    Cpuid r{};
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

inline void outb(uint16_t port, uint8_t value) { asm volatile("outb %0, %1" ::"a"(value), "Nd"(port)); }
inline uint8_t inb(uint16_t port) {
    uint8_t value;
    asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

inline constexpr uint32_t kMsrApicBase = 0x1b;
inline constexpr uint32_t kMsrEfer = 0xc0000080;

} // namespace vesta::x86_64
