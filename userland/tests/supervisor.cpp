// userland/tests/supervisor.cpp — runs every test in a task of its own.
//
// Per test: a memory pool split from the root pool, a runner task spawned
// from this same image (own cspace and vspace) whose fault endpoint is the
// supervisor's endpoint, the runner's request for its parameters, then its
// verdict — or a fault message, or the per-test time limit running out
// (Poll with a timeout). Afterwards the runner is suspended, its cspace
// emptied and every capability made for it deleted, so its memory returns;
// a test whose pool does not get all its pages back fails.
// Ends with `N passed, N failed` and Console.Stop (emulator exit status).
#include <vesta/root_info.hpp>

#include "suite.hpp"

namespace suite {

namespace {

constexpr uint64_t kDefaultLimitTicks = 1000; // 10 s at the 10 ms tick
constexpr uint64_t kTestPoolPages = 512;
constexpr uint64_t kDefaultFuzzCount = 10000;
constexpr uint64_t kPl031 = 0x09010000; // QEMU virt's RTC (aarch64 IRQ test)

uint64_t must(Error error, const char* what) {
    if (error != Error::None) {
        print("suite: supervisor cannot {}: {}\n", what, error_name(error));
        exit();
    }
    return 0;
}

// Value of `key=` on the command line, or `fallback`.
uint64_t command_line_number(const char* line, const char* key, uint64_t fallback) {
    size_t n = 0;
    while (key[n]) ++n;
    for (size_t i = 0; line[i]; ++i) {
        if ((i == 0 || line[i - 1] == ' ') && __builtin_memcmp(line + i, key, n) == 0 && line[i + n] == '=') {
            uint64_t value = 0;
            for (size_t j = i + n + 1; line[j] >= '0' && line[j] <= '9'; ++j) value = value * 10 + uint64_t(line[j] - '0');
            return value;
        }
    }
    return fallback;
}

// The value of `key=` on the command line as a word (up to the next space),
// or an empty string.
void command_line_word(const char* line, const char* key, char* out, size_t size) {
    size_t n = 0;
    while (key[n]) ++n;
    out[0] = 0;
    for (size_t i = 0; line[i]; ++i) {
        if ((i == 0 || line[i - 1] == ' ') && __builtin_memcmp(line + i, key, n) == 0 && line[i + n] == '=') {
            size_t j = 0;
            for (const char* value = line + i + n + 1; value[j] && value[j] != ' ' && j + 1 < size; ++j) out[j] = value[j];
            out[j] = 0;
            return;
        }
    }
}

bool starts_with(const char* text, const char* prefix) {
    for (size_t i = 0; prefix[i]; ++i)
        if (text[i] != prefix[i]) return false;
    return true;
}

// A device-memory page holding `physical`, split off the root's capability.
uint64_t device_page(const RootInfo& info, uint64_t physical) {
    for (uint64_t i = 0; i < info.capability_count; ++i) {
        const RootCapability& c = info.capabilities[i];
        if (c.type == static_cast<uint64_t>(ObjectType::DeviceMemory) && c.physical <= physical &&
            physical < c.physical + c.pages * kPageSize) {
            const InvokeResult part =
                invoke(c.slot, FrameLabel::Split, (physical - c.physical) / kPageSize, 1, kAnySlot, runtime.memory);
            return part.error == Error::None ? part.words[0] : kNoSlot;
        }
    }
    return kNoSlot;
}

struct Verdict {
    bool passed;
    char reason[256];
};

void set_reason(Verdict& verdict, const char* text) {
    size_t i = 0;
    for (; text[i] && i + 1 < sizeof(verdict.reason); ++i) verdict.reason[i] = text[i];
    verdict.reason[i] = 0;
}

} // namespace

void supervisor_main(const RootInfo& info) {
    const void* image = nullptr;
    size_t image_size = 0;
    if (!find_file("root", &image, &image_size)) must(Error::NotFound, "find its own image");
    const uint64_t fuzz_count = command_line_number(info.command_line, "suite-fuzz", kDefaultFuzzCount);
    // suite-only=I runs test number I; suite-only=PREFIX the tests whose names start with it.
    const uint64_t only = command_line_number(info.command_line, "suite-only", ~uint64_t{0});
    char only_prefix[64];
    command_line_word(info.command_line, "suite-only", only_prefix, sizeof(only_prefix));
    const bool by_prefix = only_prefix[0] && !(only_prefix[0] >= '0' && only_prefix[0] <= '9');

    uint64_t endpoint = 0, reply = 0;
    must(create(ObjectType::Endpoint, 0, &endpoint), "create its endpoint");
    must(create(ObjectType::Reply, 0, &reply), "create a reply object");
    const InvokeResult runner_endpoint =
        invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, endpoint, rights::kWrite | rights::kGrant, kRunnerBadge);
    must(runner_endpoint.error, "badge the runner endpoint");
    const InvokeResult fault_endpoint =
        invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, endpoint, rights::kWrite | rights::kGrant, kFaultBadge);
    must(fault_endpoint.error, "badge the fault endpoint");
    // A device page for the runners: QEMU virt's PL031, else the first
    // device memory the kernel handed over.
    uint64_t device = device_page(info, kPl031);
    for (uint64_t i = 0; device == kNoSlot && i < info.capability_count; ++i)
        if (info.capabilities[i].type == static_cast<uint64_t>(ObjectType::DeviceMemory))
            device = device_page(info, info.capabilities[i].physical);

    parameters.counter_frequency = info.counter_frequency;
    const size_t total = test_count();
    print("suite: {} tests, fuzzer count {}\n", total, fuzz_count);
    size_t passed = 0, failed = 0;
    const uint64_t suite_start = cycle_counter();
    uint64_t leaked_total = 0;
    uint64_t created[128];
    for (size_t index = 0; index < total; ++index) {
        const Test& test = test_at(index);
        if (by_prefix ? !starts_with(test.name, only_prefix) : only != ~uint64_t{0} && index != only) continue;
        runtime.created_slots = created;
        runtime.created_count = 0;
        runtime.created_capacity = sizeof(created) / sizeof(created[0]);
        Verdict verdict{false, {}};
        set_reason(verdict, "no verdict");
        const InvokeResult pool = invoke(runtime.memory, MemoryLabel::Split, kTestPoolPages, kAnySlot);
        Spawned runner{};
        SpawnOptions options;
        options.cspace_slots = slot::kCspaceSlots;
        options.fault_endpoint = fault_endpoint.words[0];
        options.priority = 100;
        Error error = pool.error;
        // The test's pool pays for everything the test makes: after the
        // teardown its free count must be back where it started, or the
        // kernel (or a reference cycle the test left) kept memory.
        const uint64_t free_before = invoke(pool.words[0], MemoryLabel::Info).words[1];
        if (error == Error::None) {
            created[runtime.created_count++] = pool.words[0];
            error = spawn(image, image_size, options, &runner);
        }
        runtime.created_slots = nullptr;
        if (error == Error::None) {
            give(runner, slot::kSupervisor, runner_endpoint.words[0], rights::kWrite | rights::kGrant);
            give(runner, slot::kMemory, pool.words[0]);
            give(runner, slot::kCapabilitySpace, runner.cspace);
            give(runner, slot::kVirtualSpace, runner.vspace);
            give(runner, slot::kIrqControl, root_slot::kIrqControl);
            give(runner, slot::kIoPortControl, root_slot::kIoPortControl);
            if (device != kNoSlot) give(runner, slot::kDevice, device);
            error = start(runner);
        }
        if (error != Error::None) {
            print("FAIL {}: cannot start a runner: {}\n", test.name, error_name(error));
            ++failed;
            continue;
        }
        const uint64_t limit = test.limit_ticks ? test.limit_ticks : kDefaultLimitTicks;
        for (bool done = false; !done;) {
            runtime.ipc_buffer->poll[0] = endpoint;
            Message ready = syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, limit);
            if (ready.error == Error::TimedOut) {
                print_to(verdict.reason, sizeof(verdict.reason), "time limit of {} ticks exceeded", limit);
                break;
            }
            Message m = syscall(Syscall::TryRecv, endpoint, {}, 0, 0, 0, 0, reply);
            if (m.error == Error::Busy) { // a reply object left bound: take a fresh one
                must(create(ObjectType::Reply, 0, &reply), "replace its reply object");
                m = syscall(Syscall::TryRecv, endpoint, {}, 0, 0, 0, 0, reply);
            }
            if (m.error != Error::None) continue;
            if (m.badge == kFaultBadge) {
                print_to(verdict.reason, sizeof(verdict.reason), "runner faulted: {} at ip {:x}, address {:x}, detail {:x}",
                         fault_kind_name(static_cast<FaultKind>(m.tag.label())), m.words[1], m.words[0], m.words[2]);
                done = true;
            } else if (m.tag.label() == kHello) {
                syscall(Syscall::Reply, 0, MessageTag::make(0, 3, 0), index, fuzz_count, info.counter_frequency, 0,
                        reply);
            } else if (m.tag.label() == kPass) {
                verdict.passed = true;
                done = true;
            } else if (m.tag.label() == kFail) {
                uint64_t words[kMaxMessageWords] = {};
                for (size_t i = 0; i < m.tag.words() && i < kMaxMessageWords; ++i)
                    words[i] = i < kRegisterMessageWords ? m.words[i] : runtime.ipc_buffer->words[i];
                const size_t length = words[0] < sizeof(verdict.reason) - 1 ? words[0] : sizeof(verdict.reason) - 1;
                for (size_t i = 0; i < length; ++i) verdict.reason[i] = char(words[1 + i / 8] >> (8 * (i % 8)));
                verdict.reason[length] = 0;
                done = true;
            }
        }
        // Tear the runner down: stop it, empty its cspace (breaking the
        // cycles through its own task and cspace), drop what it was made of.
        invoke(runner.task, TaskLabel::Suspend);
        for (uint64_t i = 0; i < slot::kCspaceSlots; ++i) invoke(runner.cspace, CapabilitySpaceLabel::Delete, i);
        for (size_t i = runtime.created_count; i-- > 1;) invoke(runtime.cspace, CapabilitySpaceLabel::Delete, created[i]);
        const uint64_t free_after = invoke(pool.words[0], MemoryLabel::Info).words[1];
        invoke(runtime.cspace, CapabilitySpaceLabel::Delete, pool.words[0]);
        if (free_after != free_before) {
            leaked_total += free_before - free_after;
            if (verdict.passed) {
                verdict.passed = false;
                print_to(verdict.reason, sizeof(verdict.reason),
                         "the test's memory pool did not get {} pages back after the teardown", free_before - free_after);
            }
        }
        if (verdict.passed) {
            print("PASS {}\n", test.name);
            ++passed;
        } else {
            print("FAIL {}: {}\n", test.name, verdict.reason);
            ++failed;
        }
    }
    const uint64_t ms = elapsed_ms(suite_start, cycle_counter());
    print("suite: finished in {} ms (guest clock); pages not returned by tests: {}\n", ms, leaked_total);
    print("{} passed, {} failed\n", passed, failed);
    invoke(runtime.console, ConsoleLabel::Stop, failed == 0 ? 0 : 1);
    exit();
}

} // namespace suite
