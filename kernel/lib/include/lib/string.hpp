// lib/string.hpp — comparing NUL-terminated strings, for freestanding code
// (loader, kernel, userland) and host tests alike; written once here instead
// of once per parser.
#pragma once

#include <stddef.h>

namespace vesta {

constexpr size_t string_length(const char* text) {
    size_t length = 0;
    while (text[length] != 0) ++length;
    return length;
}

constexpr bool strings_equal(const char* a, const char* b) {
    while (*a != 0 && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}

// Whether the NUL-terminated `text` equals the `length` bytes at `bytes`
// (which need not be NUL-terminated).
constexpr bool equals_bytes(const char* text, const char* bytes, size_t length) {
    for (size_t i = 0; i < length; ++i)
        if (text[i] != bytes[i] || text[i] == 0) return false;
    return text[length] == 0;
}

constexpr bool starts_with(const char* text, const char* prefix) {
    for (size_t i = 0; prefix[i] != 0; ++i)
        if (text[i] != prefix[i]) return false;
    return true;
}

} // namespace vesta
