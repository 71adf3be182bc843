// memory/address_space_tags.hpp — hardware address-space tags (aarch64 ASIDs,
// x86_64 PCIDs): which tag each address space runs with, so that a switch
// between spaces keeps the other spaces' translations in the TLB instead of
// flushing them (docs/performance.md, "TLB tags").
//
// Portable and host-tested; the backends ask it at every switch to a space
// whose tag is not the running one. The scheme is the one Linux uses on
// arm64: a tag is a number below `count` (0 is never handed out: the
// backends keep it for "no user space", e.g. aarch64's empty TTBR0) paired
// with a generation. A space's tag is valid while its generation is the
// allocator's. When every number of a generation is taken, a new generation
// begins: all numbers are free again, except those CPUs are running right
// now, which stay with their spaces (reserved, as long as the CPU runs them),
// so no CPU ever runs a number another space was given.
//
// What the backends must do:
//  - A number handed to a space (`Activation::fresh`) may still have
//    translations of the spaces that held it before: the backend flushes
//    that number on every CPU before the space runs (aarch64: TLBI ASIDE1IS
//    broadcasts; x86_64 on one CPU: the CR3 load without the no-flush bit).
//    That is the only flush a new generation needs: a number is never
//    reused without it (the host test checks this against a model of every
//    CPU's TLB).
//  - Unmapping in a space invalidates by its number even when its
//    generation is old: another CPU may still run it under that number.
// Work per call is bounded by count / 64 word scans (1,024 for 16-bit ASIDs).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta {

// Per address space: 0 until it first runs; then generation << 16 | number.
struct SpaceTag {
    uint64_t value = 0;
};

class AddressSpaceTags {
public:
    static constexpr uint32_t kMaxCount = 1u << 16; // 16-bit ASIDs
    static constexpr uint32_t kMaxCpus = 64;

    // What activate() did.
    struct Activation {
        uint32_t number = 0; // the tag to load (1..count-1)
        bool fresh = false;  // newly given to this space: flush the number's old translations, on every CPU, first
    };

    // `count`: the numbers the hardware has (256 or 65,536 for ASIDs, 4,096
    // for PCIDs); 2..kMaxCount. `cpus`: CPUs that may call activate (1..kMaxCpus).
    void initialise(uint32_t count, uint32_t cpus);

    // The tag `space` runs with on CPU `cpu`, assigning one when it has none
    // of the current generation. Call it when this CPU switches to `space`.
    Activation activate(SpaceTag& space, uint32_t cpu);

    // activate()'s common case, inline for the context switch: `space`'s tag
    // is of the current generation. `cpu_slot`: active_slot(cpu), which the
    // backend keeps in its per-CPU data. False: call activate().
    bool activate_current(const SpaceTag& space, uint64_t* cpu_slot, uint32_t* out) const {
        if (generation_of(space) != generation_) return false;
        *cpu_slot = space.value;
        *out = number(space);
        return true;
    }
    uint64_t* active_slot(uint32_t cpu) { return &active_[cpu]; }

    // `space` dies (no CPU runs it any more): its number may be reused.
    void release(SpaceTag& space);

    // The number to invalidate `space`'s translations by (0: it never ran).
    static uint32_t number(SpaceTag space) { return static_cast<uint32_t>(space.value & 0xffff); }
    uint64_t generation() const { return generation_; }
    uint32_t count() const { return count_; }
    uint32_t in_use() const { return in_use_; }

private:
    static uint64_t generation_of(SpaceTag space) { return space.value >> 16; }
    bool taken(uint32_t number) const { return (bitmap_[number / 64] >> (number % 64)) & 1; }
    void take(uint32_t number);
    void start_generation();
    uint32_t find_free();
    // Whether `value` (a tag of an old generation) is kept for a CPU that
    // was running it when a generation began; such entries become `now`.
    bool replace_reserved(uint64_t value, uint64_t now);

    uint64_t bitmap_[kMaxCount / 64] = {};
    uint32_t count_ = 0;
    uint32_t cpus_ = 1;
    uint32_t in_use_ = 0;
    uint32_t cursor_ = 1;
    uint64_t generation_ = 1;
    // Per CPU: the tag it switched to in this generation (0: none since the
    // generation began).
    uint64_t active_[kMaxCpus] = {};
    // Per CPU: the tag it was running when the generation began — carried
    // over a later rollover while active_ is still 0, since the CPU still runs
    // that space. Updated when the space takes its number into a new generation.
    uint64_t reserved_[kMaxCpus] = {};
};

} // namespace vesta
