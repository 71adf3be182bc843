// userland/tests/suite.hpp — the kernel test suite (docs/test-suite.md).
//
// One ELF serves as both halves: started by the kernel as `root` it is the
// supervisor (supervisor.cpp), which spawns the same image once per test as a
// runner task (runner.cpp) in its own cspace and vspace, with the supervisor's
// endpoint as its fault endpoint. A test is a function returning true on
// success; on failure it leaves a reason through fail().
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <user/runtime.hpp>

namespace suite {

using namespace vesta;
using namespace vesta::user;

// What the supervisor tells a runner.
struct Parameters {
    uint64_t index;             // test to run
    uint64_t fuzz_count;        // syscalls for the fuzzer (command line suite-fuzz=N)
    uint64_t counter_frequency; // of cycle_counter(), Hz (0: unknown)
    // The kernel's scheduler tick when the guest clock counts instructions
    // (command line `suite-exact-clock=1`: QEMU -icount), else 0: bounds on
    // how long something takes are checked only then, since under TCG
    // without -icount a loaded host stretches guest time at random.
    uint64_t exact_tick_microseconds;
};
extern Parameters parameters;

using TestFunction = bool (*)();
struct Test {
    const char* name;
    TestFunction run;
    uint32_t limit_ticks = 0; // 0: the default per-test limit
    // Ticks added per 1,000 fuzzer calls (the count is suite-fuzz=N): a
    // fuzzer test's limit grows with what it is asked to do.
    uint32_t ticks_per_thousand_fuzz_calls = 0;
    // Pages of the test's pool (it pays for the runner and all the test
    // makes); 0: kDefaultTestPoolPages.
    uint32_t pool_pages = 0;
};
inline constexpr uint64_t kDefaultTestPoolPages = 1024;
// Pointers only: the counts live in other files, and a group table that
// read them would need a dynamic initialiser (there are none here).
struct TestGroup {
    const Test* tests;
    const size_t* count;
};
// Every group, in order (tests.cpp).
extern const TestGroup kGroups[];
extern const size_t kGroupCount;
size_t test_count();
const Test& test_at(size_t index);

// Runner slots (the supervisor grants them through the runner's start-up
// block, which also gives each its role or note).
namespace slot {
inline constexpr uint64_t kTask = 0, kConsole = 1, kSupervisor = 2, kMemory = 3, kCapabilitySpace = 4,
                          kVirtualSpace = 5, kIrqControl = 6, kIoPortControl = 7, kDevice = 8, kInitramfs = 9,
                          kDeviceTree = 10, kFirstFree = 11;
inline constexpr uint64_t kCspaceSlots = 1024;
} // namespace slot

// Supervisor <-> runner message labels.
inline constexpr uint64_t kHello = 1, kPass = 2, kFail = 3;
inline constexpr uint64_t kRunnerBadge = 1, kFaultBadge = 2;

// Formats into a fixed buffer (NUL-terminated, cut to fit).
template <class... Args>
void print_to(char* buffer, size_t size, const char* pattern, const Args&... args) {
    BufferSink sink(buffer, size);
    format(sink, pattern, args...);
}

// Failure reasons.
bool fail(const char* what, int line);
bool fail_error(const char* what, Error got, Error expected, int line);
const char* failure_reason();

#define EXPECT(condition)                                                                                              \
    do {                                                                                                               \
        if (!(condition)) return ::suite::fail(#condition, __LINE__);                                                  \
    } while (0)
#define EXPECT_ERROR(expression, expected)                                                                             \
    do {                                                                                                               \
        const ::vesta::Error expect_got_ = (expression);                                                               \
        if (expect_got_ != (expected)) return ::suite::fail_error(#expression, expect_got_, (expected), __LINE__);     \
    } while (0)
#define EXPECT_OK(expression) EXPECT_ERROR(expression, ::vesta::Error::None)

// Helpers for tests (helpers.cpp). Objects are paid by runtime.memory.
uint64_t make(ObjectType type, uint64_t size = 0); // kNoSlot on failure
Error cap_info(uint64_t index, uint64_t* type, uint64_t* rights = nullptr, uint64_t* badge = nullptr);
Error copy_cap(uint64_t source, uint8_t rights, uint64_t badge, uint64_t* destination);
Error delete_cap(uint64_t index);
uint64_t free_pages(uint64_t memory = runtime.memory);
// Maps a fresh Page in the own vspace.
uint64_t new_pages(uint64_t pages, uint8_t permissions, uint64_t* page_slot = nullptr);
// A thread in the runner's vspace with its own cspace (slot 0 its task,
// 1 the console), entry(argument) on a fresh stack; not started.
struct Thread {
    Spawned spawned;
    bool ok;
};
Thread make_thread(void (*entry)(uint64_t), uint64_t argument, uint8_t priority = 100,
                   uint64_t fault_endpoint = kNoSlot);
Error start_thread(const Thread& thread);
Error give_thread(const Thread& thread, uint64_t index, uint64_t source, uint8_t rights = rights::kAll,
                  uint64_t badge = 0);
uint64_t task_state(uint64_t task);
// Runs entry(argument) in a thread whose fault endpoint is a fresh endpoint
// (badge kTestFaultBadge) and waits up to `ticks` for its fault message. With
// `handler`, calls it with the message: it returns the reply label (0
// resumes the thread) and may be called again for later faults until it
// returns non-zero or `ticks` pass; without, the thread is left Faulted.
inline constexpr uint64_t kTestFaultBadge = 0x5a;
struct FaultReport {
    bool faulted;
    FaultKind kind;
    uint64_t address, ip, detail, badge;
    uint64_t task; // the thread, in the runner's cspace
};
using FaultHandler = uint64_t (*)(const FaultReport&);
FaultReport run_expecting_fault(void (*entry)(uint64_t), uint64_t argument, FaultHandler handler = nullptr,
                                uint64_t ticks = 200);
// Ends the calling thread (Suspend on its own task, slot 0 of its cspace).
[[noreturn]] void thread_exit();
// Poll with a timeout on a private notification: lets others run for `ticks` ticks.
void sleep_ticks(uint64_t ticks);
// Yields until `condition` holds or `ticks` passed; returns the condition.
template <class Condition>
bool wait_until(Condition condition, uint64_t ticks = 200) {
    for (uint64_t i = 0; i < ticks; ++i) {
        if (condition()) return true;
        sleep_ticks(1);
    }
    return condition();
}
// Milliseconds of cycle counter between two readings (0 if unknown).
uint64_t elapsed_ms(uint64_t start, uint64_t end);

// Group tables (one file each).
extern const Test kCapabilityTests[];
extern const size_t kCapabilityTestCount;
extern const Test kMemoryTests[];
extern const size_t kMemoryTestCount;
extern const Test kVspaceTests[];
extern const size_t kVspaceTestCount;
extern const Test kEndpointTests[];
extern const size_t kEndpointTestCount;
extern const Test kNotificationTests[];
extern const size_t kNotificationTestCount;
extern const Test kSchedulingTests[];
extern const size_t kSchedulingTestCount;
extern const Test kFaultTests[];
extern const size_t kFaultTestCount;
extern const Test kIrqTests[];
extern const size_t kIrqTestCount;
extern const Test kErrorTests[];
extern const size_t kErrorTestCount;
extern const Test kCpuTests[];
extern const size_t kCpuTestCount;
extern const Test kFuzzTests[];
extern const size_t kFuzzTestCount;
extern const Test kStartupTests[];
extern const size_t kStartupTestCount;
extern const Test kProtocolTests[];
extern const size_t kProtocolTestCount;
extern const Test kDevloaderTests[];
extern const size_t kDevloaderTestCount;
extern const Test kProtocolSysTests[];
extern const size_t kProtocolSysTestCount;
extern const Test kSmpTests[];
extern const size_t kSmpTestCount;

} // namespace suite
