// fdt_internal.hpp — shared by the fdt*.cpp files only: token values and the
// few string helpers the reader needs without a C library.
#pragma once

#include <lib/fdt.hpp>
#include <lib/utility.hpp>

namespace vesta::fdt {

inline constexpr uint32_t kTokenBeginNode = 1;
inline constexpr uint32_t kTokenEndNode = 2;
inline constexpr uint32_t kTokenProperty = 3;
inline constexpr uint32_t kTokenNop = 4;
inline constexpr uint32_t kTokenEnd = 9;

inline size_t string_length(const char* text) {
    size_t length = 0;
    while (text[length] != 0) ++length;
    return length;
}

inline bool strings_equal(const char* a, const char* b) {
    while (*a != 0 && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}

// Whether the NUL-terminated `text` equals the `length` bytes at `bytes`.
inline bool equals_bytes(const char* text, const char* bytes, size_t length) {
    for (size_t i = 0; i < length; ++i) {
        if (text[i] != bytes[i] || text[i] == 0) return false;
    }
    return text[length] == 0;
}

} // namespace vesta::fdt
