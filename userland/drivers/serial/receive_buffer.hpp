// userland/drivers/serial/receive_buffer.hpp — the bytes a serial port has
// received and no reader has taken yet: a ring of kCapacity bytes that
// counts what it had to drop.
//
// Contract: bytes come out in the order they went in. When the ring is full,
// arriving bytes are dropped (the oldest are kept: what a reader sees is a
// prefix of what was typed, with a gap at the end, never a reordering) and
// counted in dropped(); nothing is lost silently.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::serial {

class ReceiveBuffer {
public:
    static constexpr size_t kCapacity = 1024;

    // Store `length` bytes; returns how many fit (the rest are counted as dropped).
    size_t push(const uint8_t* bytes, size_t length) {
        size_t stored = 0;
        for (; stored < length && count_ < kCapacity; ++stored) {
            ring_[(head_ + count_) % kCapacity] = bytes[stored];
            ++count_;
        }
        dropped_ += length - stored;
        return stored;
    }

    // Copy up to `max` bytes from the front into `out` without taking them.
    size_t peek(uint8_t* out, size_t max) const {
        const size_t n = count_ < max ? count_ : max;
        for (size_t i = 0; i < n; ++i) out[i] = ring_[(head_ + i) % kCapacity];
        return n;
    }

    // Take `n` bytes from the front. Contract: n <= size().
    void consume(size_t n) {
        head_ = (head_ + n) % kCapacity;
        count_ -= n;
    }

    size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }
    // Bytes dropped since the port started because the ring was full.
    uint64_t dropped() const { return dropped_; }

private:
    uint8_t ring_[kCapacity] = {};
    size_t head_ = 0;
    size_t count_ = 0;
    uint64_t dropped_ = 0;
};

} // namespace vesta::serial
