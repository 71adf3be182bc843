// The fast-path table the entry stubs call (kernel/syscall/fast_path.hpp):
// one entry per syscall number, the same dispatch as vesta_fast_syscall;
// numbers without a fast path, numbers beyond the table and a task with a
// rewound call pending are declined and change nothing. (That each fast path
// agrees with the general path is the differential tests' job:
// notification_fast_path_test.cpp, syscall_program_test.cpp.)
#include <syscall/fast_path.hpp>

#include "kernel_fixture.hpp"

using namespace vesta;
using namespace vesta::test;

namespace {

bool has_fast_path(uint64_t number) {
    switch (static_cast<Syscall>(number)) {
    case Syscall::Call:
    case Syscall::ReplyRecv:
    case Syscall::Signal:
    case Syscall::Wait:
    case Syscall::Yield: return true;
    default: return false;
    }
}

// The root task's registers and the CPU's current task, to see that nothing changed.
struct Registers {
    uint64_t r[kSyscallRegisters];
    const Task* current;
    bool operator==(const Registers& other) const {
        for (size_t i = 0; i < kSyscallRegisters; ++i)
            if (r[i] != other.r[i]) return false;
        return current == other.current;
    }
};

Registers registers(const KernelFixture& f) {
    Registers out{};
    for (size_t i = 0; i < kSyscallRegisters; ++i) out.r[i] = f.root_task.context.argument(i);
    out.current = f.cpu.current;
    return out;
}

} // namespace

TEST_CASE("the fast-path table declines what has no fast path and changes nothing", "[syscall][fast]") {
    KernelFixture f;
    // A notification with no waiter and no bits: Wait on it would block, so
    // only the numbers without a fast path are called with it in r0.
    const uint64_t notification = f.create(ObjectType::Notification);
    f.root_task.set_register(reg::kCapability, notification);
    const Registers before = registers(f);
    for (uint64_t number = 0; number < kFastPathTableSize; ++number) {
        INFO("syscall number " << number);
        if (has_fast_path(number)) continue;
        CHECK(vesta_fast_paths[number](f.cpu, f.root_task) == FastPath::NotTaken);
        CHECK(vesta_fast_syscall(f.cpu, f.root_task, number) == FastPath::NotTaken);
        CHECK(registers(f) == before);
    }
    for (uint64_t number : {kFastPathTableSize, kFastPathTableSize + 1, uint64_t{1} << 32, ~uint64_t{0}}) {
        INFO("syscall number " << number);
        CHECK(vesta_fast_syscall(f.cpu, f.root_task, number) == FastPath::NotTaken);
        CHECK(registers(f) == before);
    }
}

TEST_CASE("every fast path declines a task with a rewound call pending", "[syscall][fast]") {
    KernelFixture f;
    const uint64_t notification = f.create(ObjectType::Notification);
    f.root_task.set_register(reg::kCapability, notification);
    // Signal on this notification (no waiter) and Yield (nothing ready above
    // the root) would be taken at once...
    CHECK(vesta_fast_paths[static_cast<uint64_t>(Syscall::Yield)](f.cpu, f.root_task) == FastPath::SameThread);
    f.root_task.set_register(reg::kCapability, notification); // Yield's status went to r0
    f.root_task.restart.active = true;
    const Registers before = registers(f);
    // ... but not with a call to continue: each entry of the table declines.
    for (uint64_t number = 0; number < kFastPathTableSize; ++number) {
        INFO("syscall number " << number);
        CHECK(vesta_fast_paths[number](f.cpu, f.root_task) == FastPath::NotTaken);
        CHECK(registers(f) == before);
    }
    CHECK(f.object<Notification>(notification).bits == 0);
    f.root_task.restart.active = false;
    CHECK(vesta_fast_paths[static_cast<uint64_t>(Syscall::Signal)](f.cpu, f.root_task) == FastPath::SameThread);
    CHECK(f.object<Notification>(notification).bits == 1);
}
