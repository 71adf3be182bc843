// userland/demo/bench.cpp — benchmarks, measured with the cycle counter (under
// QEMU -icount shift=0 it counts instructions on x86_64, one tick per 16 on
// aarch64's 62.5 MHz CNTVCT). Each sample times kBatch operations; a figure
// is the median sample after kWarmup, minus the median of an empty batch,
// divided by kBatch. One line each, parsed by scripts/bench.
//
// With `profile` on the command line as well (scripts/profile-path) each
// operation instead runs kProfileRounds times between the lines
// `profile: begin NAME` and `profile: end NAME`, after a warm-up, so a QEMU
// trace of the kernel can be cut at those two Console.Write calls.
#include <io/file.ipc.hpp>
#include <user/runtime.hpp>
#include <vesta/ipc/syscall_transport.hpp>

#include "bench.hpp"

using namespace vesta;
using namespace vesta::user;

namespace {

constexpr int kWarmup = 50;
constexpr int kSamples = 101;
constexpr int kBatch = 16;
constexpr int kProfileRounds = 1000;
bool profiling = false;

uint64_t samples[kSamples];

uint64_t median() {
    for (int i = 1; i < kSamples; ++i) // insertion sort: small and simple
        for (int j = i; j > 0 && samples[j - 1] > samples[j]; --j) {
            uint64_t t = samples[j];
            samples[j] = samples[j - 1];
            samples[j - 1] = t;
        }
    return samples[kSamples / 2];
}

// Median ticks of a batch of kBatch operations.
template <class Operation>
uint64_t measure_batch(Operation operation) {
    for (int i = 0; i < kWarmup; ++i) operation();
    for (int i = 0; i < kSamples; ++i) {
        const uint64_t t0 = cycle_counter();
        for (int j = 0; j < kBatch; ++j) operation();
        const uint64_t t1 = cycle_counter();
        samples[i] = t1 - t0;
    }
    return median();
}

uint64_t empty_batch = 0;

// Instructions per operation.
template <class Operation>
uint64_t measure(Operation operation) {
    const uint64_t ticks = measure_batch(operation);
    return ticks_to_instructions(ticks > empty_batch ? ticks - empty_batch : 0) / kBatch;
}

// One figure: its line for scripts/bench, or its bracketed rounds for
// scripts/profile-path.
template <class Operation>
void figure(const char* name, Operation operation) {
    if (!profiling) {
        print("{} {} instructions\n", name, measure(operation));
        return;
    }
    for (int i = 0; i < kWarmup; ++i) operation();
    print("profile: begin {}\n", name);
    for (int i = 0; i < kProfileRounds; ++i) operation();
    print("profile: end {} {}\n", name, kProfileRounds);
}

[[noreturn]] void fail(const char* what, Error error) {
    print("bench: {}: {}\n", what, error_name(error));
    exit(1);
}

uint64_t make(ObjectType type) {
    uint64_t slot = 0;
    if (Error e = create(type, 0, &slot); e != Error::None) fail("create", e);
    return slot;
}

// Same-space server thread: the echo loop on slots 2 (endpoint) and 3 (reply).
[[noreturn]] void echo_thread(uint64_t) {
    SyscallResult m = syscall(Syscall::Recv, 2, {}, 0, 0, 0, 0, 3);
    for (;;) m = syscall(Syscall::ReplyRecv, 2, MessageTag::make(0, 1, 0), m.words[0], 0, 0, 0, 3);
}

// Notification ping-pong thread: wait on slot 2, signal slot 3.
[[noreturn]] void notification_thread(uint64_t) {
    for (;;) {
        wait(2);
        signal(3);
    }
}

Spawned thread(void (*entry)(uint64_t)) {
    uint64_t stack = 0, page = 0;
    if (Error e = map_new_pages(4, rights::kRead | rights::kWrite, &stack, &page); e != Error::None) fail("stack", e);
    SpawnOptions options;
    options.vspace = runtime.vspace;
    options.priority = 128;
    options.entry = reinterpret_cast<uint64_t>(entry);
    options.stack_top = thread_stack_top(stack, 4 * kPageSize);
    options.argument = 1;
    Spawned spawned{};
    if (Error e = spawn(nullptr, 0, options, &spawned); e != Error::None) fail("thread", e);
    return spawned;
}

void call_round_trip(const char* name, uint64_t endpoint) {
    figure(name, [endpoint] { syscall(Syscall::Call, endpoint, MessageTag::make(0, 1, 0), 1); });
}

// The same round trip through generated code: io::file::seek from the
// generated client over the syscall transport to idlecho, a process whose
// ServerLoop hands it to the generated dispatch.
void idl_round_trip() {
    const void* data;
    size_t size;
    if (!find_file("idlecho", &data, &size)) fail("idlecho missing", Error::NotFound);
    const uint64_t endpoint = make(ObjectType::Endpoint);
    const InvokeResult pool = invoke(runtime.memory, MemoryLabel::Split, 128, kAnySlot);
    if (pool.error != Error::None) fail("split", pool.error);
    static ProcessStartup startup; // about 6 KiB: not on the stack
    startup.grant({.source = endpoint, .note = "serve", .rights = rights::kRead});
    startup.grant({.source = pool.words[0], .role = startup::Role::Memory});
    startup.add_argument("idlecho");
    SpawnOptions options;
    options.priority = 128;
    options.memory = pool.words[0];
    options.startup = &startup;
    Spawned server{};
    if (Error e = spawn(data, size, options, &server); e != Error::None) fail("spawn idlecho", e);
    start(server);
    namespace io = vesta::proto::io;
    ipc::SyscallTransport transport(runtime.ipc_buffer);
    io::file::Client<ipc::SyscallTransport> file(transport, endpoint);
    if (auto check = file.seek(42, io::whence::SET); !check.ok() || check.value() != 42)
        fail("idl seek", Error::Malformed);
    figure("idl_call_rtt", [&file] { (void)file.seek(1, io::whence::SET); });
}

} // namespace

namespace {

// The echo program in its own vspace, serving `endpoint`, on CPU `cpu`
// (Task.SetAffinity; false when there is no such CPU running tasks).
bool start_echo(uint64_t endpoint, uint64_t cpu = 0) {
    const uint64_t reply = make(ObjectType::Reply);
    const void* data;
    size_t size;
    if (!find_file("echo", &data, &size)) fail("echo missing", Error::NotFound);
    SpawnOptions options;
    options.priority = 128;
    options.name = "echo";
    Spawned echo{};
    if (Error e = spawn(data, size, options, &echo); e != Error::None) fail("spawn echo", e);
    give(echo, 2, endpoint, rights::kRead);
    give(echo, 3, reply);
    if (cpu != 0 && invoke(echo.task, TaskLabel::SetAffinity, cpu).error != Error::None) return false;
    start(echo);
    return true;
}

constexpr int kWallRuns = 7;
constexpr int kWallRounds = 20000;

} // namespace

void run_wall_benchmark(const RootInfo& info) {
    if (info.counter_frequency == 0) fail("wall: the counter's frequency is unknown", Error::NotSupported);
    const uint64_t endpoint = make(ObjectType::Endpoint);
    start_echo(endpoint);
    uint64_t runs[kWallRuns];
    for (int run = 0; run < kWallRuns; ++run) {
        const uint64_t t0 = cycle_counter();
        for (int i = 0; i < kWallRounds; ++i) syscall(Syscall::Call, endpoint, MessageTag::make(0, 1, 0), 1);
        runs[run] = cycle_counter() - t0;
    }
    for (int i = 1; i < kWallRuns; ++i)
        for (int j = i; j > 0 && runs[j - 1] > runs[j]; --j) {
            const uint64_t t = runs[j];
            runs[j] = runs[j - 1];
            runs[j - 1] = t;
        }
    // Thousandths of a tick per round trip, then ns: ticks × 10^9 would overflow 64 bits.
    const uint64_t milliticks = runs[kWallRuns / 2] * 1000 / kWallRounds;
    print("ipc_call_reply_rtt_wall {} ns\n", milliticks * 1'000'000 / info.counter_frequency);
    puts("bench: done\n");
}

void run_benchmarks(const RootInfo& info, uint64_t start_count, bool profile) {
    profiling = profile;
    empty_batch = measure_batch([] { asm volatile("" ::: "memory"); });

    // Cross-space call/reply-recv: the echo program in its own vspace.
    {
        const uint64_t endpoint = make(ObjectType::Endpoint);
        start_echo(endpoint);
        call_round_trip("ipc_call_reply_rtt", endpoint);
    }
    idl_round_trip();
    // The same in one address space (a thread of the root task).
    {
        const uint64_t endpoint = make(ObjectType::Endpoint), reply = make(ObjectType::Reply);
        Spawned echo = thread(echo_thread);
        give(echo, 2, endpoint, rights::kRead);
        give(echo, 3, reply);
        start(echo);
        call_round_trip("ipc_call_reply_rtt_same_space", endpoint);
    }
    figure("null_syscall", [] { syscall(Syscall::Yield, 0); });
    {
        const uint64_t ping = make(ObjectType::Notification), pong = make(ObjectType::Notification);
        Spawned partner = thread(notification_thread);
        give(partner, 2, ping, rights::kRead);
        give(partner, 3, pong, rights::kWrite);
        start(partner);
        figure("notification_signal_wait_rtt", [ping, pong] {
            signal(ping);
            wait(pong);
        });
    }
    // Across CPUs (scripts/bench boots a second time with -smp 2 for it): the
    // echo program on CPU 1, this task on CPU 0. Under -icount the counter
    // counts the instructions of every CPU (QEMU runs them in turn on one
    // host thread), so the figure is both CPUs' work per round trip: the
    // IPIs, the idle wake-ups and the lock included.
    {
        const uint64_t endpoint = make(ObjectType::Endpoint);
        if (start_echo(endpoint, 1)) call_round_trip("ipc_call_reply_rtt_cross_cpu", endpoint);
    }
    if (!profiling)
        print("boot_to_userspace {} instructions\n", ticks_to_instructions(start_count - info.kernel_entry_count));
    puts("bench: done\n");
}
