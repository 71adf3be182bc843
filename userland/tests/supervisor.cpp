// userland/tests/supervisor.cpp — runs every test in a task of its own.
//
// Per test: a memory pool split from the root pool, which pays for a runner
// task spawned from this same image (own cspace and vspace, fault endpoint
// the supervisor's endpoint) and for everything the test makes; the runner's
// request for its parameters, then its verdict — or a fault message, or the
// per-test time limit running out (Poll with a timeout). Afterwards the pool
// is deleted, which destroys everything it paid for (capability cycles
// included), and the root pool must have every page back: a test after which
// it does not fails. Ends with `N passed, N failed` and System.PowerOff (the
// emulator exit status).
#include <lib/string.hpp>
#include <vesta/root_info.hpp>

#include "suite.hpp"

namespace suite {

namespace {

constexpr uint64_t kDefaultLimitTicks = 1000; // 10 s at the 10 ms tick
constexpr uint64_t kDefaultFuzzCount = 10000;
constexpr uint64_t kPl031 = 0x09010000; // QEMU virt's RTC (aarch64 IRQ test)

uint64_t must(Error error, const char* what) {
    if (error != Error::None) {
        print("suite: supervisor cannot {}: {}\n", what, error_name(error));
        exit(1);
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
            for (size_t j = i + n + 1; line[j] >= '0' && line[j] <= '9'; ++j)
                value = value * 10 + uint64_t(line[j] - '0');
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
            for (const char* value = line + i + n + 1; value[j] && value[j] != ' ' && j + 1 < size; ++j)
                out[j] = value[j];
            out[j] = 0;
            return;
        }
    }
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

// What a runner receives (suite::slot), described in its start-up block.
Error describe_runner(ProcessStartup& startup, uint64_t supervisor, uint64_t pool, uint64_t device,
                      uint64_t initramfs_page, uint64_t device_tree_page) {
    using startup::Role;
    startup = ProcessStartup{};
    const Grant grants[] = {
        {.source = supervisor,
         .slot = slot::kSupervisor,
         .note = "supervisor",
         .rights = rights::kWrite | rights::kGrant},
        {.source = pool, .slot = slot::kMemory, .role = Role::Memory, .note = "memory"},
        {.source = kOwnCapabilitySpace, .slot = slot::kCapabilitySpace, .role = Role::CapabilitySpace},
        {.source = kOwnVirtualSpace, .slot = slot::kVirtualSpace, .role = Role::VirtualSpace},
        {.source = root_slot::kIrqControl, .slot = slot::kIrqControl, .note = "irq-control"},
        {.source = root_slot::kIoPortControl, .slot = slot::kIoPortControl, .note = "ioport-control"},
        {.source = device, .slot = slot::kDevice, .note = "device"},
        {.source = initramfs_page, .slot = slot::kInitramfs, .note = "initramfs", .rights = rights::kRead},
        {.source = device_tree_page, .slot = slot::kDeviceTree, .note = "devicetree", .rights = rights::kRead},
    };
    for (const Grant& grant : grants) {
        if (grant.source == kNoSlot) continue;
        if (Error error = startup.grant(grant); error != Error::None) return error;
    }
    if (Error error = startup.add_argument("runner"); error != Error::None) return error;
    return Error::None;
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
    const InvokeResult runner_endpoint = invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, endpoint,
                                                rights::kWrite | rights::kGrant, kRunnerBadge);
    must(runner_endpoint.error, "badge the runner endpoint");
    const InvokeResult fault_endpoint = invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, endpoint,
                                               rights::kWrite | rights::kGrant, kFaultBadge);
    must(fault_endpoint.error, "badge the fault endpoint");
    // A device page for the runners: QEMU virt's PL031, else the first
    // device memory the kernel handed over.
    uint64_t device = device_page(info, kPl031);
    for (uint64_t i = 0; device == kNoSlot && i < info.capability_count; ++i)
        if (info.capabilities[i].type == static_cast<uint64_t>(ObjectType::DeviceMemory))
            device = device_page(info, info.capabilities[i].physical);

    // The initramfs, read-only, for tests that start programs of their own.
    uint64_t initramfs_page = kNoSlot;
    for (uint64_t i = 0; i < info.capability_count; ++i)
        if (info.capabilities[i].type == static_cast<uint64_t>(ObjectType::Page) &&
            info.capabilities[i].mapped_address == info.initramfs)
            initramfs_page = info.capabilities[i].slot;
    // The device tree the kernel handed over, read-only (device-tree machines).
    uint64_t device_tree_page = kNoSlot;
    for (uint64_t i = 0; info.device_tree && i < info.capability_count; ++i)
        if (info.capabilities[i].type == static_cast<uint64_t>(ObjectType::Page) &&
            info.capabilities[i].mapped_address == info.device_tree)
            device_tree_page = info.capabilities[i].slot;
    static ProcessStartup runner_startup; // about 6 KiB: not on the stack

    must(prepare_spawning(), "prepare its staging window");
    parameters.counter_frequency = info.counter_frequency;
    // suite-exact-clock=1: QEMU runs with -icount (Parameters::exact_tick_microseconds).
    const bool exact_clock = command_line_number(info.command_line, "suite-exact-clock", 0) != 0;
    parameters.exact_tick_microseconds = exact_clock ? info.tick_microseconds : 0;
    const size_t total = test_count();
    print("suite: {} tests, fuzzer count {}\n", total, fuzz_count);
    size_t passed = 0, failed = 0;
    const uint64_t suite_start = cycle_counter();
    uint64_t leaked_total = 0;
    for (size_t index = 0; index < total; ++index) {
        const Test& test = test_at(index);
        if (by_prefix ? !starts_with(test.name, only_prefix) : only != ~uint64_t{0} && index != only) continue;
        Verdict verdict{false, {}};
        set_reason(verdict, "no verdict");
        // The test's pool pays for the runner and everything the test makes:
        // once it is deleted the root pool must be back where it started.
        const uint64_t free_before = invoke(runtime.memory, MemoryLabel::Info).words[1];
        const InvokeResult pool = invoke(runtime.memory, MemoryLabel::Split,
                                         test.pool_pages ? test.pool_pages : kDefaultTestPoolPages, kAnySlot);
        Spawned runner{};
        SpawnOptions options;
        options.cspace_slots = slot::kCspaceSlots;
        options.fault_endpoint = fault_endpoint.words[0];
        options.priority = 100;
        options.memory = pool.words[0];
        Error error = pool.error;
        if (error == Error::None)
            error = describe_runner(runner_startup, runner_endpoint.words[0], pool.words[0], device, initramfs_page,
                                    device_tree_page);
        options.startup = &runner_startup;
        if (error == Error::None) error = spawn(image, image_size, options, &runner);
        if (error == Error::None) error = start(runner);
        if (error != Error::None) {
            print("FAIL {}: cannot start a runner: {}\n", test.name, error_name(error));
            ++failed;
            if (pool.error == Error::None) invoke(runtime.cspace, CapabilitySpaceLabel::Delete, pool.words[0]);
            continue;
        }
        const uint64_t limit = (test.limit_ticks ? test.limit_ticks : kDefaultLimitTicks) +
                               fuzz_count / 1000 * test.ticks_per_thousand_fuzz_calls;
        for (bool done = false; !done;) {
            runtime.ipc_buffer->poll[0] = endpoint;
            SyscallResult ready = syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, limit);
            if (ready.error == Error::TimedOut) {
                print_to(verdict.reason, sizeof(verdict.reason), "time limit of {} ticks exceeded", limit);
                break;
            }
            SyscallResult m = syscall(Syscall::TryRecv, endpoint, {}, 0, 0, 0, 0, reply);
            if (m.error == Error::Busy) { // a reply object left bound: take a fresh one
                invoke(runtime.cspace, CapabilitySpaceLabel::Delete, reply); // its caller gets PeerGone
                must(create(ObjectType::Reply, 0, &reply), "replace its reply object");
                m = syscall(Syscall::TryRecv, endpoint, {}, 0, 0, 0, 0, reply);
            }
            if (m.error != Error::None) continue;
            if (m.badge == kFaultBadge) {
                if (m.tag.label() == static_cast<uint64_t>(FaultKind::Exited))
                    print_to(verdict.reason, sizeof(verdict.reason), "runner exited with status {} and no verdict",
                             m.words[2]);
                else
                    print_to(verdict.reason, sizeof(verdict.reason),
                             "runner faulted: {} at ip {:x}, address {:x}, detail {:x}",
                             fault_kind_name(static_cast<FaultKind>(m.tag.label())), m.words[1], m.words[0],
                             m.words[2]);
                done = true;
            } else if (m.tag.label() == kHello) {
                syscall(Syscall::Reply, 0, MessageTag::make(0, 4, 0), index, fuzz_count, info.counter_frequency,
                        parameters.exact_tick_microseconds, reply);
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
        // Tear the runner down: deleting its pool destroys everything the
        // pool paid for (the runner, its spaces, whatever the test made or
        // left in a cycle); Delete returns when the teardown is complete.
        const Error deleted = invoke(runtime.cspace, CapabilitySpaceLabel::Delete, pool.words[0]).error;
        const uint64_t free_after = invoke(runtime.memory, MemoryLabel::Info).words[1];
        if (deleted != Error::None && verdict.passed) {
            verdict.passed = false;
            print_to(verdict.reason, sizeof(verdict.reason), "deleting the test's pool failed: {}",
                     error_name(deleted));
        }
        if (free_after != free_before) {
            leaked_total += free_before > free_after ? free_before - free_after : free_after - free_before;
            if (verdict.passed) {
                verdict.passed = false;
                print_to(verdict.reason, sizeof(verdict.reason),
                         "the root pool has {} free pages after the teardown, {} before the test", free_after,
                         free_before);
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
    const InvokeResult kernel = invoke(runtime.system, SystemLabel::Info);
    print("suite: kernel stack high-water mark {} bytes; {} objects left queued for teardown; {} fault lines not "
          "printed\n",
          kernel.words[0], kernel.words[1], kernel.words[3]);
    print("{} passed, {} failed\n", passed, failed);
    invoke(runtime.system, SystemLabel::PowerOff, failed == 0 ? 0 : 1);
    exit(failed == 0 ? 0 : 1);
}

} // namespace suite
