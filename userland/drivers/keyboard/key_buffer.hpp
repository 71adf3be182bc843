// userland/drivers/keyboard/key_buffer.hpp — the keys typed that no reader
// has taken yet: a ring of kCapacity bytes that remembers where each key's
// sequence starts, so a reader is given whole keys only.
//
// Contract: keys come out in the order they went in, each whole. A key
// whose bytes do not all fit is refused whole (push returns false; the
// caller counts it): what a reader sees is a prefix of what was typed, never
// a key cut in two or a reordering.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace keyboard {

class KeyBuffer {
public:
    static constexpr size_t kCapacity = 256;

    // Store one key's `length` bytes (1 or more); false when they do not fit.
    bool push(const uint8_t* bytes, size_t length) {
        if (length == 0 || length > kCapacity - count_) return false;
        for (size_t i = 0; i < length; ++i) {
            const size_t at = (head_ + count_ + i) % kCapacity;
            ring_[at] = bytes[i];
            starts_[at] = i == 0;
        }
        count_ += length;
        return true;
    }

    // Copy the whole keys at the front that fit in `max` bytes into `out`
    // without taking them; returns their length (0 when the first key is
    // longer than `max`, or nothing is stored).
    size_t peek(uint8_t* out, size_t max) const {
        size_t whole = 0;
        for (size_t i = 0; i < count_ && i < max; ++i) {
            out[i] = ring_[(head_ + i) % kCapacity];
            if (i + 1 == count_ || starts_[(head_ + i + 1) % kCapacity]) whole = i + 1;
        }
        return whole;
    }

    // Take `n` bytes from the front. Contract: n <= size() and a value peek returned.
    void consume(size_t n) {
        head_ = (head_ + n) % kCapacity;
        count_ -= n;
    }

    size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }

private:
    uint8_t ring_[kCapacity] = {};
    bool starts_[kCapacity] = {};
    size_t head_ = 0;
    size_t count_ = 0;
};

} // namespace keyboard
