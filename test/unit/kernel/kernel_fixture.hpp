// The host test harness for the kernel core: a Kernel over a host buffer of
// "physical memory", the root task made by the real boot code, and helpers
// that play user code: set registers, enter the kernel, read the results.
#pragma once

#include <arch/host.hpp>
#include <arch/physical_memory.hpp>
#include <boot/initial_objects.hpp>
#include <catch2/catch_test_macros.hpp>
#include <entry.hpp>
#include <initializer_list>
#include <ipc/ipc.hpp>
#include <kernel.hpp>
#include <object/endpoint.hpp>
#include <object/notification.hpp>
#include <object/reply.hpp>
#include <object/teardown.hpp>

namespace vesta::test {

struct CallResult {
    Error error;
    MessageTag tag;
    uint64_t words[kRegisterMessageWords];
};

struct Spawned {
    Task* task;
    uint64_t task_slot;      // in the root cspace
    CapabilitySpace* cspace; // its own, or the root's
    uint64_t buffer_slot;    // its IPC buffer page, in the root cspace
    IpcBuffer* buffer;
};

class KernelFixture {
public:
    static constexpr uint64_t kPhysicalBase = 0x4000'0000;
    static constexpr uint8_t kRootPriority = 200;

    // The kernel lock's mode (vesta_kernel_locking, smp/cross_cpu.hpp) for
    // this fixture's kernel. FromEnvironment: unlocked (one CPU runs tasks)
    // when VESTA_TEST_KERNEL_LOCK=off, else locked (as with several CPUs):
    // meson runs the kernel tests once each way. Tests with a second Cpu
    // ask for Locked.
    enum class LockMode { FromEnvironment, Locked, Unlocked };
    explicit KernelFixture(uint64_t pages = 2048, LockMode mode = LockMode::FromEnvironment);
    ~KernelFixture();
    KernelFixture(const KernelFixture&) = delete;
    KernelFixture& operator=(const KernelFixture&) = delete;

    Kernel& kernel;
    Cpu& cpu;
    Memory* pool;
    RootTask root;
    Task& root_task;
    uint64_t restarts = 0;
    // false: every syscall takes the general path (differential tests).
    bool fast_path = true;
    // Syscalls the fast path did whole, by number.
    uint64_t fast_taken[kSyscallCount] = {};

    // Make `task` the running task now (a test shortcut for "it got scheduled").
    void switch_to(Task& task);
    // Enter the kernel with a syscall from `task`, which must be current.
    // (ipc and invoke first switch to `task` when it is ready.) A call the
    // kernel rewinds to continue later (a long Delete) is entered again, as
    // the task would, until it completes; `restarts` counts those.
    // `registers` fill r0, r1, ... in order. Returns r0 afterwards.
    Error syscall(Task& task, Syscall number, std::initializer_list<uint64_t> registers = {});
    // Call a kernel object in `task`'s cspace; the reply.
    CallResult invoke(Task& task, uint64_t slot, uint64_t label, std::initializer_list<uint64_t> words = {});
    template <class Label>
    CallResult invoke(Task& task, uint64_t slot, Label label, std::initializer_list<uint64_t> words = {}) {
        return invoke(task, slot, static_cast<uint64_t>(label), words);
    }

    // An IPC syscall from `task`: r0 = capability, r1 = tag(label, words,
    // caps), r2.. = first words (the rest go to its IPC buffer), r6 = reply.
    Error ipc(Task& task, Syscall number, uint64_t capability, uint64_t label = 0,
              std::initializer_list<uint64_t> words = {}, uint64_t reply = kNoSlot, size_t caps = 0);

    // Poll from `task`: r0 = count, r7 = timeout (slots in its IPC buffer).
    Error syscall_ready(Task& task, uint64_t count, uint64_t timeout) {
        switch_to(task);
        return syscall(task, Syscall::Poll, {count, 0, 0, 0, 0, 0, 0, timeout});
    }

    // Root-task shortcuts (the root task must be current).
    uint64_t create(ObjectType type, uint64_t size = 0, uint64_t memory_slot = root_slot::kMemory);
    Capability& slot(uint64_t index, CapabilitySpace* space = nullptr);
    template <class T>
    T& object(uint64_t index, CapabilitySpace* space = nullptr) {
        Object* found = slot(index, space).object;
        REQUIRE(found);
        REQUIRE(found->type == T::kType);
        return *static_cast<T*>(found);
    }
    // A new configured, resumed task at `priority` with an IPC buffer; its
    // own cspace of `own_slots` slots (0: share the root cspace).
    Spawned spawn(uint8_t priority, uint32_t own_slots = 0);
    // Copy a root capability into `to`'s cspace (at `destination` or any slot).
    uint64_t give(const Spawned& to, uint64_t root_index, uint8_t rights = rights::kAll, uint64_t badge = 0,
                  uint64_t destination = kAnySlot);

    // The message registers of a task as user code would read them.
    static Error status(const Task& task) { return static_cast<Error>(task.context.argument(reg::kStatus)); }
    static MessageTag tag(const Task& task) { return MessageTag{task.context.argument(reg::kTag)}; }
    static uint64_t word(const Task& task, size_t i) { return task.context.argument(reg::kWord0 + i); }
    static uint64_t badge(const Task& task) { return task.context.argument(reg::kBadge); }
    static uint64_t extra(const Task& task) { return task.context.argument(reg::kExtra); }

private:
    // handle_syscall for `task`, repeated while the kernel rewinds it.
    void enter(Task& task);
    uint8_t* memory_;
};

} // namespace vesta::test
