// Tests of userland/drivers/virtio/split_queue: the driver's side of a split
// virtqueue, with the test playing the device on the shared memory —
// descriptor chains and their flags, the free list, the used ring's 16-bit
// index wrapping, and a device that lies (index too far ahead, an id it
// does not hold, a length beyond the buffer, a rewritten descriptor table).
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <vector>

#include "split_queue.hpp"

using virtio::AddResult;
using virtio::QueueBuffer;
using virtio::SplitQueue;
using virtio::TakeResult;
using virtio::UsedChain;

namespace {

// The shared memory and a device that reads and writes it as QEMU would.
struct Ring {
    static constexpr uint64_t kPhysical = 0x80000000;
    alignas(16) uint8_t memory[8192] = {};
    SplitQueue queue;
    uint16_t size;
    uint16_t device_available_seen = 0; // the device's view
    uint16_t device_used = 0;

    explicit Ring(uint16_t queue_size) : size(queue_size) { REQUIRE(queue.init(memory, kPhysical, queue_size)); }

    uint16_t u16(size_t offset) const {
        uint16_t v;
        std::memcpy(&v, memory + offset, 2);
        return v;
    }
    void put16(size_t offset, uint16_t v) { std::memcpy(memory + offset, &v, 2); }
    void put32(size_t offset, uint32_t v) { std::memcpy(memory + offset, &v, 4); }
    struct Descriptor {
        uint64_t address;
        uint32_t length;
        uint16_t flags, next;
    };
    Descriptor descriptor(uint16_t i) const {
        Descriptor d;
        std::memcpy(&d, memory + 16 * i, 16);
        return d;
    }
    uint16_t available_index() const { return u16(SplitQueue::available_offset(size) + 2); }
    // The next head the device takes from the available ring (it must exist).
    uint16_t device_take() {
        REQUIRE(available_index() != device_available_seen);
        const uint16_t head = u16(SplitQueue::available_offset(size) + 4 + 2 * (device_available_seen % size));
        ++device_available_seen;
        return head;
    }
    // The device reports `id` done with `written` bytes (raw: any values).
    void device_complete(uint32_t id, uint32_t written) {
        const size_t element = SplitQueue::used_offset(size) + 4 + 8 * (device_used % size);
        put32(element, id);
        put32(element + 4, written);
        ++device_used;
        put16(SplitQueue::used_offset(size) + 2, device_used);
    }
    void set_used_index(uint16_t index) { put16(SplitQueue::used_offset(size) + 2, index); }
};

QueueBuffer writable(uint64_t physical, uint32_t length) { return QueueBuffer{physical, length, true}; }
QueueBuffer readable(uint64_t physical, uint32_t length) { return QueueBuffer{physical, length, false}; }

} // namespace

TEST_CASE("split queue: layout, sizes and areas") {
    CHECK(SplitQueue::available_offset(64) == 1024);
    CHECK(SplitQueue::used_offset(64) == 1160); // 1024 + 6 + 128, rounded up to 4
    CHECK(SplitQueue::bytes_needed(64) == 1160 + 6 + 512);
    CHECK(SplitQueue::used_offset(1) % 4 == 0);
    SplitQueue q;
    alignas(16) static uint8_t memory[8192];
    CHECK(!q.init(memory, 0, 0));
    CHECK(!q.init(memory, 0, 3));
    CHECK(!q.init(memory, 0, 512));
    CHECK(!q.init(nullptr, 0, 8));
    REQUIRE(q.init(memory, 0x1000, 8));
    CHECK(q.descriptor_area() == 0x1000);
    CHECK(q.driver_area() == 0x1000 + 128);
    CHECK(q.device_area() == 0x1000 + SplitQueue::used_offset(8));
    CHECK(q.free_descriptors() == 8);
}

TEST_CASE("split queue: a chain is linked, flagged and published; taking it frees its descriptors") {
    Ring r(8);
    const QueueBuffer chain[3] = {readable(0x1000, 16), writable(0x2000, 100), writable(0x3000, 28)};
    uint16_t head = 99;
    REQUIRE(r.queue.add(chain, 3, &head) == AddResult::Added);
    CHECK(r.queue.free_descriptors() == 5);
    CHECK(r.available_index() == 0); // not yet published
    r.queue.publish();
    CHECK(r.available_index() == 1);
    const uint16_t taken = r.device_take();
    CHECK(taken == head);
    // Follow the chain as the device would.
    auto d = r.descriptor(taken);
    CHECK(d.address == 0x1000);
    CHECK(d.length == 16);
    CHECK(d.flags == SplitQueue::kNext);
    d = r.descriptor(d.next);
    CHECK(d.address == 0x2000);
    CHECK(d.flags == (SplitQueue::kNext | SplitQueue::kWrite));
    d = r.descriptor(d.next);
    CHECK(d.address == 0x3000);
    CHECK(d.flags == SplitQueue::kWrite);
    UsedChain used;
    CHECK(r.queue.take_used(&used) == TakeResult::Empty);
    r.device_complete(taken, 128); // all 128 writable bytes
    REQUIRE(r.queue.take_used(&used) == TakeResult::Taken);
    CHECK(used.head == head);
    CHECK(used.written == 128);
    CHECK(r.queue.free_descriptors() == 8);
    CHECK(r.queue.in_flight() == 0);
    CHECK(r.queue.take_used(&used) == TakeResult::Empty);
}

TEST_CASE("split queue: a full table refuses, completions out of order free the right chains") {
    Ring r(4);
    uint16_t heads[4];
    const QueueBuffer one = writable(0x1000, 8);
    for (auto& h : heads) REQUIRE(r.queue.add(&one, 1, &h) == AddResult::Added);
    uint16_t extra;
    CHECK(r.queue.add(&one, 1, &extra) == AddResult::Full);
    const QueueBuffer two[2] = {writable(0, 1), writable(0, 1)};
    CHECK(r.queue.add(two, 0, &extra) == AddResult::Invalid);
    r.queue.publish();
    for (int i = 0; i < 4; ++i) r.device_take();
    r.device_complete(heads[2], 8);
    r.device_complete(heads[0], 3);
    UsedChain used;
    REQUIRE(r.queue.take_used(&used) == TakeResult::Taken);
    CHECK(used.head == heads[2]);
    REQUIRE(r.queue.take_used(&used) == TakeResult::Taken);
    CHECK(used.head == heads[0]);
    CHECK(used.written == 3);
    CHECK(r.queue.free_descriptors() == 2);
    REQUIRE(r.queue.add(two, 2, &extra) == AddResult::Added); // the two freed descriptors, chained
    CHECK(r.queue.free_descriptors() == 0);
}

TEST_CASE("split queue: the 16-bit ring indexes wrap around") {
    Ring r(4);
    const QueueBuffer one = writable(0x1000, 8);
    uint32_t done = 0;
    for (uint32_t round = 0; round < 70000; ++round) { // past 65535 on both rings
        uint16_t head;
        REQUIRE(r.queue.add(&one, 1, &head) == AddResult::Added);
        r.queue.publish();
        REQUIRE(r.device_take() == head);
        r.device_complete(head, 8);
        UsedChain used;
        REQUIRE(r.queue.take_used(&used) == TakeResult::Taken);
        REQUIRE(used.head == head);
        ++done;
    }
    CHECK(done == 70000);
    CHECK(r.available_index() == static_cast<uint16_t>(70000));
    CHECK(r.queue.free_descriptors() == 4);
    CHECK(!r.queue.broken());
}

TEST_CASE("split queue: a device that runs its used index ahead breaks the queue, for good") {
    Ring r(8);
    const QueueBuffer one = writable(0x1000, 8);
    uint16_t head;
    REQUIRE(r.queue.add(&one, 1, &head) == AddResult::Added);
    r.queue.publish();
    r.set_used_index(5); // five finished, one in flight
    UsedChain used;
    CHECK(r.queue.take_used(&used) == TakeResult::Broken);
    CHECK(r.queue.broken());
    r.set_used_index(0);
    CHECK(r.queue.take_used(&used) == TakeResult::Broken);
    CHECK(r.queue.add(&one, 1, &head) == AddResult::Broken);
    Ring s(8);
    REQUIRE(s.queue.add(&one, 1, &head) == AddResult::Added);
    s.set_used_index(0xffff); // "behind" by one is 65535 ahead
    CHECK(s.queue.take_used(&used) == TakeResult::Broken);
}

TEST_CASE("split queue: ids out of range, not in flight or completed twice, and lengths beyond the buffer") {
    const QueueBuffer one = writable(0x1000, 8);
    UsedChain used;
    uint16_t head;
    SECTION("an id beyond the table") {
        Ring r(8);
        REQUIRE(r.queue.add(&one, 1, &head) == AddResult::Added);
        r.device_complete(8, 1);
        CHECK(r.queue.take_used(&used) == TakeResult::Broken);
    }
    SECTION("an id that is not a chain's head") {
        Ring r(8);
        const QueueBuffer two[2] = {writable(0x1000, 4), writable(0x2000, 4)};
        REQUIRE(r.queue.add(two, 2, &head) == AddResult::Added);
        REQUIRE(r.queue.add(&one, 1, &head) == AddResult::Added);
        r.device_complete(1, 1); // the first chain's second descriptor
        CHECK(r.queue.take_used(&used) == TakeResult::Broken);
    }
    SECTION("the same chain twice") {
        Ring r(8);
        uint16_t other;
        REQUIRE(r.queue.add(&one, 1, &head) == AddResult::Added);
        REQUIRE(r.queue.add(&one, 1, &other) == AddResult::Added);
        r.device_complete(head, 8);
        r.device_complete(head, 8);
        REQUIRE(r.queue.take_used(&used) == TakeResult::Taken);
        CHECK(r.queue.take_used(&used) == TakeResult::Broken);
        CHECK(r.queue.free_descriptors() == 7); // freed once only
    }
    SECTION("more bytes than the chain can take") {
        Ring r(8);
        REQUIRE(r.queue.add(&one, 1, &head) == AddResult::Added);
        r.device_complete(head, 9);
        CHECK(r.queue.take_used(&used) == TakeResult::Broken);
    }
    SECTION("a device-readable chain reported as written") {
        Ring r(8);
        const QueueBuffer out = readable(0x1000, 8);
        REQUIRE(r.queue.add(&out, 1, &head) == AddResult::Added);
        r.device_complete(head, 1);
        CHECK(r.queue.take_used(&used) == TakeResult::Broken);
    }
}

TEST_CASE("split queue: a descriptor table the device rewrote does not change what is freed") {
    Ring r(4);
    const QueueBuffer two[2] = {writable(0x1000, 4), writable(0x2000, 4)};
    uint16_t head;
    REQUIRE(r.queue.add(two, 2, &head) == AddResult::Added);
    r.queue.publish();
    // The device makes the chain a loop and points it everywhere.
    for (uint16_t i = 0; i < 4; ++i) {
        r.put16(16 * i + 12, SplitQueue::kNext);
        r.put16(16 * i + 14, i);
    }
    r.device_complete(head, 8);
    UsedChain used;
    REQUIRE(r.queue.take_used(&used) == TakeResult::Taken);
    CHECK(r.queue.free_descriptors() == 4);
    uint16_t heads[4];
    const QueueBuffer one = writable(0x3000, 1);
    for (auto& h : heads) REQUIRE(r.queue.add(&one, 1, &h) == AddResult::Added); // each descriptor exactly once
    CHECK(r.queue.add(&one, 1, &head) == AddResult::Full);
}
