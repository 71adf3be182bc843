// vesta/ipc/codec.hpp — how scalar values travel in message words.
//
// Every scalar takes one 64-bit word: unsigned integers zero-extended, signed
// integers sign-extended, bool as 0 or 1, enums as their underlying value.
// Decoding is checked: a word that no value of the type encodes to (a u8
// above 255, a bool of 2, an undeclared enumerator) is rejected, so a
// receiver never sees a value outside its declared type.
#pragma once

#include <stdint.h>

namespace vesta::ipc {

// Specialised by generated code for each IDL enum: valid(value) is true for
// exactly the declared enumerators.
template <class E>
struct EnumTraits;

namespace detail {

template <class T>
constexpr bool is_signed_integer = static_cast<T>(-1) < static_cast<T>(0);

template <class T>
constexpr uint64_t encode_integer(T value) {
    if constexpr (is_signed_integer<T>) {
        return static_cast<uint64_t>(static_cast<int64_t>(value));
    } else {
        return static_cast<uint64_t>(value);
    }
}

template <class T>
constexpr bool decode_integer(uint64_t word, T& out) {
    T value = static_cast<T>(word);
    if (encode_integer(value) != word) return false;
    out = value;
    return true;
}

} // namespace detail

template <class T>
constexpr uint64_t encode(T value) {
    if constexpr (__is_enum(T)) {
        return detail::encode_integer(static_cast<__underlying_type(T)>(value));
    } else if constexpr (__is_same(T, bool)) {
        return value ? 1 : 0;
    } else {
        return detail::encode_integer(value);
    }
}

// Decode word into out; false (out untouched) when no value of T encodes to word.
template <class T>
constexpr bool decode(uint64_t word, T& out) {
    if constexpr (__is_enum(T)) {
        __underlying_type(T) raw{};
        if (!detail::decode_integer(word, raw)) return false;
        if (!EnumTraits<T>::valid(static_cast<T>(raw))) return false;
        out = static_cast<T>(raw);
        return true;
    } else if constexpr (__is_same(T, bool)) {
        if (word > 1) return false;
        out = word == 1;
        return true;
    } else {
        return detail::decode_integer(word, out);
    }
}

} // namespace vesta::ipc
