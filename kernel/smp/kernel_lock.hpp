// kernel/smp/kernel_lock.hpp — the big kernel lock (docs/smp.md, "The
// concurrency model"): a ticket lock every kernel entry takes once, before it
// touches any shared state, and releases just before the CPU returns to user
// mode or idles. While one CPU holds it the portable core runs exactly as it
// does on one CPU.
//
// A ticket lock is fair: CPUs get the lock in the order they asked for it,
// so a CPU waiting for it waits for at most (CPUs - 1) entries. Uncontended,
// taking it is one atomic fetch-add and a compare; releasing it one store.
//
// Discipline: a CPU never takes the lock it holds (an entry takes it exactly
// once; checked while it waits, where it would otherwise wait for ever) and
// only its holder releases it. The owner is recorded and both rules are
// checked where VESTA_LOCK_CHECKS is set (the host tests, which drive every
// entry through the lock); the kernel's entries skip the owner (two stores
// per syscall) and owner() is kNoOwner there.
//
// Layout is fixed: the x86_64 syscall entry (entry.S) takes and releases it
// inline on the fast path.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/assert.hpp>

#ifdef VESTA_HOST_TEST
#define VESTA_LOCK_CHECKS 1
#endif

namespace vesta {

class KernelLock {
public:
    static constexpr uint32_t kNoOwner = ~0u;

    // Takes the lock for CPU `cpu`, calling `while_waiting()` on every turn
    // of the wait (the CPU answers requests from the lock's holder there:
    // smp/cross_cpu.hpp). Returns with the lock held and `owner() == cpu`.
    template <class WhileWaiting>
    void acquire(uint32_t cpu, WhileWaiting&& while_waiting) {
        const uint32_t ticket = take_ticket();
        if (!is_turn(ticket)) {
#ifdef VESTA_LOCK_CHECKS
            VESTA_ASSERT(owner() != cpu); // taken twice by one entry: it would wait for itself
#endif
            while (!is_turn(ticket)) while_waiting();
        }
        set_owner(cpu);
    }
    // The halves of acquire() for callers that wait out of line (the
    // entries: smp/cross_cpu.hpp): a ticket, then wait for its turn.
    uint32_t take_ticket() { return __atomic_fetch_add(&next_, 1, __ATOMIC_ACQUIRE); }
    bool is_turn(uint32_t ticket) const { return __atomic_load_n(&serving_, __ATOMIC_ACQUIRE) == ticket; }
    void set_owner([[maybe_unused]] uint32_t cpu) {
#ifdef VESTA_LOCK_CHECKS
        __atomic_store_n(&owner_, cpu, __ATOMIC_RELAXED);
#endif
    }
    void acquire(uint32_t cpu) {
        acquire(cpu, [] {});
    }
    // True when it was free and is now held by `cpu`.
    bool try_acquire(uint32_t cpu) {
        uint32_t serving = __atomic_load_n(&serving_, __ATOMIC_RELAXED);
        uint32_t expected = serving;
        if (!__atomic_compare_exchange_n(&next_, &expected, serving + 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return false;
        __atomic_store_n(&owner_, cpu, __ATOMIC_RELAXED);
        return true;
    }
    // Precondition: `cpu` holds it.
    void release([[maybe_unused]] uint32_t cpu) {
#ifdef VESTA_LOCK_CHECKS
        VESTA_ASSERT(__atomic_load_n(&owner_, __ATOMIC_RELAXED) == cpu); // released by a CPU that does not hold it
        __atomic_store_n(&owner_, kNoOwner, __ATOMIC_RELAXED);
#endif
        __atomic_store_n(&serving_, __atomic_load_n(&serving_, __ATOMIC_RELAXED) + 1, __ATOMIC_RELEASE);
    }

    bool held() const {
        return __atomic_load_n(&next_, __ATOMIC_RELAXED) != __atomic_load_n(&serving_, __ATOMIC_RELAXED);
    }
    uint32_t owner() const { return __atomic_load_n(&owner_, __ATOMIC_RELAXED); }
    bool held_by(uint32_t cpu) const { return owner() == cpu; }
    // CPUs holding or waiting for it.
    uint32_t queued() const {
        return __atomic_load_n(&next_, __ATOMIC_RELAXED) - __atomic_load_n(&serving_, __ATOMIC_RELAXED);
    }

private:
    uint32_t next_ = 0;         // 0: the next ticket to hand out
    uint32_t serving_ = 0;      // 4: the ticket that holds the lock
    uint32_t owner_ = kNoOwner; // 8: the holder's CPU index (VESTA_LOCK_CHECKS only)
};
static_assert(sizeof(KernelLock) == 12);

} // namespace vesta
