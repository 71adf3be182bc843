// userland/tests/runner.cpp — one test in a task of its own: asks the
// supervisor which test to run, runs it, reports the verdict with a call
// that is never answered (the supervisor suspends the runner instead).
#include "suite.hpp"

namespace suite {

Parameters parameters;

namespace {

char reason[240];

// Threads made by the current test, stopped and unlinked when it ends so
// their objects (and the test's memory pool) can be freed.
constexpr size_t kMaxThreads = 64;
uint64_t thread_tasks[kMaxThreads], thread_cspaces[kMaxThreads];
size_t thread_count = 0;

} // namespace

bool fail(const char* what, int line) {
    print_to(reason, sizeof(reason), "line {}: {}", line, what);
    return false;
}

bool fail_error(const char* what, Error got, Error expected, int line) {
    print_to(reason, sizeof(reason), "line {}: {} gave {}, expected {}", line, what, error_name(got),
             error_name(expected));
    return false;
}

const char* failure_reason() { return reason; }

void remember_thread(uint64_t task, uint64_t cspace) {
    if (thread_count < kMaxThreads) {
        thread_tasks[thread_count] = task;
        thread_cspaces[thread_count++] = cspace;
    }
}

size_t test_count() {
    size_t n = 0;
    for (size_t g = 0; g < kGroupCount; ++g) n += *kGroups[g].count;
    return n;
}

const Test& test_at(size_t index) {
    for (size_t g = 0; g < kGroupCount; ++g) {
        if (index < *kGroups[g].count) return kGroups[g].tests[index];
        index -= *kGroups[g].count;
    }
    return kGroups[0].tests[0];
}

void runner_main() {
    // runtime.memory, .cspace and .vspace come from the start-up block.
    const SyscallResult hello = syscall(Syscall::Call, slot::kSupervisor, MessageTag::make(kHello, 0, 0));
    if (hello.error != Error::None) exit();
    parameters = Parameters{hello.words[0], hello.words[1], hello.words[2], hello.words[3]};
    const bool passed = test_at(parameters.index).run();
    for (size_t i = 0; i < thread_count; ++i) {
        invoke(thread_tasks[i], TaskLabel::Suspend);
        invoke(thread_cspaces[i], CapabilitySpaceLabel::Delete, 0);
    }
    if (passed) {
        syscall(Syscall::Call, slot::kSupervisor, MessageTag::make(kPass, 0, 0));
    } else {
        uint64_t words[kMaxMessageWords] = {};
        size_t length = 0;
        while (reason[length] && length < (kMaxMessageWords - 1) * 8) ++length;
        words[0] = length;
        for (size_t i = 0; i < length; ++i) words[1 + i / 8] |= uint64_t{uint8_t(reason[i])} << (8 * (i % 8));
        invoke_words(slot::kSupervisor, kFail, words, 1 + (length + 7) / 8);
    }
    exit();
}

} // namespace suite
