// The kernel lock (kernel/smp/kernel_lock.hpp): mutual exclusion and
// fairness under contention from real threads, and the owner it records.
#include <smp/kernel_lock.hpp>

#include <atomic>
#include <catch2/catch_test_macros.hpp>
#include <thread>
#include <vector>

namespace vesta {
namespace {

TEST_CASE("the kernel lock records its holder and is free after release", "[smp][lock]") {
    KernelLock lock;
    CHECK_FALSE(lock.held());
    CHECK(lock.owner() == KernelLock::kNoOwner);
    lock.acquire(3);
    CHECK(lock.held());
    CHECK(lock.held_by(3));
    CHECK_FALSE(lock.held_by(0));
    CHECK(lock.queued() == 1);
    CHECK_FALSE(lock.try_acquire(1)); // taken
    lock.release(3);
    CHECK_FALSE(lock.held());
    CHECK(lock.owner() == KernelLock::kNoOwner);
    CHECK(lock.try_acquire(1));
    CHECK(lock.held_by(1));
    lock.release(1);
    CHECK_FALSE(lock.held());
}

TEST_CASE("the kernel lock calls the waiter's hook while it waits", "[smp][lock]") {
    KernelLock lock;
    lock.acquire(0);
    std::atomic<uint64_t> turns{0};
    std::atomic<bool> holding{false};
    std::thread waiter([&] {
        lock.acquire(1, [&] { turns.fetch_add(1); });
        holding = true;
        lock.release(1);
    });
    while (turns.load() < 100) std::this_thread::yield(); // it waits, answering requests
    CHECK_FALSE(holding.load());
    CHECK(lock.queued() == 2);
    lock.release(0);
    waiter.join();
    CHECK(holding.load());
    CHECK_FALSE(lock.held());
}

TEST_CASE("the kernel lock excludes: no two threads inside at once, no update lost", "[smp][lock]") {
    KernelLock lock;
    constexpr uint32_t kThreads = 4;
    constexpr uint32_t kRounds = 5000;
    uint64_t counter = 0; // plain: only the holder touches it
    std::atomic<uint32_t> inside{0};
    std::atomic<uint32_t> overlaps{0};
    std::vector<std::thread> threads;
    for (uint32_t t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (uint32_t i = 0; i < kRounds; ++i) {
                // Waiting yields the host CPU: with more threads than host
                // cores, a ticket lock whose next holder is not running
                // would otherwise spin through whole time slices per
                // hand-over (the kernel's CPUs are never descheduled).
                lock.acquire(t, [] { std::this_thread::yield(); });
                if (inside.fetch_add(1) != 0) overlaps.fetch_add(1);
                if (!lock.held_by(t)) overlaps.fetch_add(1);
                ++counter;
                inside.fetch_sub(1);
                lock.release(t);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(overlaps.load() == 0);
    CHECK(counter == uint64_t{kThreads} * kRounds);
    CHECK_FALSE(lock.held());
}

TEST_CASE("the kernel lock serves waiters in the order they asked (FIFO tickets)", "[smp][lock]") {
    KernelLock lock;
    lock.acquire(0);
    std::vector<uint32_t> order;
    std::vector<std::thread> threads;
    for (uint32_t t = 1; t <= 3; ++t) {
        threads.emplace_back([&, t] {
            lock.acquire(t);
            order.push_back(t);
            lock.release(t);
        });
        while (lock.queued() != t + 1) std::this_thread::yield(); // t holds the next ticket
    }
    lock.release(0);
    for (auto& thread : threads) thread.join();
    CHECK(order == std::vector<uint32_t>{1, 2, 3});
}

} // namespace
} // namespace vesta
