// memory/address_space_tags.cpp — AddressSpaceTags (address_space_tags.hpp).
#include <lib/assert.hpp>
#include <memory/address_space_tags.hpp>

namespace vesta {

void AddressSpaceTags::initialise(uint32_t count, uint32_t cpus) {
    // A rollover keeps one number per CPU: at least one more must be free.
    VESTA_ASSERT(count <= kMaxCount && cpus >= 1 && cpus <= kMaxCpus && count >= cpus + 2);
    count_ = count;
    cpus_ = cpus;
    generation_ = 1;
    for (uint32_t c = 0; c < kMaxCpus; ++c) active_[c] = reserved_[c] = 0;
    for (uint64_t& word : bitmap_) word = 0;
    bitmap_[0] = 1; // number 0 is never handed out
    in_use_ = 0;
    cursor_ = 1;
}

void AddressSpaceTags::take(uint32_t number) {
    bitmap_[number / 64] |= uint64_t{1} << (number % 64);
    ++in_use_;
}

uint32_t AddressSpaceTags::find_free() {
    const uint32_t words = (count_ + 63) / 64;
    for (uint32_t scanned = 0; scanned <= words; ++scanned) {
        const uint32_t word = (cursor_ / 64 + scanned) % words;
        uint64_t free = ~bitmap_[word];
        if (word == words - 1 && count_ % 64 != 0) free &= (uint64_t{1} << (count_ % 64)) - 1;
        if (free != 0) {
            const uint32_t number = word * 64 + static_cast<uint32_t>(__builtin_ctzll(free));
            cursor_ = number + 1 < count_ ? number + 1 : 1;
            return number;
        }
    }
    return 0;
}

void AddressSpaceTags::start_generation() {
    ++generation_;
    for (uint64_t& word : bitmap_) word = 0;
    bitmap_[0] = 1;
    in_use_ = 0;
    cursor_ = 1;
    for (uint32_t c = 0; c < cpus_; ++c) {
        // A CPU that has not switched since the last rollover still runs what it was reserved.
        if (active_[c] != 0) reserved_[c] = active_[c];
        active_[c] = 0;
        const uint32_t kept = number(SpaceTag{reserved_[c]});
        if (kept != 0 && !taken(kept)) take(kept);
    }
}

bool AddressSpaceTags::replace_reserved(uint64_t value, uint64_t now) {
    bool found = false;
    for (uint32_t c = 0; c < cpus_; ++c) {
        if (reserved_[c] != value) continue;
        found = true;
        reserved_[c] = now;
    }
    return found;
}

AddressSpaceTags::Activation AddressSpaceTags::activate(SpaceTag& space, uint32_t cpu) {
    VESTA_ASSERT(cpu < cpus_ && count_ != 0);
    Activation result;
    if (space.value == 0 || generation_of(space) != generation_) {
        uint32_t chosen = 0;
        if (space.value != 0 && replace_reserved(space.value, generation_ << 16 | number(space))) {
            chosen = number(space); // a CPU ran it at the rollover: it kept its number, taken already
        } else {
            chosen = find_free();
            if (chosen == 0) {
                start_generation();
                chosen = find_free(); // count ≥ cpus + 2: one is free
                VESTA_ASSERT(chosen != 0);
            }
            take(chosen);
            result.fresh = true;
        }
        space.value = generation_ << 16 | chosen;
    }
    result.number = number(space);
    active_[cpu] = space.value;
    return result;
}

void AddressSpaceTags::release(SpaceTag& space) {
    if (space.value == 0) return;
    for (uint32_t c = 0; c < cpus_; ++c) {
        if (active_[c] == space.value) active_[c] = 0; // no CPU runs it any more (the caller's promise)
    }
    const uint32_t n = number(space);
    // Its number is its own in the current generation, or kept for it since a CPU ran it at the rollover.
    if (replace_reserved(space.value, 0) || generation_of(space) == generation_) {
        if (taken(n)) {
            bitmap_[n / 64] &= ~(uint64_t{1} << (n % 64));
            --in_use_;
        }
    }
    space.value = 0;
}

} // namespace vesta
