// userland/drivers/fbcon/input_ring.hpp — the bytes fbcon's keyboard thread
// has read and its serving thread has not yet taken: a ring with exactly
// one producer thread and one consumer thread of the same address space.
//
// Contract: push() is called by the producer only, pop() by the consumer
// only; each index is written by one side (release) and read by the other
// (acquire), so no lock is needed and bytes come out in the order they went
// in. The ring never drops: push() takes at most free_space() bytes, and
// the producer waits (on a notification the consumer signals after taking
// bytes) while it is full, so the keyboard driver keeps what was typed.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace fbcon {

class InputRing {
public:
    static constexpr uint32_t kCapacity = 256;

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
    uint32_t head_ = 0; // written by the producer only (free-running; kCapacity divides 2^32)
    uint32_t tail_ = 0; // written by the consumer only
};

static_assert((uint64_t{1} << 32) % InputRing::kCapacity == 0);

} // namespace fbcon
