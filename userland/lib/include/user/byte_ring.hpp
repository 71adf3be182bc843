// userland/lib/include/user/byte_ring.hpp — bytes handed from one thread to
// another of the same address space: a ring with exactly one producer thread
// and one consumer thread. fbcon's keyboard thread and the shell's reader
// thread use it.
//
// Contract: push() and free_space() are called by the producer only, pop()
// by the consumer only; each index is written by one side (release) and read
// by the other (acquire), so no lock is needed and bytes come out in the
// order they went in. push() takes at most free_space() bytes and returns
// how many it took: the producer decides whether to wait for room (fbcon,
// which must not lose keys) or drop the rest (the shell's reader).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::user {

template <uint32_t Capacity>
class ByteRing {
    static_assert(Capacity > 0 && (Capacity & (Capacity - 1)) == 0,
                  "a power of two, so it divides 2^32 and the free-running indices wrap cleanly");

public:
    static constexpr uint32_t kCapacity = Capacity;

    // Producer side.
    size_t free_space() const { return kCapacity - (head_ - __atomic_load_n(&tail_, __ATOMIC_ACQUIRE)); }
    size_t push(const uint8_t* bytes, size_t length) {
        const uint32_t tail = __atomic_load_n(&tail_, __ATOMIC_ACQUIRE);
        size_t n = 0;
        for (; n < length && head_ + n - tail < kCapacity; ++n) ring_[(head_ + n) % kCapacity] = bytes[n];
        __atomic_store_n(&head_, head_ + static_cast<uint32_t>(n), __ATOMIC_RELEASE);
        return n;
    }

    // Consumer side: takes up to `max` bytes.
    size_t pop(uint8_t* out, size_t max) {
        const uint32_t head = __atomic_load_n(&head_, __ATOMIC_ACQUIRE);
        size_t n = 0;
        for (; n < max && tail_ + n != head; ++n) out[n] = ring_[(tail_ + n) % kCapacity];
        __atomic_store_n(&tail_, tail_ + static_cast<uint32_t>(n), __ATOMIC_RELEASE);
        return n;
    }
    bool empty() const { return __atomic_load_n(&head_, __ATOMIC_ACQUIRE) == tail_; }

private:
    uint8_t ring_[kCapacity] = {};
    uint32_t head_ = 0; // written by the producer only (free-running)
    uint32_t tail_ = 0; // written by the consumer only
};

} // namespace vesta::user
