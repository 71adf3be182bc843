// userland/lib/arch/x86_64/faults_arch.hpp — instructions that fault on
// purpose, for the fault tests.
#pragma once

#include <stdint.h>

namespace vesta::user {

inline void privileged_instruction() { asm volatile("hlt"); }
inline void divide_by_zero() {
    uint64_t quotient = 1, remainder = 0, zero = 0;
    asm volatile("divq %2" : "+a"(quotient), "+d"(remainder) : "r"(zero));
}
inline void undefined_instruction() { asm volatile("ud2"); }

} // namespace vesta::user
