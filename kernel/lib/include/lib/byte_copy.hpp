// lib/byte_copy.hpp — the loops behind the freestanding memcpy, memmove and
// memset (lib/string.cpp), here so host tests can run them beside the C
// library's.
//
// Contract: the same as the C functions (copy_bytes: no overlap; move_bytes:
// any overlap). They move eight bytes at a time where both pointers share
// their alignment modulo 8, and bytes otherwise; they only ever touch the
// bytes they are asked to. Word accesses go through a may_alias type, so no
// object is read through a pointer of the wrong type.
//
// Why not bytes only: the kernel copies the device tree (QEMU virt's is
// 1 MiB) and zeroes every page it hands out; byte loops made that 2-3 M
// instructions of the aarch64 boot.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::bytes {

using Word = uint64_t __attribute__((__may_alias__));
inline constexpr size_t kWord = sizeof(Word);

inline bool co_aligned(const void* a, const void* b) {
    return (reinterpret_cast<uintptr_t>(a) ^ reinterpret_cast<uintptr_t>(b)) % kWord == 0;
}
inline bool aligned(const void* a) { return reinterpret_cast<uintptr_t>(a) % kWord == 0; }

// Forward copy. Safe for overlap only when destination <= source (each
// chunk is read before it is written, and a chunk never reaches past the
// next one's source).
inline void copy_forward(unsigned char* d, const unsigned char* s, size_t size) {
    if (co_aligned(d, s)) {
        for (; size && !aligned(d); --size) *d++ = *s++;
        for (; size >= 4 * kWord; size -= 4 * kWord, d += 4 * kWord, s += 4 * kWord) {
            const Word a = reinterpret_cast<const Word*>(s)[0], b = reinterpret_cast<const Word*>(s)[1];
            const Word c = reinterpret_cast<const Word*>(s)[2], e = reinterpret_cast<const Word*>(s)[3];
            reinterpret_cast<Word*>(d)[0] = a;
            reinterpret_cast<Word*>(d)[1] = b;
            reinterpret_cast<Word*>(d)[2] = c;
            reinterpret_cast<Word*>(d)[3] = e;
        }
        for (; size >= kWord; size -= kWord, d += kWord, s += kWord)
            *reinterpret_cast<Word*>(d) = *reinterpret_cast<const Word*>(s);
    }
    while (size--) *d++ = *s++;
}

// Backward copy from the ends, for destination > source.
inline void copy_backward(unsigned char* d, const unsigned char* s, size_t size) {
    d += size;
    s += size;
    if (co_aligned(d, s)) {
        for (; size && !aligned(d); --size) *--d = *--s;
        for (; size >= kWord; size -= kWord) {
            d -= kWord;
            s -= kWord;
            *reinterpret_cast<Word*>(d) = *reinterpret_cast<const Word*>(s);
        }
    }
    while (size--) *--d = *--s;
}

inline void copy_bytes(void* destination, const void* source, size_t size) {
    copy_forward(static_cast<unsigned char*>(destination), static_cast<const unsigned char*>(source), size);
}

inline void move_bytes(void* destination, const void* source, size_t size) {
    auto* d = static_cast<unsigned char*>(destination);
    const auto* s = static_cast<const unsigned char*>(source);
    if (d <= s) {
        copy_forward(d, s, size);
    } else {
        copy_backward(d, s, size);
    }
}

inline void fill_bytes(void* destination, unsigned char value, size_t size) {
    auto* d = static_cast<unsigned char*>(destination);
    for (; size && !aligned(d); --size) *d++ = value;
    const Word word = Word{value} * 0x0101010101010101ull;
    for (; size >= 4 * kWord; size -= 4 * kWord, d += 4 * kWord) {
        reinterpret_cast<Word*>(d)[0] = word;
        reinterpret_cast<Word*>(d)[1] = word;
        reinterpret_cast<Word*>(d)[2] = word;
        reinterpret_cast<Word*>(d)[3] = word;
    }
    for (; size >= kWord; size -= kWord, d += kWord) *reinterpret_cast<Word*>(d) = word;
    while (size--) *d++ = value;
}

} // namespace vesta::bytes
