// The C string functions that compilers emit calls to in freestanding code.
// Hosted builds (host tests) use the C library's versions instead; the
// loops are in lib/byte_copy.hpp, which host tests check against them.
#include <lib/byte_copy.hpp>
#include <stddef.h>
#include <stdint.h>

extern "C" {

void* memcpy(void* destination, const void* source, size_t size) {
    vesta::bytes::copy_bytes(destination, source, size);
    return destination;
}

void* memmove(void* destination, const void* source, size_t size) {
    vesta::bytes::move_bytes(destination, source, size);
    return destination;
}

void* memset(void* destination, int value, size_t size) {
    vesta::bytes::fill_bytes(destination, static_cast<unsigned char>(value), size);
    return destination;
}

int memcmp(const void* a, const void* b, size_t size) {
    auto* x = static_cast<const unsigned char*>(a);
    auto* y = static_cast<const unsigned char*>(b);
    for (; size; --size, ++x, ++y) {
        if (*x != *y) return *x < *y ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char* string) {
    size_t length = 0;
    while (string[length]) ++length;
    return length;
}

} // extern "C"
