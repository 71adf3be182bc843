// lib/kernel_stack.hpp — a kernel stack's bounds, its guard page, and the
// paint that measures how deep it was ever used. Shared by the backends
// (arch/*/kernel/kernel_stacks.*) and host-tested.
//
// Contract: a stack is [bottom, top), page-aligned, growing down; the page
// just below `bottom` (the guard page) is never mapped, so running off the
// bottom faults there. A painted stack was filled with kStackPaint before
// first use; the lowest word that no longer holds it marks the deepest use.
#pragma once

#include <stdint.h>

namespace vesta {

inline constexpr uint64_t kStackGuardSize = 4096;
inline constexpr uint64_t kStackPaint = 0x6b617473'6e726b76; // "vkrnstak" in memory

struct KernelStack {
    uint64_t bottom = 0;
    uint64_t top = 0;

    uint64_t size() const { return top - bottom; }
    bool contains(uint64_t address) const { return address >= bottom && address < top; }
    // Whether `address` is in the unmapped page below the stack.
    bool guard_contains(uint64_t address) const {
        return bottom >= kStackGuardSize && address >= bottom - kStackGuardSize && address < bottom;
    }
    // Whether a fault at `fault_address`, taken with the stack pointer at
    // `stack_pointer`, is this stack running off its bottom: the stack
    // pointer is in the guard page, or the fault is while the stack pointer
    // is within a page of it. (No frame is larger than half a guard page, so
    // a real overflow always looks like this; a stray access to the guard page
    // from elsewhere does not.)
    bool overflowed(uint64_t fault_address, uint64_t stack_pointer) const {
        return guard_contains(stack_pointer) ||
               (guard_contains(fault_address) && stack_pointer >= bottom && stack_pointer - bottom < kStackGuardSize);
    }
};

// Bytes of a painted stack ever used: from `top` down to the lowest word that
// lost the paint (0 when every word still holds it). Reads the whole unused part.
inline uint64_t painted_stack_used(const KernelStack& stack) {
    const auto* word = reinterpret_cast<const volatile uint64_t*>(stack.bottom);
    const auto* end = reinterpret_cast<const volatile uint64_t*>(stack.top);
    while (word < end && *word == kStackPaint) ++word;
    return stack.top - reinterpret_cast<uint64_t>(word);
}

} // namespace vesta
