// lib/utility.hpp — the few standard-library pieces freestanding code needs.
//
// Vesta's freestanding images (loader, kernel, userland) have no C++ standard
// library; these helpers stand in for <utility>, <type_traits> and <bit>.
// They compile identically in hosted builds (host tests), without clashing
// with the standard library because they live in namespace vesta.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta {

template <class T>
struct remove_reference {
    using type = T;
};
template <class T>
struct remove_reference<T&> {
    using type = T;
};
template <class T>
struct remove_reference<T&&> {
    using type = T;
};
template <class T>
using remove_reference_t = typename remove_reference<T>::type;

template <class T>
constexpr remove_reference_t<T>&& move(T&& value) noexcept {
    return static_cast<remove_reference_t<T>&&>(value);
}
template <class T>
constexpr T&& forward(remove_reference_t<T>& value) noexcept {
    return static_cast<T&&>(value);
}
template <class T>
constexpr void swap(T& a, T& b) noexcept {
    T tmp = move(a);
    a = move(b);
    b = move(tmp);
}

template <class A, class B>
inline constexpr bool is_same_v = false;
template <class A>
inline constexpr bool is_same_v<A, A> = true;
template <class A, class B>
concept same_as = is_same_v<A, B> && is_same_v<B, A>;

template <class T>
constexpr const T& min(const T& a, const T& b) {
    return b < a ? b : a;
}
template <class T>
constexpr const T& max(const T& a, const T& b) {
    return a < b ? b : a;
}

constexpr bool is_power_of_two(uint64_t value) { return value && !(value & (value - 1)); }

// Round down/up to a power-of-two alignment. align_up wraps to 0 on overflow;
// callers that care use checked_align_up.
constexpr uint64_t align_down(uint64_t value, uint64_t alignment) { return value & ~(alignment - 1); }
constexpr uint64_t align_up(uint64_t value, uint64_t alignment) { return (value + alignment - 1) & ~(alignment - 1); }
constexpr bool is_aligned(uint64_t value, uint64_t alignment) { return (value & (alignment - 1)) == 0; }
// Overflow-checked arithmetic: return false (leaving *out unspecified) when
// the exact result does not fit in 64 bits.
constexpr bool checked_add(uint64_t a, uint64_t b, uint64_t* out) { return !__builtin_add_overflow(a, b, out); }
constexpr bool checked_mul(uint64_t a, uint64_t b, uint64_t* out) { return !__builtin_mul_overflow(a, b, out); }
// [first, first + count) lies inside [outer_first, outer_first + outer_count)
// and neither end wraps: the one range check for user-supplied numbers.
constexpr bool within_range(uint64_t first, uint64_t count, uint64_t outer_first, uint64_t outer_count) {
    uint64_t end = 0, outer_end = 0;
    if (!checked_add(first, count, &end) || !checked_add(outer_first, outer_count, &outer_end)) return false;
    return first >= outer_first && end <= outer_end;
}
constexpr bool checked_align_up(uint64_t value, uint64_t alignment, uint64_t* out) {
    if (!checked_add(value, alignment - 1, out)) return false;
    *out &= ~(alignment - 1);
    return true;
}

template <class T, size_t N>
constexpr size_t array_size(const T (&)[N]) {
    return N;
}

} // namespace vesta
