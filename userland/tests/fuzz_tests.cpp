// userland/tests/fuzz_tests.cpp — the syscall fuzzer's supervisor (the
// runner). Two fuzzing tasks (fuzz_task.cpp), each a separate unprivileged
// task with its own cspace and address space spawned from this image, make
// parameters.fuzz_count syscalls between them (suite-fuzz=N on the command
// line; 10,000 by default, 10^6 on demand), random or stateful. On a machine
// where several CPUs run tasks, smp.stateful_fuzzer_every_cpu runs one
// stateful fuzzing task on each CPU at once (up to eight) for a quarter of
// that count, and the
// runner keeps moving them from CPU to CPU while they run, so every
// cross-CPU path (settling a running task, remote wake-ups, shootdowns of
// the playgrounds) meets hostile input.
//
// The runner is their fault handler — unknown syscall numbers are resumed, an
// Exit is answered by starting the task again, any other fault fails the
// test — and their watchdog: a task that makes no progress for two ticks
// while blocked or stopped is suspended and resumed. Afterwards a canary
// thread must still answer a call, and once the pool that paid for both tasks
// and everything they made (reference cycles included) is deleted, the
// runner's pool must have exactly the free pages it had before.
#include <lib/tar.hpp>

#include "fuzz.hpp"

namespace suite {

namespace {

constexpr uint64_t kImageAddress = 0x0000'3e00'0000'0000; // where the runner maps the initramfs
constexpr uint64_t kScratch = 0x0000'3d00'0000'0000;      // where it writes into a child's IPC buffer
constexpr uint64_t kArenaPagesPerTask = 320;              // the task, its pool and all it makes
constexpr uint64_t kFuzzPoolPages = 64;
constexpr uint64_t kFaultBadgeBase = 0xf0;

bool image(const void** data, size_t* size) {
    static bool mapped = false;
    uint64_t pages = 0;
    const InvokeResult info = invoke(slot::kInitramfs, FrameLabel::Info);
    if (info.error != Error::None) return false;
    pages = info.words[1];
    if (!mapped) {
        if (invoke(runtime.vspace, VirtualSpaceLabel::Map, slot::kInitramfs, kImageAddress, rights::kRead).error !=
            Error::None)
            return false;
        mapped = true;
    }
    const auto found = tar::find(reinterpret_cast<const void*>(kImageAddress), pages * kPageSize, "root");
    if (!found.ok()) return false;
    *data = found.value().data;
    *size = found.value().size;
    return true;
}

[[noreturn]] void canary(uint64_t) {
    SyscallResult m = syscall(Syscall::Recv, 2, {}, 0, 0, 0, 0, 3);
    for (;;) m = syscall(Syscall::ReplyRecv, 2, MessageTag::make(0, 1, 0), m.words[0] + 1, 0, 0, 0, 3);
}

// Writes the fuzzing role into a child's IPC buffer (mapped here for a moment).
Error mark_fuzzer(const Spawned& child, uint64_t index, uint64_t shared_address) {
    uint64_t copy = kNoSlot; // its capability maps it in the child: map a copy here
    if (Error e = copy_cap(child.ipc_page, rights::kRead | rights::kWrite, 0, &copy); e != Error::None) return e;
    if (Error e = invoke(runtime.vspace, VirtualSpaceLabel::Map, copy, kScratch, rights::kRead | rights::kWrite).error;
        e != Error::None)
        return e;
    auto* buffer = reinterpret_cast<IpcBuffer*>(kScratch);
    buffer->user[0] = kFuzzerRole;
    buffer->user[1] = index;
    buffer->user[2] = shared_address;
    return delete_cap(copy); // unmaps it
}

// The CPUs that run tasks: the indices Task.SetAffinity accepts (0..N-1).
uint64_t cpus_running_tasks() {
    uint64_t cpus = 1;
    while (cpus < 64 && invoke(slot::kTask, TaskLabel::SetAffinity, cpus).error == Error::None) ++cpus;
    if (cpus > 1) (void)invoke(slot::kTask, TaskLabel::SetAffinity, 0); // home again (it was allowed)
    return cpus;
}

// `task_count` fuzzing tasks, task i homed on CPU i % cpus; with several CPUs
// the runner moves one of them to the next CPU every round of its watchdog.
// They make `calls` syscalls between them.
bool fuzz(FuzzMode mode, uint64_t calls, size_t task_count = kFuzzTasks, uint64_t cpus = 1) {
    EXPECT(task_count >= 2 && task_count <= kMaxFuzzTasks && cpus >= 1);
    const void* elf = nullptr;
    size_t elf_size = 0;
    EXPECT(image(&elf, &elf_size));
    // The page tables of the runner's own mappings stay: make them first, then count.
    uint64_t warm_address = 0, warm_page = 0;
    EXPECT_OK(map_new_pages(1, rights::kRead | rights::kWrite, &warm_address, &warm_page));
    EXPECT_OK(invoke(runtime.vspace, VirtualSpaceLabel::Unmap, warm_page).error);
    EXPECT_OK(invoke(runtime.vspace, VirtualSpaceLabel::Map, warm_page, kScratch, rights::kRead).error);
    EXPECT_OK(delete_cap(warm_page));
    EXPECT_OK(prepare_spawning());
    const uint64_t before = free_pages();

    // One pool pays for both tasks and everything they make.
    const InvokeResult arena = invoke(runtime.memory, MemoryLabel::Split, kArenaPagesPerTask * task_count, kAnySlot);
    if (arena.error != Error::None) {
        char text[96];
        print_to(text, sizeof(text), "an arena of {} pages for {} tasks: {} ({} free)", kArenaPagesPerTask * task_count,
                 task_count, error_name(arena.error), before);
        return fail(text, __LINE__);
    }
    const uint64_t runner_memory = runtime.memory;
    runtime.memory = arena.words[0];
    const uint64_t faults = make(ObjectType::Endpoint), fault_reply = make(ObjectType::Reply),
                   endpoint = make(ObjectType::Endpoint), notification = make(ObjectType::Notification),
                   canary_endpoint = make(ObjectType::Endpoint), canary_reply = make(ObjectType::Reply);
    uint64_t shared_page = 0;
    const uint64_t shared_address = new_pages(1, rights::kRead | rights::kWrite, &shared_page);
    EXPECT(shared_address != 0);
    auto& shared = *reinterpret_cast<FuzzShared*>(shared_address);
    shared.mode = uint64_t(mode);
    shared.count = calls / task_count;
    shared.seed = calls ^ (uint64_t(mode) << 32) ^ (cpus << 40);
    shared.cpus = cpus;
    Thread canary_thread = make_thread(canary, 1, 100);
    EXPECT(canary_thread.ok);
    EXPECT_OK(give_thread(canary_thread, 2, canary_endpoint));
    EXPECT_OK(give_thread(canary_thread, 3, canary_reply));
    EXPECT_OK(start_thread(canary_thread));

    Spawned tasks[kMaxFuzzTasks];
    for (size_t i = 0; i < task_count; ++i) {
        uint64_t badged = kNoSlot;
        EXPECT_OK(copy_cap(faults, rights::kWrite, kFaultBadgeBase + i, &badged));
        SpawnOptions options;
        options.priority = 90;
        options.cspace_slots = fuzz_slot::kSlots;
        options.fault_endpoint = badged;
        options.memory = arena.words[0];
        EXPECT_OK(spawn(elf, elf_size, options, &tasks[i]));
        const Spawned& t = tasks[i];
        EXPECT_OK(invoke(t.cspace, CapabilitySpaceLabel::Delete, 0).error); // no task capability of its own
        EXPECT_OK(invoke(t.cspace, CapabilitySpaceLabel::Delete, 1).error); // no console
        const uint64_t playground = make(ObjectType::VirtualSpace);
        const InvokeResult pool = invoke(arena.words[0], MemoryLabel::Split, kFuzzPoolPages, kAnySlot);
        const uint64_t reply = make(ObjectType::Reply);
        EXPECT(playground != kNoSlot && reply != kNoSlot);
        EXPECT_OK(pool.error);
        EXPECT_OK(give(t, fuzz_slot::kOwnCspace, t.cspace));
        EXPECT_OK(give(t, fuzz_slot::kPlayground, playground));
        EXPECT_OK(give(t, fuzz_slot::kPool, pool.words[0]));
        EXPECT_OK(give(t, fuzz_slot::kEndpoint, endpoint));
        EXPECT_OK(give(t, fuzz_slot::kNotification, notification));
        EXPECT_OK(give(t, fuzz_slot::kReply, reply));
        // The shared page, at the same address in the task as here.
        uint64_t shared_copy = kNoSlot;
        EXPECT_OK(copy_cap(shared_page, rights::kRead | rights::kWrite, 0, &shared_copy));
        EXPECT_OK(invoke(t.vspace, VirtualSpaceLabel::Map, shared_copy, shared_address, rights::kRead | rights::kWrite)
                      .error);
        EXPECT_OK(mark_fuzzer(t, i, shared_address));
        if (cpus > 1) EXPECT_OK(invoke(t.task, TaskLabel::SetAffinity, i % cpus).error);
    }
    for (size_t i = 0; i < task_count; ++i)
        EXPECT_OK(give(tasks[i], fuzz_slot::kPartnerCspace, tasks[(i + 1) % task_count].cspace));
    runtime.memory = runner_memory;
    for (size_t i = 0; i < task_count; ++i) EXPECT_OK(start(tasks[i]));

    uint64_t last_progress[kMaxFuzzTasks] = {}, stalls[kMaxFuzzTasks] = {};
    uint64_t unblocked = 0, unknown = 0, exits = 0, moves = 0;
    auto finished = [&] {
        for (size_t i = 0; i < task_count; ++i)
            if (!shared.task[i].finished) return false;
        return true;
    };
    for (uint64_t round = 0; !finished(); ++round) {
        if (cpus > 1) { // one task to the next CPU, wherever it is and whatever it does
            const size_t i = round % task_count;
            const InvokeResult moved =
                invoke(tasks[i].task, TaskLabel::SetAffinity, (i + round / task_count + 1) % cpus);
            EXPECT_OK(moved.error);
            ++moves;
        }
        runtime.ipc_buffer->poll[0] = faults;
        if (syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, 1).error == Error::None) {
            const SyscallResult m = syscall(Syscall::Recv, faults, {}, 0, 0, 0, 0, fault_reply);
            EXPECT_OK(m.error);
            const size_t index = m.badge - kFaultBadgeBase;
            EXPECT(index < task_count);
            const auto kind = FaultKind(m.tag.label());
            if (kind == FaultKind::Exited) { // it called Exit: start it again
                ++exits;
                EXPECT_OK(invoke(tasks[index].task, TaskLabel::Resume).error);
            } else if (kind == FaultKind::UnknownSyscall) {
                ++unknown;
                syscall(Syscall::Reply, 0, MessageTag::make(0, 0, 0), 0, 0, 0, 0, fault_reply);
            } else {
                char text[128];
                print_to(text, sizeof(text), "fuzzing task {} took a {} at ip {:x} address {:x}", index,
                         fault_kind_name(kind), m.words[1], m.words[0]);
                return fail(text, __LINE__);
            }
            continue;
        }
        for (size_t i = 0; i < task_count; ++i) {
            const uint64_t state = task_state(tasks[i].task);
            const bool waiting = state >= uint64_t(TaskState::BlockedSend) || state == uint64_t(TaskState::Inactive);
            if (!shared.task[i].finished && shared.task[i].progress == last_progress[i] && waiting) {
                if (++stalls[i] >= 2) {
                    EXPECT_OK(invoke(tasks[i].task, TaskLabel::Suspend).error);
                    EXPECT_OK(invoke(tasks[i].task, TaskLabel::Resume).error);
                    ++unblocked;
                    stalls[i] = 0;
                }
            } else {
                stalls[i] = 0;
            }
            last_progress[i] = shared.task[i].progress;
        }
    }
    for (size_t i = 0; i < task_count; ++i) EXPECT_OK(invoke(tasks[i].task, TaskLabel::Suspend).error);

    // The kernel still runs and a canary still answers.
    const SyscallResult answer = syscall(Syscall::Call, canary_endpoint, MessageTag::make(1, 1, 0), 41);
    EXPECT_OK(answer.error);
    EXPECT(answer.words[0] == 42);

    uint64_t results[32] = {}, total = 0;
    for (size_t i = 0; i < task_count; ++i) {
        total += shared.task[i].progress;
        for (size_t e = 0; e < 32; ++e) results[e] += shared.task[i].results[e];
    }
    print("fuzz: {} {} syscalls from {} tasks on {} CPUs ({} moves between CPUs, {} unknown numbers resumed, {} exits "
          "restarted, {} stalls ended by the watchdog); results:",
          total, mode == FuzzMode::Stateful ? "stateful" : "random", task_count, cpus, moves, unknown, exits,
          unblocked);
    for (size_t e = 0; e < 18; ++e)
        if (results[e]) print(" {}={}", error_name(Error(e)), results[e]);
    puts("\n");
    EXPECT(total >= calls / task_count * task_count);

    // Everything they made goes with the arena; the runner's pool is whole again.
    EXPECT_OK(invoke(runtime.cspace, CapabilitySpaceLabel::Delete, arena.words[0]).error);
    const uint64_t after = free_pages();
    if (after != before) {
        char text[96];
        print_to(text, sizeof(text), "free pages {} before, {} after", before, after);
        return fail(text, __LINE__);
    }
    return true;
}

bool random_fuzzer() { return fuzz(FuzzMode::Random, parameters.fuzz_count); }
bool stateful_fuzzer() { return fuzz(FuzzMode::Stateful, parameters.fuzz_count); }

} // namespace

bool stateful_fuzzer_every_cpu() {
    const uint64_t cpus = cpus_running_tasks();
    if (cpus == 1) return true; // it would be fuzz.stateful again
    // A quarter of suite-fuzz=N: QEMU runs every CPU's thread on the host's
    // two cores, and with more busy CPUs than cores each syscall waits for a
    // kernel lock whose holder the host has descheduled (docs/smp.md).
    return fuzz(FuzzMode::Stateful, parameters.fuzz_count / 4, cpus > kMaxFuzzTasks ? kMaxFuzzTasks : cpus, cpus);
}

extern const Test kFuzzTests[] = {
    {"fuzz.syscalls", random_fuzzer, 6000, 600},
    {"fuzz.stateful", stateful_fuzzer, 6000, 600},
};
extern const size_t kFuzzTestCount = sizeof(kFuzzTests) / sizeof(kFuzzTests[0]);

} // namespace suite
