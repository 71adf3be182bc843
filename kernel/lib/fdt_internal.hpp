// fdt_internal.hpp — shared by the fdt*.cpp files only: token values, and
// the string helpers of lib/string.hpp under the names the reader uses.
#pragma once

#include <lib/fdt.hpp>
#include <lib/string.hpp>
#include <lib/utility.hpp>

namespace vesta::fdt {

inline constexpr uint32_t kTokenBeginNode = 1;
inline constexpr uint32_t kTokenEndNode = 2;
inline constexpr uint32_t kTokenProperty = 3;
inline constexpr uint32_t kTokenNop = 4;
inline constexpr uint32_t kTokenEnd = 9;

// Four bytes of the blob in memory order (any alignment).
inline uint32_t load_word(const uint8_t* bytes) {
    uint32_t word;
    __builtin_memcpy(&word, bytes, sizeof(word));
    return word;
}
// Whether any byte of `word` is zero (in either byte order).
inline constexpr bool has_zero_byte(uint32_t word) { return ((word - 0x01010101u) & ~word & 0x80808080u) != 0; }

using vesta::equals_bytes;
using vesta::string_length;
using vesta::strings_equal;

} // namespace vesta::fdt
