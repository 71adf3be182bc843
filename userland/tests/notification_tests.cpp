// userland/tests/notification_tests.cpp — signal/wait, badges OR-ed, poll
// over several objects, poll timeout expiry.
#include "suite.hpp"

namespace suite {

namespace {

struct Shared {
    volatile uint64_t done, error, bits;
};
Shared shared;
constexpr uint64_t kSlot = 2;

void waiter(uint64_t) {
    const SyscallResult m = syscall(Syscall::Wait, kSlot);
    shared.error = uint64_t(m.error);
    shared.bits = m.extra;
    shared.done = 1;
    thread_exit();
}

void signaller(uint64_t) {
    shared.error = uint64_t(syscall(Syscall::Signal, kSlot).error);
    shared.done = 1;
    thread_exit();
}

Thread thread_with(void (*entry)(uint64_t), uint64_t object, uint8_t object_rights = rights::kAll, uint64_t badge = 0) {
    Thread t = make_thread(entry, 1);
    if (t.ok && give_thread(t, kSlot, object, object_rights, badge) != Error::None) t.ok = false;
    if (t.ok && start_thread(t) != Error::None) t.ok = false;
    return t;
}

SyscallResult poll(const uint64_t* slots, uint64_t count, uint64_t timeout) {
    for (uint64_t i = 0; i < count && i < kMaxPoll; ++i) runtime.ipc_buffer->poll[i] = slots[i];
    return syscall(Syscall::Poll, count, {}, 0, 0, 0, 0, kNoSlot, timeout);
}

bool signal_then_wait() {
    const uint64_t n = make(ObjectType::Notification);
    EXPECT_OK(syscall(Syscall::Signal, n).error);
    const SyscallResult m = syscall(Syscall::Wait, n);
    EXPECT_OK(m.error);
    EXPECT(m.extra == 1);
    return true;
}

// The runtime's lean signal()/wait() (only r0 set up) do what syscall() does.
bool lean_signal_and_wait() {
    const uint64_t n = make(ObjectType::Notification);
    uint64_t badged = 0;
    EXPECT_OK(copy_cap(n, rights::kWrite, 0x30, &badged));
    EXPECT_OK(signal(badged));
    EXPECT_OK(signal(n));
    const SyscallResult m = wait(n);
    EXPECT_OK(m.error);
    EXPECT(m.extra == 0x31);
    EXPECT_ERROR(signal(kNoSlot), Error::InvalidCapability);
    EXPECT_ERROR(wait(kNoSlot).error, Error::InvalidCapability);
    const uint64_t list[] = {n};
    EXPECT_ERROR(poll(list, 1, 0).error, Error::TimedOut); // the bits were taken
    return true;
}

bool badges_ored() {
    const uint64_t n = make(ObjectType::Notification);
    uint64_t a = 0, b = 0, c = 0;
    EXPECT_OK(copy_cap(n, rights::kWrite, 0x1, &a));
    EXPECT_OK(copy_cap(n, rights::kWrite, 0x4, &b));
    EXPECT_OK(copy_cap(n, rights::kWrite, 0x100, &c));
    EXPECT_OK(syscall(Syscall::Signal, a).error);
    EXPECT_OK(syscall(Syscall::Signal, b).error);
    EXPECT_OK(syscall(Syscall::Signal, c).error);
    EXPECT_OK(syscall(Syscall::Signal, b).error);
    const SyscallResult m = syscall(Syscall::Wait, n);
    EXPECT(m.extra == 0x105);
    return true;
}

bool wait_clears_bits() {
    const uint64_t n = make(ObjectType::Notification);
    EXPECT_OK(syscall(Syscall::Signal, n).error);
    EXPECT(syscall(Syscall::Wait, n).extra == 1);
    const uint64_t list[] = {n};
    EXPECT_ERROR(poll(list, 1, 0).error, Error::TimedOut);
    return true;
}

bool wait_blocks_until_signal() {
    const uint64_t n = make(ObjectType::Notification);
    Thread t = thread_with(waiter, n, rights::kRead);
    EXPECT(t.ok);
    EXPECT(wait_until([&] { return task_state(t.spawned.task) == uint64_t(TaskState::BlockedNotification); }));
    EXPECT(shared.done == 0);
    uint64_t badged = 0;
    EXPECT_OK(copy_cap(n, rights::kWrite, 0x30, &badged));
    EXPECT_OK(syscall(Syscall::Signal, badged).error);
    EXPECT(wait_until([] { return shared.done == 1; }));
    EXPECT(shared.error == 0 && shared.bits == 0x30);
    return true;
}

bool signal_from_thread_wakes_wait() {
    const uint64_t n = make(ObjectType::Notification);
    Thread t = thread_with(signaller, n, rights::kWrite, 8);
    EXPECT(t.ok);
    const SyscallResult m = syscall(Syscall::Wait, n);
    EXPECT_OK(m.error);
    EXPECT(m.extra == 8);
    return true;
}

bool notification_rights() {
    const uint64_t n = make(ObjectType::Notification);
    uint64_t read_only = 0, write_only = 0;
    EXPECT_OK(copy_cap(n, rights::kRead, 0, &read_only));
    EXPECT_OK(copy_cap(n, rights::kWrite, 0, &write_only));
    EXPECT_ERROR(syscall(Syscall::Signal, read_only).error, Error::MissingRights);
    EXPECT_ERROR(syscall(Syscall::Wait, write_only).error, Error::MissingRights);
    const uint64_t list[] = {write_only};
    EXPECT_ERROR(poll(list, 1, 0).error, Error::MissingRights);
    return true;
}

bool wrong_types() {
    const uint64_t ep = make(ObjectType::Endpoint);
    EXPECT_ERROR(syscall(Syscall::Signal, ep).error, Error::WrongType);
    EXPECT_ERROR(syscall(Syscall::Wait, ep).error, Error::WrongType);
    const uint64_t page = make(ObjectType::Page, 1);
    const uint64_t list[] = {page};
    EXPECT_ERROR(poll(list, 1, 0).error, Error::WrongType);
    return true;
}

bool waiter_gets_peer_gone() {
    const uint64_t n = make(ObjectType::Notification);
    Thread t = thread_with(waiter, n, rights::kRead);
    EXPECT(t.ok);
    EXPECT(wait_until([&] { return task_state(t.spawned.task) == uint64_t(TaskState::BlockedNotification); }));
    EXPECT_OK(invoke(t.spawned.cspace, CapabilitySpaceLabel::Delete, kSlot).error);
    EXPECT_OK(delete_cap(n));
    EXPECT(wait_until([] { return shared.done == 1; }));
    EXPECT(shared.error == uint64_t(Error::PeerGone));
    return true;
}

bool poll_ready_notification() {
    const uint64_t a = make(ObjectType::Notification), b = make(ObjectType::Notification),
                   c = make(ObjectType::Notification);
    EXPECT_OK(syscall(Syscall::Signal, b).error);
    const uint64_t list[] = {a, b, c};
    const SyscallResult m = poll(list, 3, 0);
    EXPECT_OK(m.error);
    EXPECT(m.extra == 0b010);
    // Poll does not consume: the bits are still there.
    EXPECT(syscall(Syscall::Wait, b).extra == 1);
    return true;
}

bool poll_several_ready() {
    uint64_t list[kMaxPoll];
    for (size_t i = 0; i < kMaxPoll; ++i) list[i] = make(ObjectType::Notification);
    EXPECT_OK(syscall(Syscall::Signal, list[0]).error);
    EXPECT_OK(syscall(Syscall::Signal, list[5]).error);
    EXPECT_OK(syscall(Syscall::Signal, list[7]).error);
    const SyscallResult m = poll(list, kMaxPoll, kNoTimeout);
    EXPECT_OK(m.error);
    EXPECT(m.extra == 0b1010'0001);
    return true;
}

bool poll_endpoint_with_sender() {
    const uint64_t ep = make(ObjectType::Endpoint), n = make(ObjectType::Notification);
    Thread t = make_thread(
        [](uint64_t) {
            syscall(Syscall::Send, kSlot, MessageTag::make(4, 0, 0));
            thread_exit();
        },
        1);
    EXPECT(t.ok && give_thread(t, kSlot, ep) == Error::None && start_thread(t) == Error::None);
    const uint64_t list[] = {n, ep};
    const SyscallResult m = poll(list, 2, 100);
    EXPECT_OK(m.error);
    EXPECT(m.extra == 0b10);
    EXPECT(syscall(Syscall::TryRecv, ep).tag.label() == 4);
    return true;
}

bool poll_wakes_on_signal() {
    const uint64_t a = make(ObjectType::Notification), b = make(ObjectType::Notification);
    Thread t = thread_with(signaller, b, rights::kWrite);
    EXPECT(t.ok);
    const uint64_t list[] = {a, b};
    const SyscallResult m = poll(list, 2, kNoTimeout);
    EXPECT_OK(m.error);
    EXPECT(m.extra == 0b10);
    return true;
}

bool poll_timeout_zero() {
    const uint64_t n = make(ObjectType::Notification);
    const uint64_t list[] = {n};
    EXPECT_ERROR(poll(list, 1, 0).error, Error::TimedOut);
    return true;
}

bool poll_timeout_expiry() {
    const uint64_t n = make(ObjectType::Notification);
    const uint64_t list[] = {n};
    const uint64_t start = cycle_counter();
    EXPECT_ERROR(poll(list, 1, 10).error, Error::TimedOut);
    const uint64_t ms = elapsed_ms(start, cycle_counter());
    // 10 ticks of 10 ms: at least 9 full ticks, and not absurdly late.
    if (parameters.counter_frequency) EXPECT(ms >= 80 && ms < 2000);
    return true;
}

bool poll_bad_arguments() {
    const uint64_t n = make(ObjectType::Notification);
    const uint64_t dup[] = {n, n};
    EXPECT_ERROR(poll(dup, 2, 0).error, Error::InvalidArgument);
    EXPECT_ERROR(poll(dup, 0, 0).error, Error::InvalidArgument);
    EXPECT_ERROR(syscall(Syscall::Poll, kMaxPoll + 1, {}, 0, 0, 0, 0, kNoSlot, 0).error, Error::InvalidArgument);
    EXPECT_ERROR(syscall(Syscall::Poll, ~uint64_t{0}, {}, 0, 0, 0, 0, kNoSlot, 0).error, Error::InvalidArgument);
    const uint64_t bad[] = {n, 999};
    EXPECT_ERROR(poll(bad, 2, 0).error, Error::InvalidCapability);
    return true;
}

bool poller_gets_peer_gone() {
    const uint64_t n = make(ObjectType::Notification);
    Thread t = make_thread(
        [](uint64_t ipc) {
            reinterpret_cast<IpcBuffer*>(ipc)->poll[0] = kSlot;
            shared.error = uint64_t(syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, kNoTimeout).error);
            shared.done = 1;
            thread_exit();
        },
        0);
    EXPECT(t.ok && give_thread(t, kSlot, n) == Error::None && start_thread(t) == Error::None);
    EXPECT(wait_until([&] { return task_state(t.spawned.task) == uint64_t(TaskState::BlockedPoll); }));
    EXPECT_OK(invoke(t.spawned.cspace, CapabilitySpaceLabel::Delete, kSlot).error);
    EXPECT_OK(delete_cap(n));
    EXPECT(wait_until([] { return shared.done == 1; }));
    EXPECT(shared.error == uint64_t(Error::PeerGone));
    return true;
}

bool many_signals_one_wake() {
    const uint64_t n = make(ObjectType::Notification);
    for (int i = 0; i < 1000; ++i) EXPECT_OK(syscall(Syscall::Signal, n).error);
    EXPECT(syscall(Syscall::Wait, n).extra == 1);
    return true;
}

} // namespace

extern const Test kNotificationTests[] = {
    {"notification.signal_then_wait", signal_then_wait},
    {"notification.badges_ored", badges_ored},
    {"notification.lean_signal_and_wait", lean_signal_and_wait},
    {"notification.wait_clears_bits", wait_clears_bits},
    {"notification.wait_blocks_until_signal", wait_blocks_until_signal},
    {"notification.signal_from_thread_wakes_wait", signal_from_thread_wakes_wait},
    {"notification.rights", notification_rights},
    {"notification.wrong_types", wrong_types},
    {"notification.waiter_gets_peer_gone", waiter_gets_peer_gone},
    {"notification.many_signals_one_wake", many_signals_one_wake},
    {"poll.ready_notification", poll_ready_notification},
    {"poll.several_ready", poll_several_ready},
    {"poll.endpoint_with_sender", poll_endpoint_with_sender},
    {"poll.wakes_on_signal", poll_wakes_on_signal},
    {"poll.timeout_zero", poll_timeout_zero},
    {"poll.timeout_expiry", poll_timeout_expiry},
    {"poll.bad_arguments", poll_bad_arguments},
    {"poll.poller_gets_peer_gone", poller_gets_peer_gone},
};
extern const size_t kNotificationTestCount = sizeof(kNotificationTests) / sizeof(kNotificationTests[0]);

} // namespace suite
