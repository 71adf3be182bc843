// platform/armctrl.hpp — the BCM2835 interrupt controller ("armctrl",
// brcm,bcm2836-armctrl-ic) as registers and IrqControl lines: the arithmetic
// the kernel's driver (arch/aarch64/kernel/interrupt_controller.cpp) uses,
// kept here, free of MMIO, so host tests check it (BCM2835 ARM Peripherals,
// chapter 7; the line numbering is devicetree_platform.hpp's).
//
// Three register sets, each a pending, an enable and a disable word: set 0
// the 8 ARM interrupts ("basic"), set 1 GPU interrupts 0-31, set 2 GPU
// interrupts 32-63. The basic pending register also says that sets 1 and 2
// have more pending (bits 8 and 9) and repeats 11 GPU interrupts (bits
// 10-20: GPU 7, 9, 10, 18, 19, 53-57, 62), which bits 8 and 9 leave out.
// The pending words show every source, enabled or not.
#pragma once

#include <platform/devicetree_platform.hpp>
#include <stdint.h>

namespace vesta::platform::armctrl {

inline constexpr uint32_t kPending[3] = {0x00, 0x04, 0x08};
inline constexpr uint32_t kEnable[3] = {0x18, 0x10, 0x14};
inline constexpr uint32_t kDisable[3] = {0x24, 0x1c, 0x20};
inline constexpr uint32_t kFiqControl = 0x0c;
inline constexpr uint32_t kRegisterBytes = 0x28;
inline constexpr uint32_t kSetLines[3] = {0xff, 0xffffffff, 0xffffffff}; // the bits with a source
// Basic pending bits that mean "read pending register 1 / 2".
inline constexpr uint32_t kBasicMore[3] = {0, (1u << 8) | (0x1fu << 10), (1u << 9) | (0x3fu << 15)};

// The register set and bit of IrqControl `line`; false for a line with no
// source (below 32, 40-63, 128 and up).
constexpr bool line_bit(uint32_t line, uint32_t& set, uint32_t& bit) {
    if (line < kArmctrlFirstLine || line >= kArmctrlFirstLine + kArmctrlLines) return false;
    set = (line - kArmctrlFirstLine) / 32;
    bit = (line - kArmctrlFirstLine) % 32;
    return (kSetLines[set] >> bit) & 1;
}

// Whether the basic pending word says to read set 1's or set 2's pending word.
constexpr bool more_in(uint32_t basic, uint32_t set) { return set > 0 && set < 3 && (basic & kBasicMore[set]) != 0; }

// The first line, in line order, pending and enabled, given the pending words
// read (set 0's from the basic word; a set not read counts as 0) and the
// enabled bits; false when there is none.
constexpr bool first_line(const uint32_t (&pending)[3], const uint32_t (&enabled)[3], uint32_t& line) {
    for (uint32_t set = 0; set < 3; ++set) {
        const uint32_t ready = pending[set] & enabled[set] & kSetLines[set];
        if (ready == 0) continue;
        line = kArmctrlFirstLine + 32 * set + static_cast<uint32_t>(__builtin_ctz(ready));
        return true;
    }
    return false;
}

} // namespace vesta::platform::armctrl
