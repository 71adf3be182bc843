// userland/sysinit/supervision_timer.cpp — SupervisionTimer (supervision_timer.hpp).
#include "supervision_timer.hpp"

#include <user/runtime.hpp>

namespace sysinit {

using namespace vesta;
using namespace vesta::user;

namespace {

constexpr uint64_t kTickMicroseconds = 10000; // the kernel's timer tick
constexpr uint8_t kTimerPriority = 128;       // sysinit's own: a busy driver (110) does not delay a restart
// The thread's cspace: the two notifications at fixed slots.
constexpr uint64_t kThreadFire = 2, kThreadArm = 3;

// The timeout of the next Poll in ticks (kNoTimeout: idle), written by the
// serving thread before it signals "arm".
volatile uint64_t pending_ticks = kNoTimeout;

[[noreturn]] void timer_thread(uint64_t ipc_buffer_address) {
    auto* buffer = reinterpret_cast<IpcBuffer*>(ipc_buffer_address);
    for (;;) {
        const uint64_t ticks = __atomic_load_n(&pending_ticks, __ATOMIC_ACQUIRE);
        buffer->poll[0] = kThreadArm;
        const SyscallResult polled = syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, ticks);
        if (polled.error == Error::TimedOut) {
            syscall(Syscall::Signal, kThreadFire);
            syscall(Syscall::Wait, kThreadArm); // until the supervisor arms again
        } else {
            syscall(Syscall::Wait, kThreadArm); // take the arm's bit, then read the new timeout
        }
    }
}

} // namespace

Error SupervisionTimer::initialise(uint64_t counter_frequency) {
    frequency_ = counter_frequency;
    if (const Error e = create(ObjectType::Notification, 0, &fire_); e != Error::None) return e;
    if (const Error e = create(ObjectType::Notification, 0, &arm_); e != Error::None) return e;
    uint64_t stack = 0, stack_page = 0;
    if (const Error e = map_new_pages(2, rights::kRead | rights::kWrite, &stack, &stack_page); e != Error::None)
        return e;
    SpawnOptions options;
    options.vspace = runtime.vspace;
    options.cspace_slots = 8;
    options.priority = kTimerPriority;
    options.entry = reinterpret_cast<uint64_t>(&timer_thread);
    options.stack_top = thread_stack_top(stack, 2 * kPageSize);
    options.name = "sysinit-timer";
    Spawned thread{};
    if (const Error e = spawn(nullptr, 0, options, &thread); e != Error::None) return e;
    if (const Error e = give(thread, kThreadFire, fire_, rights::kWrite); e != Error::None) return e;
    if (const Error e = give(thread, kThreadArm, arm_, rights::kRead); e != Error::None) return e;
    return start(thread);
}

uint64_t SupervisionTimer::now_us() const {
    if (frequency_ == 0) {
        const InvokeResult info = invoke(runtime.system, SystemLabel::Info);
        return info.error == Error::None ? info.words[2] * kTickMicroseconds : 0;
    }
    const uint64_t cycles = cycle_counter();
    return cycles / frequency_ * 1000000 + cycles % frequency_ * 1000000 / frequency_;
}

void SupervisionTimer::arm(uint64_t delay_us) {
    if (delay_us == 0) {
        syscall(Syscall::Signal, fire_);
        return;
    }
    const uint64_t ticks = (delay_us + kTickMicroseconds - 1) / kTickMicroseconds;
    __atomic_store_n(&pending_ticks, ticks, __ATOMIC_RELEASE);
    syscall(Syscall::Signal, arm_);
}

} // namespace sysinit
