// idlgen/fnv.hpp — FNV-1a, 32 bits: interface ids and protocol error codes
// are the hash of the fully qualified name ("io::file", "io::busy").
#pragma once

#include <cstdint>
#include <string_view>

namespace idlgen {

constexpr uint32_t fnv1a32(std::string_view text) {
    uint32_t hash = 0x811c9dc5u;
    for (char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x01000193u;
    }
    return hash;
}

static_assert(fnv1a32("") == 0x811c9dc5u);
static_assert(fnv1a32("a") == 0xe40c292cu);
static_assert(fnv1a32("foobar") == 0xbf9cf968u);

} // namespace idlgen
