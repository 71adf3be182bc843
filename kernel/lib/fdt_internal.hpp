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

using vesta::equals_bytes;
using vesta::string_length;
using vesta::strings_equal;

} // namespace vesta::fdt
