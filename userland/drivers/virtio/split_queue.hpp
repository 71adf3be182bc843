// userland/drivers/virtio/split_queue.hpp — the driver's side of one virtio
// split virtqueue (virtio 1.x, 2.7): the descriptor table, the available
// ring the driver fills and the used ring the device fills, in memory both
// share. Portable and host-tested; no device access (the transport tells
// the device where the rings are and notifies it).
//
// Contracts:
// - init() lays the three parts out in `bytes_needed(size)` bytes at
//   `memory` (physical address `physical`, 16-byte aligned), zeroes them and
//   makes every descriptor free. `size` is a power of two, 1 to kMaxSize.
// - add() chains up to `size` buffers (each a physical range the device
//   reads, or writes when `device_writes`) into free descriptors and puts
//   the head in the available ring; publish() makes every chain added so
//   far visible to the device (a release fence, then the ring's index).
// - take_used() hands back the next chain the device finished, with the
//   byte count it wrote, and frees its descriptors. Nothing the device
//   writes is trusted: a used index that runs ahead by more chains than are
//   in flight, an id that is not the head of a chain in flight, or a length
//   beyond the chain's writable bytes makes the queue broken — take_used()
//   returns Broken from then on, add() refuses, and nothing is read or
//   freed twice. Chains are followed in the driver's own copy of the links,
//   never through the descriptor table the device could rewrite.
// - One thread uses a queue; the device runs concurrently.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace virtio {

struct QueueBuffer {
    uint64_t physical = 0;
    uint32_t length = 0;
    bool device_writes = false;
};

struct UsedChain {
    uint16_t head = 0;    // what add() returned
    uint32_t written = 0; // bytes the device says it wrote (<= the chain's writable bytes)
};

enum class TakeResult : uint8_t { Taken, Empty, Broken };
enum class AddResult : uint8_t { Added, Full, Broken, Invalid };

class SplitQueue {
public:
    static constexpr uint16_t kMaxSize = 256;
    // Descriptor flags (2.7.5).
    static constexpr uint16_t kNext = 1, kWrite = 2;

    // Layout: descriptors at 0 (16 bytes each), the available ring after
    // them (2-byte aligned: flags, idx, ring[size], used_event), the used
    // ring after that, 4-byte aligned (flags, idx, {id, len}[size], avail_event).
    static constexpr size_t available_offset(uint16_t size) { return size_t{16} * size; }
    static constexpr size_t used_offset(uint16_t size) {
        return (available_offset(size) + 6 + size_t{2} * size + 3) & ~size_t{3};
    }
    static constexpr size_t bytes_needed(uint16_t size) { return used_offset(size) + 6 + size_t{8} * size; }

    // False (and nothing set up) for a size that is 0, above kMaxSize or not a power of two.
    bool init(void* memory, uint64_t physical, uint16_t size);

    uint16_t size() const { return size_; }
    uint64_t descriptor_area() const { return physical_; }
    uint64_t driver_area() const { return physical_ + available_offset(size_); }
    uint64_t device_area() const { return physical_ + used_offset(size_); }

    AddResult add(const QueueBuffer* buffers, size_t count, uint16_t* head);
    void publish();
    TakeResult take_used(UsedChain* out);

    bool broken() const { return broken_; }
    uint16_t free_descriptors() const { return free_count_; }
    uint16_t in_flight() const { return in_flight_count_; }

private:
    struct Descriptor {
        uint64_t address;
        uint32_t length;
        uint16_t flags;
        uint16_t next;
    };
    static_assert(sizeof(Descriptor) == 16);

    volatile Descriptor* descriptors() const { return reinterpret_cast<volatile Descriptor*>(memory_); }
    volatile uint16_t* available() const {
        return reinterpret_cast<volatile uint16_t*>(memory_ + available_offset(size_));
    }
    volatile uint16_t* used_index() const {
        return reinterpret_cast<volatile uint16_t*>(memory_ + used_offset(size_) + 2);
    }
    volatile uint32_t* used_element(uint16_t slot) const {
        return reinterpret_cast<volatile uint32_t*>(memory_ + used_offset(size_) + 4 + size_t{8} * slot);
    }
    void free_chain(uint16_t head);

    uint8_t* memory_ = nullptr;
    uint64_t physical_ = 0;
    uint16_t size_ = 0;
    bool broken_ = false;
    // The driver's own copy of each descriptor's link (kNoNext: end of chain / free list).
    static constexpr uint16_t kNoNext = 0xffff;
    uint16_t next_[kMaxSize] = {};
    uint16_t free_head_ = kNoNext;
    uint16_t free_count_ = 0;
    bool in_flight_[kMaxSize] = {};    // by head: a chain the device holds
    uint32_t writable_[kMaxSize] = {}; // by head: its device-writable bytes
    uint16_t in_flight_count_ = 0;
    uint16_t available_index_ = 0; // the driver's next available-ring index (free-running)
    uint16_t published_index_ = 0;
    uint16_t used_seen_ = 0; // the used-ring index taken up to (free-running)
};

} // namespace virtio
