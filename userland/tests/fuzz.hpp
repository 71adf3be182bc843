// userland/tests/fuzz.hpp — the suite's syscall fuzzer, shared by the runner
// (fuzz_tests.cpp, the supervisor of the fuzzing tasks) and the fuzzing tasks
// themselves (fuzz_task.cpp), which are separate unprivileged tasks spawned
// from this same image, each in its own cspace and address space.
//
// The runner marks a fuzzing task by leaving kFuzzerRole in its IPC buffer's
// user words before starting it: user[0] = kFuzzerRole, user[1] = its index,
// user[2] = the address where the shared page is mapped in it.
#pragma once

#include "suite.hpp"

namespace suite {

inline constexpr uint64_t kFuzzerRole = 0x7a7a'6675'7a7a'6572; // "rezzufzz"
inline constexpr uint64_t kFuzzSharedAddress = 0x0000'3f00'0000'0000;
inline constexpr size_t kFuzzTasks = 2;    // fuzz.syscalls, fuzz.stateful
inline constexpr size_t kMaxFuzzTasks = 8; // smp.stateful_fuzzer_every_cpu: one per CPU, at least two

enum class FuzzMode : uint64_t {
    Random = 0,   // random syscalls with random and nasty arguments
    Stateful = 1, // sequences that make objects and wire them together
};

// The fuzzing task's capability slots (the runner fills them).
namespace fuzz_slot {
inline constexpr uint64_t kOwnCspace = 2, kPlayground = 3, kPool = 4, kEndpoint = 5, kNotification = 6, kReply = 7,
                          kPartnerCspace = 8, kFirstFree = 9;
inline constexpr uint64_t kSlots = 64;
} // namespace fuzz_slot

// One page, mapped read-write in the runner and in each fuzzing task.
struct FuzzShared {
    volatile uint64_t mode;
    volatile uint64_t count; // syscalls per task
    volatile uint64_t seed;
    volatile uint64_t cpus; // CPUs that run tasks: Task.SetAffinity aims at 0..cpus (cpus itself is refused)
    struct Task {
        volatile uint64_t progress;
        volatile uint64_t finished;
        volatile uint64_t results[32]; // by the Error in r0 afterwards
    } task[kMaxFuzzTasks];
};
static_assert(sizeof(FuzzShared) <= 4096);

// The fuzzing task's program (never returns).
[[noreturn]] void fuzz_task_main();

// The stateful fuzzer with one task on every CPU that runs tasks, while the
// runner keeps moving them between CPUs (fuzz_tests.cpp; the smp group runs
// it). On one CPU it is not run.
bool stateful_fuzzer_every_cpu();
// Its test pool: the runner (about 170 pages) and 320 pages per fuzzing task.
inline constexpr uint32_t kEveryCpuFuzzPoolPages = 256 + 320 * kMaxFuzzTasks;

} // namespace suite
