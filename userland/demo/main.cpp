// userland/demo — a root task started with `init=demo` instead of sysinit:
// the kernel's demonstration (README.md: a second task from another ELF,
// messages and a capability exchanged, faulting tasks reported while the
// rest keeps running, preemption, a device IRQ through a notification), or
// the benchmarks when the kernel command line also says `bench`.
#include <faults_arch.hpp>
#include <user/runtime.hpp>
#include <vesta/root_info.hpp>

#include "bench.hpp"
#include "demo.hpp"

using namespace vesta;
using namespace vesta::user;

namespace {

const RootInfo* info = nullptr;

bool command_line_has(const char* word) {
    const char* line = info->command_line;
    size_t n = 0;
    while (word[n]) ++n;
    for (size_t i = 0; line[i]; ++i) {
        if ((i == 0 || line[i - 1] == ' ') && __builtin_memcmp(line + i, word, n) == 0 &&
            (line[i + n] == ' ' || line[i + n] == '\0'))
            return true;
    }
    return false;
}

} // namespace

[[noreturn]] void stop(const char* why, Error error) {
    print("root: {}: {}\n", why, error_name(error));
    exit(1);
}

uint64_t make(ObjectType type, uint64_t size) {
    uint64_t slot = 0;
    if (Error e = create(type, size, &slot); e != Error::None) stop("cannot create an object", e);
    return slot;
}

namespace {

// Let lower-priority tasks run for `ticks` timer ticks.
void sleep(uint64_t ticks) {
    static uint64_t idle_notification = kNoSlot;
    if (idle_notification == kNoSlot) idle_notification = make(ObjectType::Notification);
    runtime.ipc_buffer->poll[0] = idle_notification;
    syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, ticks);
}

Spawned spawn_file(const char* name, const SpawnOptions& options) {
    const void* data;
    size_t size;
    if (!find_file(name, &data, &size)) stop("program missing from the initramfs", Error::NotFound);
    Spawned child{};
    SpawnOptions named = options;
    named.name = name;
    if (Error e = spawn(data, size, named, &child); e != Error::None) stop("cannot spawn", e);
    return child;
}

void message_demo() {
    const uint64_t endpoint = make(ObjectType::Endpoint);
    const uint64_t reply = make(ObjectType::Reply);
    Spawned hello = spawn_file("hello", SpawnOptions{});
    const InvokeResult pool = invoke(runtime.memory, MemoryLabel::Split, 64, kAnySlot);
    if (pool.error != Error::None) stop("cannot split memory", pool.error);
    give(hello, 2, endpoint, rights::kWrite | rights::kGrant, 7);
    give(hello, 3, pool.words[0]);
    start(hello);

    runtime.ipc_buffer->receive_slots[0] = kAnySlot;
    SyscallResult m = syscall(Syscall::Recv, endpoint, {}, 0, 0, 0, 0, reply);
    const uint64_t received = runtime.ipc_buffer->caps[0];
    const InvokeResult what = invoke(runtime.cspace, CapabilitySpaceLabel::Info, received);
    print("root: message from badge {}: label {}, words {:x} {}, {} capability (object type {})\n", m.badge,
          m.tag.label(), m.words[0], m.words[1], m.tag.caps(), what.words[0]);
    syscall(Syscall::Reply, 0, MessageTag::make(0, 2, 0), m.words[1] + 1, 43, 0, 0, reply);
    sleep(1); // hello blocks in Wait with its FP marker
    clobber_fp_register(0xdead'beef'dead'beef);
    syscall(Syscall::Signal, received);
    sleep(2);
}

// A faulter told how to misbehave by its argv[1] ("1"…"5").
Spawned spawn_faulter(char how, uint64_t fault_endpoint) {
    static ProcessStartup startup; // about 6 KiB: not on the stack
    startup = ProcessStartup{};
    const char text[2] = {how, 0};
    startup.add_argument("faulter");
    startup.add_argument(text);
    SpawnOptions options;
    options.fault_endpoint = fault_endpoint;
    options.startup = &startup;
    return spawn_file("faulter", options);
}

void fault_demo() {
    for (char how = '1'; how <= '3'; ++how) {
        Spawned faulter = spawn_faulter(how, kNoSlot);
        start(faulter);
        sleep(1);
    }
    // One more with a fault endpoint: the root handles its fault.
    const uint64_t fault_endpoint = make(ObjectType::Endpoint);
    const uint64_t reply = make(ObjectType::Reply);
    Spawned handled = spawn_faulter('2', fault_endpoint);
    start(handled);
    SyscallResult fault = syscall(Syscall::Recv, fault_endpoint, {}, 0, 0, 0, 0, reply);
    print("root: fault message: kind {} ({}), address {:x}, ip {:x}, detail {}\n", fault.tag.label(),
          fault_kind_name(static_cast<FaultKind>(fault.tag.label())), fault.words[0], fault.words[1], fault.words[2]);
    syscall(Syscall::Reply, 0, MessageTag::make(1, 0, 0), 0, 0, 0, 0, reply); // label 1: leave it stopped
    const InvokeResult state = invoke(handled.task, TaskLabel::ReadRegisters);
    print("root: still running after 4 faulting tasks (the handled one is in state {})\n", state.words[3]);

    // Hostile registers: resume the stopped task at a kernel address with a
    // non-canonical stack. The kernel must report it, not fall over.
    Spawned unknown = spawn_faulter('5', kNoSlot); // makes syscall 99
    start(unknown);
    sleep(1);
    invoke(handled.task, TaskLabel::WriteRegisters, 0xffff'8000'0000'1000, 0x8000'0000'0000'0000, 0);
    const Error resumed = invoke(handled.task, TaskLabel::Resume).error;
    SyscallResult again = syscall(Syscall::Recv, fault_endpoint, {}, 0, 0, 0, 0, reply); // it faults again, to us
    syscall(Syscall::Reply, 0, MessageTag::make(1, 0, 0), 0, 0, 0, 0, reply);
    print("root: a task resumed at a kernel address (resume: {}) faulted: {} at ip {:x}; the kernel runs on\n",
          error_name(resumed), fault_kind_name(static_cast<FaultKind>(again.tag.label())), again.words[1]);
}

volatile uint64_t spin_counter = 0;

[[noreturn]] void spinner(uint64_t) {
    for (;;) spin_counter = spin_counter + 1;
}

void preemption_demo() {
    uint64_t stack = 0, stack_page = 0;
    if (Error e = map_new_pages(4, rights::kRead | rights::kWrite, &stack, &stack_page); e != Error::None)
        stop("no stack", e);
    SpawnOptions options;
    options.vspace = runtime.vspace;
    options.priority = 128; // the root's own
    options.entry = reinterpret_cast<uint64_t>(&spinner);
    options.stack_top = thread_stack_top(stack, 4 * kPageSize);
    options.argument = 1;
    Spawned thread{};
    if (Error e = spawn(nullptr, 0, options, &thread); e != Error::None) stop("cannot spawn a thread", e);
    start(thread);
    // The root spins too: it sees the counter move only if the timer preempts
    // it, and runs again only if the timer preempts the spinner.
    while (spin_counter == 0) {
    }
    const uint64_t seen = spin_counter;
    invoke(thread.task, TaskLabel::Suspend);
    print("root: preemption works: an equal-priority spinner ran (counter {}) and was preempted\n", seen);
}

} // namespace

void main(uint64_t argument) {
    const uint64_t start_count = cycle_counter();
    info = reinterpret_cast<const RootInfo*>(argument);
    if (info->magic != kRootInfoMagic || info->version != kRootInfoVersion) return;
    print("root: hello from the first user task; {} capabilities described, first free slot {}\n",
          info->capability_count, info->first_free_slot);
    if (command_line_has("bench")) {
        if (command_line_has("wall"))
            run_wall_benchmark(*info);
        else
            run_benchmarks(*info, start_count, command_line_has("profile"));
        exit(0);
    }
    message_demo();
    fault_demo();
    preemption_demo();
    irq_demo(*info);
    puts("root: demo finished\n");
}
