// userland/drivers/virtio/split_queue.cpp — SplitQueue (split_queue.hpp).
#include "split_queue.hpp"

namespace virtio {

bool SplitQueue::init(void* memory, uint64_t physical, uint16_t size) {
    if (size == 0 || size > kMaxSize || (size & (size - 1)) != 0 || !memory) return false;
    memory_ = static_cast<uint8_t*>(memory);
    physical_ = physical;
    size_ = size;
    for (size_t i = 0; i < bytes_needed(size); ++i) static_cast<volatile uint8_t*>(memory_)[i] = 0;
    for (uint16_t i = 0; i < size; ++i) {
        next_[i] = i + 1 < size ? static_cast<uint16_t>(i + 1) : kNoNext;
        in_flight_[i] = false;
        writable_[i] = 0;
    }
    free_head_ = 0;
    free_count_ = size;
    in_flight_count_ = 0;
    available_index_ = published_index_ = used_seen_ = 0;
    broken_ = false;
    return true;
}

AddResult SplitQueue::add(const QueueBuffer* buffers, size_t count, uint16_t* head) {
    if (broken_) return AddResult::Broken;
    if (count == 0 || !buffers || !head) return AddResult::Invalid;
    if (count > free_count_) return AddResult::Full;
    uint32_t writable = 0;
    for (size_t i = 0; i < count; ++i) {
        if (buffers[i].device_writes) {
            if (writable + buffers[i].length < writable) return AddResult::Invalid; // wraps
            writable += buffers[i].length;
        }
    }
    const uint16_t first = free_head_;
    uint16_t at = first;
    for (size_t i = 0; i < count; ++i) {
        volatile Descriptor& d = descriptors()[at];
        d.address = buffers[i].physical;
        d.length = buffers[i].length;
        const bool last = i + 1 == count;
        d.flags = static_cast<uint16_t>((last ? 0 : kNext) | (buffers[i].device_writes ? kWrite : 0));
        d.next = last ? 0 : next_[at];
        if (!last) at = next_[at];
    }
    free_head_ = next_[at];
    next_[at] = kNoNext; // the chain ends here in the driver's copy too
    free_count_ = static_cast<uint16_t>(free_count_ - count);
    in_flight_[first] = true;
    writable_[first] = writable;
    ++in_flight_count_;
    available()[2 + available_index_ % size_] = first;
    ++available_index_;
    *head = first;
    return AddResult::Added;
}

void SplitQueue::publish() {
    if (broken_ || published_index_ == available_index_) return;
    __atomic_thread_fence(__ATOMIC_RELEASE); // descriptors and ring entries before the index
    available()[1] = available_index_;
    published_index_ = available_index_;
    __atomic_thread_fence(__ATOMIC_SEQ_CST); // the index before the caller's notify
}

void SplitQueue::free_chain(uint16_t head) {
    // Follows the driver's own links: at most size_ steps whatever the device wrote.
    uint16_t at = head, count = 1;
    while (next_[at] != kNoNext && count < size_) {
        at = next_[at];
        ++count;
    }
    next_[at] = free_head_;
    free_head_ = head;
    free_count_ = static_cast<uint16_t>(free_count_ + count);
    in_flight_[head] = false;
    writable_[head] = 0;
    --in_flight_count_;
}

TakeResult SplitQueue::take_used(UsedChain* out) {
    if (broken_) return TakeResult::Broken;
    const uint16_t device_index = *used_index();
    const uint16_t pending = static_cast<uint16_t>(device_index - used_seen_);
    if (pending == 0) return TakeResult::Empty;
    if (pending > in_flight_count_) {
        broken_ = true; // the device claims more finished chains than it holds
        return TakeResult::Broken;
    }
    __atomic_thread_fence(__ATOMIC_ACQUIRE); // the index before the element it covers
    const volatile uint32_t* element = used_element(static_cast<uint16_t>(used_seen_ % size_));
    const uint32_t id = element[0], written = element[1];
    if (id >= size_ || !in_flight_[id] || written > writable_[id]) {
        broken_ = true;
        return TakeResult::Broken;
    }
    ++used_seen_;
    free_chain(static_cast<uint16_t>(id));
    out->head = static_cast<uint16_t>(id);
    out->written = written;
    return TakeResult::Taken;
}

} // namespace virtio
