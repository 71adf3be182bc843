// userland/tests/fuzz_tests.cpp — the syscall fuzzer: parameters.fuzz_count
// random syscalls with random and nasty arguments (0, -1, kernel addresses,
// unmapped and page-straddling addresses, huge lengths, every syscall number
// and some out of range, random IPC-buffer contents) from an unprivileged
// thread: its cspace holds only an endpoint without Read/Write, a
// notification it may only signal, a small memory pool, a page, a reply
// object and a read-only view of its own cspace. No vspace, no IRQ or I/O
// control, no task capability of its own.
//
// The runner is its fault handler (unknown syscall numbers are resumed) and
// its watchdog: a call that blocks (on objects the fuzzer made) is ended by
// Suspend + Resume. Afterwards: a canary thread still answers, and once the
// pool that paid for everything the test made (reference cycles included) is
// deleted, the runner's pool has exactly as many free pages as before.
#include "suite.hpp"

namespace suite {

namespace {

constexpr uint64_t kEndpoint = 2, kNotification = 3, kPool = 4, kPage = 5, kReply = 6, kOwnCspace = 8;
constexpr uint64_t kFuzzSlots = 64;

struct Shared {
    volatile uint64_t progress;
    volatile uint64_t finished;
    volatile uint64_t count;
    volatile uint64_t errors[32];
    IpcBuffer* volatile ipc;
};
Shared shared;

uint64_t rng_state = 0x9e37'79b9'7f4a'7c15;
uint64_t next() {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

constexpr uint64_t kNasty[] = {
    0, 1, 2, 3, 7, 8, 0xff, 0x1000, 0xfff, 0x1001, ~uint64_t{0}, ~uint64_t{0} - 1, uint64_t{1} << 63,
    0x7fff'ffff'ffff'ffff, 0xffff'8000'0000'0000, 0xffff'ffff'8010'0000, 0xffff'ffff'ffff'f000,
    0x0000'7fff'ffff'f000, 0x0000'7fff'ffff'fff8, 0x0000'8000'0000'0000, 0x0000'3000'0000'0ffc,
    0x0000'3000'0000'0000, 0x0040'0000, 0x7fff'e000'1000, 65536, 65537, 512, 513, 0x1'0000'0000, kAnySlot - 1,
};
constexpr size_t kNastyCount = sizeof(kNasty) / sizeof(kNasty[0]);

uint64_t nasty() { return kNasty[next() % kNastyCount]; }
uint64_t slot_value() {
    const uint64_t r = next() % 10;
    if (r < 7) return next() % 12;
    if (r < 9) return next() % kFuzzSlots;
    return nasty();
}
uint64_t word() {
    const uint64_t r = next() % 8;
    if (r < 3) return next() % 16;
    if (r < 5) return slot_value();
    if (r < 7) return nasty();
    return next();
}

[[noreturn]] void fuzz(uint64_t) {
    IpcBuffer* ipc = shared.ipc;
    const uint64_t count = shared.count;
    for (uint64_t i = 0; i < count; ++i) {
        if (next() % 8 == 0) {
            for (size_t k = 0; k < kMaxMessageWords; ++k) ipc->words[k] = word();
            for (size_t k = 0; k < kMaxMessageCaps; ++k) ipc->caps[k] = slot_value();
            for (size_t k = 0; k < kMaxMessageCaps; ++k) ipc->receive_slots[k] = next() % 2 ? kAnySlot : slot_value();
            for (size_t k = 0; k < kMaxPoll; ++k) ipc->poll[k] = slot_value();
        }
        uint64_t number = next() % 13;
        if (number == 12) number = next() % 4 == 0 ? nasty() : 12 + next() % 300;
        Registers regs{};
        regs.r[0] = number == 9 ? next() % 10 : slot_value();
        const uint64_t label = next() % 4 ? next() % 9 : next();
        regs.r[1] = next() % 8 ? (label << 16) | (next() % 6) << 8 | next() % 40 : next();
        for (size_t k = 2; k < 6; ++k) regs.r[k] = word();
        regs.r[6] = next() % 4 ? slot_value() : nasty();
        regs.r[7] = next() % 4 ? next() % 3 : nasty();
        syscall_raw(number, regs);
        if (number < kSyscallCount) shared.errors[regs.r[0] & 31] = shared.errors[regs.r[0] & 31] + 1;
        shared.progress = i + 1;
    }
    shared.finished = 1;
    for (;;) syscall(Syscall::Yield, 0);
}

[[noreturn]] void canary(uint64_t) {
    Message m = syscall(Syscall::Recv, 2, {}, 0, 0, 0, 0, 3);
    for (;;) m = syscall(Syscall::ReplyRecv, 2, MessageTag::make(0, 1, 0), m.words[0] + 1, 0, 0, 0, 3);
}

bool syscall_fuzzer() {
    // The threads' IPC buffers are mapped in this runner's vspace, whose page
    // tables stay: make the tables for that range first, then count.
    uint64_t warm_address = 0, warm_page = 0;
    EXPECT_OK(map_new_pages(1, rights::kRead | rights::kWrite, &warm_address, &warm_page));
    EXPECT_OK(delete_cap(warm_page));
    const uint64_t before = free_pages();
    // One pool pays for everything this test makes; deleting it at the end
    // reclaims whatever the random calls built (cycles included).
    const InvokeResult arena = invoke(runtime.memory, MemoryLabel::Split, 320, kAnySlot);
    EXPECT_OK(arena.error);
    const uint64_t runner_memory = runtime.memory;
    runtime.memory = arena.words[0];
    const InvokeResult pool = invoke(runtime.memory, MemoryLabel::Split, 64, kAnySlot);
    EXPECT_OK(pool.error);
    const uint64_t endpoint = make(ObjectType::Endpoint), notification = make(ObjectType::Notification),
                   page = make(ObjectType::Page, 1), reply = make(ObjectType::Reply),
                   faults = make(ObjectType::Endpoint), fault_reply = make(ObjectType::Reply),
                   canary_endpoint = make(ObjectType::Endpoint), canary_reply = make(ObjectType::Reply);
    uint64_t fault_badged = 0;
    EXPECT_OK(copy_cap(faults, rights::kWrite | rights::kGrant, 0xf, &fault_badged));
    Thread canary_thread = make_thread(canary, 1, 100);
    Thread fuzzer = make_thread(fuzz, 1, 90, fault_badged);
    runtime.memory = runner_memory;
    EXPECT(canary_thread.ok && fuzzer.ok);
    EXPECT_OK(give_thread(canary_thread, 2, canary_endpoint));
    EXPECT_OK(give_thread(canary_thread, 3, canary_reply));
    EXPECT_OK(start_thread(canary_thread));

    const uint64_t fcspace = fuzzer.spawned.cspace;
    EXPECT_OK(invoke(fcspace, CapabilitySpaceLabel::Delete, 0).error); // no task capability of its own
    EXPECT_OK(invoke(fcspace, CapabilitySpaceLabel::Delete, 1).error); // no console
    EXPECT_OK(give_thread(fuzzer, kEndpoint, endpoint, rights::kGrant));
    EXPECT_OK(give_thread(fuzzer, kNotification, notification, rights::kWrite));
    EXPECT_OK(give_thread(fuzzer, kPool, pool.words[0]));
    EXPECT_OK(give_thread(fuzzer, kPage, page, rights::kRead | rights::kWrite));
    EXPECT_OK(give_thread(fuzzer, kReply, reply));
    EXPECT_OK(give_thread(fuzzer, kOwnCspace, fcspace, rights::kRead));
    shared.ipc = reinterpret_cast<IpcBuffer*>(fuzzer.spawned.ipc_buffer);
    shared.count = parameters.fuzz_count;
    rng_state ^= parameters.fuzz_count * 0x2545'f491'4f6c'dd1d;
    EXPECT_OK(start_thread(fuzzer));

    uint64_t last_progress = ~uint64_t{0}, stalls = 0, unblocked = 0, unknown = 0, exits = 0;
    const uint64_t task = fuzzer.spawned.task;
    while (!shared.finished) {
        runtime.ipc_buffer->poll[0] = faults;
        const Message ready = syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, 1);
        if (ready.error == Error::None) {
            const Message m = syscall(Syscall::Recv, faults, {}, 0, 0, 0, 0, fault_reply);
            EXPECT_OK(m.error);
            if (m.tag.label() == uint64_t(FaultKind::Exited)) { // it called Exit: start it again
                ++exits;
                EXPECT_OK(invoke(task, TaskLabel::Resume).error);
                continue;
            }
            if (m.tag.label() != uint64_t(FaultKind::UnknownSyscall)) {
                char text[128];
                print_to(text, sizeof(text), "fuzzer took a {} at ip {:x} address {:x}",
                         fault_kind_name(FaultKind(m.tag.label())), m.words[1], m.words[0]);
                return fail(text, __LINE__);
            }
            ++unknown;
            syscall(Syscall::Reply, 0, MessageTag::make(0, 0, 0), 0, 0, 0, 0, fault_reply);
            continue;
        }
        const uint64_t state = task_state(task);
        if (shared.progress == last_progress && state >= uint64_t(TaskState::BlockedSend) &&
            state <= uint64_t(TaskState::BlockedPoll)) {
            if (++stalls >= 2) {
                EXPECT_OK(invoke(task, TaskLabel::Suspend).error);
                EXPECT_OK(invoke(task, TaskLabel::Resume).error);
                ++unblocked;
                stalls = 0;
            }
        } else {
            stalls = 0;
        }
        if (state == uint64_t(TaskState::Faulted) || state == uint64_t(TaskState::Inactive))
            return fail("the fuzzer stopped", __LINE__);
        last_progress = shared.progress;
    }
    EXPECT(shared.progress == parameters.fuzz_count);
    EXPECT_OK(invoke(task, TaskLabel::Suspend).error);

    // The kernel still runs and a canary still answers.
    const Message answer = syscall(Syscall::Call, canary_endpoint, MessageTag::make(1, 1, 0), 41);
    EXPECT_OK(answer.error);
    EXPECT(answer.words[0] == 42);
    EXPECT_OK(invoke(canary_thread.spawned.task, TaskLabel::Suspend).error);

    print("fuzz: {} syscalls ({} unknown numbers resumed, {} exits resumed, {} blocking calls ended by the "
          "watchdog); results:",
          shared.progress, unknown, exits, unblocked);
    for (size_t e = 0; e < 18; ++e)
        if (shared.errors[e]) print(" {}={}", error_name(Error(e)), shared.errors[e]);
    puts("\n");

    // Everything it made goes with the arena; the runner's pool is whole again.
    EXPECT_OK(invoke(runtime.cspace, CapabilitySpaceLabel::Delete, arena.words[0]).error);
    const uint64_t after = free_pages();
    if (after != before) {
        char text[96];
        print_to(text, sizeof(text), "free pages {} before, {} after", before, after);
        return fail(text, __LINE__);
    }
    return true;
}

} // namespace

extern const Test kFuzzTests[] = {
    {"fuzz.syscalls", syscall_fuzzer, 60000},
};
extern const size_t kFuzzTestCount = sizeof(kFuzzTests) / sizeof(kFuzzTests[0]);

} // namespace suite
