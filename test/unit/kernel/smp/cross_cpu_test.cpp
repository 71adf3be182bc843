// Several CPUs in one host Kernel (kernel/smp/cross_cpu.hpp): home CPUs and
// run-queue selection, Task.SetAffinity and its refusals, remote wake-up
// requests, and the synchronisation protocol against a real thread playing
// the other CPU.
#include <smp/cross_cpu.hpp>

#include <atomic>
#include <thread>

#include "../kernel_fixture.hpp"

namespace vesta {
namespace {

using test::KernelFixture;

// Plays another CPU: waits for the kernel lock's holder to ask, then does
// what a CPU entering the kernel does (leaves user mode: clears user_task,
// saying whether it entered by a syscall) and answers from its lock wait.
class OtherCpu {
public:
    explicit OtherCpu(Cpu& cpu, bool entered_by_syscall = false) : cpu_(cpu) {
        thread_ = std::thread([this, entered_by_syscall] {
            while (!stop_.load()) {
                if (__atomic_load_n(&cpu_.request_sequence, __ATOMIC_ACQUIRE) != cpu_.answered_sequence) {
                    __atomic_store_n(&cpu_.entry_is_syscall, static_cast<uint8_t>(entered_by_syscall),
                                     __ATOMIC_RELAXED);
                    (void)__atomic_exchange_n(&cpu_.user_task, nullptr, __ATOMIC_ACQ_REL);
                    answer_requests(cpu_);
                    answers_.fetch_add(1);
                }
                std::this_thread::yield();
            }
        });
    }
    ~OtherCpu() {
        stop_ = true;
        thread_.join();
    }
    uint32_t answers() const { return answers_.load(); }

private:
    Cpu& cpu_;
    std::atomic<bool> stop_{false};
    std::atomic<uint32_t> answers_{0};
    std::thread thread_;
};

struct TwoCpus {
    KernelFixture f{2048, KernelFixture::LockMode::Locked}; // a second CPU runs tasks
    Cpu second;
    TwoCpus() {
        REQUIRE(f.kernel.add_cpu(second, 1) == &second);
        second.schedules = true;
        register_cpu(f.cpu);
        register_cpu(second);
    }
    ~TwoCpus() { reset_cpu_registry(); }
};

uint64_t reschedules(uint32_t index) { return arch::host_machine.reschedules_sent[index]; }

TEST_CASE("Kernel::add_cpu takes each index once, within kMaxCpus", "[smp]") {
    KernelFixture f{2048, KernelFixture::LockMode::Locked};
    Cpu a, b;
    CHECK(f.kernel.add_cpu(a, 0) == nullptr); // the boot CPU's
    CHECK(f.kernel.add_cpu(a, kMaxCpus) == nullptr);
    CHECK(f.kernel.add_cpu(a, 2) == &a);
    CHECK(f.kernel.add_cpu(b, 2) == nullptr);
    CHECK(a.index == 2);
    CHECK(a.kernel == &f.kernel);
    CHECK(f.kernel.cpu_count == 3);
    CHECK(f.kernel.cpus[1] == nullptr);
    CHECK(f.kernel.scheduling_cpu(1) == nullptr); // absent
    CHECK(f.kernel.scheduling_cpu(2) == nullptr); // present, not scheduling
    a.schedules = true;
    CHECK(f.kernel.scheduling_cpu(2) == &a);
    CHECK(f.kernel.scheduling_cpu(0) == &f.cpu);
}

TEST_CASE("a task's home is the CPU that first made it ready", "[smp]") {
    KernelFixture f;
    auto t = f.spawn(50);
    CHECK(t.task->home == &f.cpu);
    CHECK(f.root_task.home == &f.cpu);
}

TEST_CASE("Task.SetAffinity refuses absent and idle-only CPUs precisely", "[smp]") {
    TwoCpus c;
    Cpu idle_only;
    REQUIRE(c.f.kernel.add_cpu(idle_only, 3) == &idle_only);
    auto t = c.f.spawn(50);
    CHECK(c.f.invoke(c.f.root_task, t.task_slot, TaskLabel::SetAffinity, {2}).error == Error::OutOfRange);
    CHECK(c.f.invoke(c.f.root_task, t.task_slot, TaskLabel::SetAffinity, {kMaxCpus}).error == Error::OutOfRange);
    CHECK(c.f.invoke(c.f.root_task, t.task_slot, TaskLabel::SetAffinity, {~uint64_t{0}}).error == Error::OutOfRange);
    CHECK(c.f.invoke(c.f.root_task, t.task_slot, TaskLabel::SetAffinity, {3}).error == Error::NotSupported);
    CHECK(c.f.invoke(c.f.root_task, t.task_slot, TaskLabel::SetAffinity).error == Error::InvalidArgument);
    CHECK(t.task->home == &c.f.cpu); // nothing changed
    CHECK(t.task->state == TaskState::Ready);
}

TEST_CASE("Task.SetAffinity moves a ready task to the other CPU's run queue", "[smp]") {
    TwoCpus c;
    auto t = c.f.spawn(50);
    REQUIRE(t.task->state == TaskState::Ready);
    const uint64_t sent = reschedules(1);
    auto moved = c.f.invoke(c.f.root_task, t.task_slot, TaskLabel::SetAffinity, {1});
    REQUIRE(moved.error == Error::None);
    CHECK(moved.words[0] == 0); // its previous CPU
    CHECK(t.task->home == &c.second);
    CHECK(c.second.scheduler.highest() == t.task);
    CHECK(c.f.cpu.scheduler.highest() != t.task);
    CHECK(reschedules(1) == sent + 1);
    // Back again: the other CPU holds its state now, so it is synchronised.
    OtherCpu other(c.second);
    auto back = c.f.invoke(c.f.root_task, t.task_slot, TaskLabel::SetAffinity, {0});
    REQUIRE(back.error == Error::None);
    CHECK(back.words[0] == 1);
    CHECK(other.answers() >= 1);
    CHECK(t.task->home == &c.f.cpu);
    CHECK(c.second.scheduler.empty());
}

TEST_CASE("making ready a task homed on another CPU queues it there and asks that CPU to reschedule", "[smp]") {
    TwoCpus c;
    auto t = c.f.spawn(50);
    REQUIRE(c.f.invoke(c.f.root_task, t.task_slot, TaskLabel::SetAffinity, {1}).error == Error::None);
    OtherCpu other(c.second);
    REQUIRE(c.f.invoke(c.f.root_task, t.task_slot, TaskLabel::Suspend).error == Error::None);
    CHECK(t.task->state == TaskState::Inactive);
    CHECK(c.second.scheduler.empty());
    CHECK(other.answers() >= 1); // suspending it synchronised its CPU first
    const uint64_t sent = reschedules(1);
    REQUIRE(c.f.invoke(c.f.root_task, t.task_slot, TaskLabel::Resume).error == Error::None);
    CHECK(c.second.scheduler.highest() == t.task);
    CHECK(reschedules(1) == sent + 1); // nothing runs there: it should look
}

TEST_CASE("a task running on another CPU is taken off it before it is changed", "[smp]") {
    TwoCpus c;
    auto t = c.f.spawn(50);
    REQUIRE(c.f.invoke(c.f.root_task, t.task_slot, TaskLabel::SetAffinity, {1}).error == Error::None);
    // The other CPU runs it in user mode.
    c.second.scheduler.remove(*t.task);
    t.task->state = TaskState::Running;
    c.second.current = t.task;
    c.second.user_task = t.task;
    const uint64_t ip = t.task->context.instruction_pointer();
    {
        OtherCpu other(c.second, /*entered_by_syscall=*/true);
        auto read = c.f.invoke(c.f.root_task, t.task_slot, TaskLabel::ReadRegisters);
        REQUIRE(read.error == Error::None);
        CHECK(other.answers() >= 1);
    }
    // Its syscall was rewound to be made again; it waits at the front of its CPU's queue.
    CHECK(t.task->context.instruction_pointer() == ip - arch::UserContext::kSyscallInstructionBytes);
    CHECK(c.second.current == nullptr);
    CHECK(t.task->state == TaskState::Ready);
    CHECK(c.second.scheduler.highest() == t.task);
}

TEST_CASE("an entry made by a task another CPU took away reports it", "[smp]") {
    TwoCpus c;
    auto t = c.f.spawn(50);
    auto u = c.f.spawn(50);
    c.second.current = u.task; // another CPU changed this CPU's choice meanwhile
    c.second.user_task = t.task;
    CHECK_FALSE(enter_kernel(c.second, true));
    CHECK(vesta_kernel_lock.held_by(1));
    c.second.current = nullptr;
    leave_kernel(c.second);
    CHECK_FALSE(vesta_kernel_lock.held());
    CHECK(c.second.user_task == nullptr);
}

TEST_CASE("with one CPU running tasks the entries take no lock and keep no trapped task", "[smp]") {
    KernelFixture f{2048, KernelFixture::LockMode::Unlocked};
    REQUIRE_FALSE(vesta_kernel_locking);
    auto t = f.spawn(50);
    // Even a user_task that disagrees with current (it cannot, on one CPU)
    // is not looked at: nothing outside this CPU acts on its task.
    f.cpu.user_task = t.task;
    CHECK(enter_kernel(f.cpu, true));
    CHECK_FALSE(vesta_kernel_lock.held());
    CHECK(vesta_kernel_lock.queued() == 0);
    CHECK(f.cpu.user_task == t.task);
    CHECK(f.cpu.entry_is_syscall == 0);
    leave_kernel(f.cpu);
    CHECK_FALSE(vesta_kernel_lock.held());
    CHECK(f.cpu.user_task == t.task);
    f.cpu.user_task = nullptr;
    // Syscalls run whole without it (the fixture checks the lock stays free).
    CHECK(f.invoke(f.root_task, t.task_slot, TaskLabel::Suspend).error == Error::None);
    CHECK(f.invoke(f.root_task, t.task_slot, TaskLabel::Resume).error == Error::None);
    // Settling a task of this CPU, and syncing this CPU, are no-ops without a lock holder.
    settle_task(f.cpu, *t.task);
    sync_cpu(f.cpu, f.cpu);
    CHECK(t.task->state == TaskState::Ready);
    CHECK(f.invoke(f.root_task, t.task_slot, TaskLabel::SetAffinity, {1}).error != Error::None); // no CPU 1 runs tasks
    CHECK(f.invoke(f.root_task, t.task_slot, TaskLabel::SetAffinity, {0}).error == Error::None);
}

TEST_CASE("with several CPUs running tasks every entry takes the lock and records the trapped task", "[smp]") {
    TwoCpus c;
    REQUIRE(vesta_kernel_locking);
    auto t = c.f.spawn(50);
    c.second.user_task = t.task;
    c.second.current = t.task;
    CHECK(enter_kernel(c.second, true));
    CHECK(vesta_kernel_lock.held_by(1));
    CHECK(c.second.user_task == nullptr);
    CHECK(c.second.entry_is_syscall == 1);
    leave_kernel(c.second);
    CHECK_FALSE(vesta_kernel_lock.held());
    CHECK(c.second.user_task == t.task);
    c.second.current = nullptr;
    c.second.user_task = nullptr;
}

TEST_CASE("a task that moves itself leaves its CPU at the end of the entry", "[smp]") {
    TwoCpus c;
    auto t = c.f.spawn(50);
    const uint64_t self_slot = c.f.give(t, t.task_slot);
    c.f.switch_to(*t.task);
    auto moved = c.f.invoke(*t.task, self_slot, TaskLabel::SetAffinity, {1});
    CHECK(moved.error == Error::None); // the reply reached it
    CHECK(moved.words[0] == 0);
    CHECK(c.f.cpu.current != t.task);
    CHECK(t.task->state == TaskState::Ready);
    CHECK(c.second.scheduler.highest() == t.task);
}

TEST_CASE("the fast path leaves a partner on another CPU to the general path", "[smp]") {
    TwoCpus c;
    auto server = c.f.spawn(100);
    auto client = c.f.spawn(100);
    const uint64_t endpoint = c.f.create(ObjectType::Endpoint);
    const uint64_t reply = c.f.create(ObjectType::Reply);
    const uint64_t server_endpoint = c.f.give(server, endpoint);
    const uint64_t server_reply = c.f.give(server, reply);
    const uint64_t client_endpoint = c.f.give(client, endpoint);
    OtherCpu other(c.second);
    c.f.switch_to(*server.task);
    c.f.ipc(*server.task, Syscall::Recv, server_endpoint, 0, {}, server_reply); // blocks
    REQUIRE(server.task->state == TaskState::BlockedReceive);
    REQUIRE(c.f.invoke(c.f.root_task, server.task_slot, TaskLabel::SetAffinity, {1}).error == Error::None);
    const uint64_t fast_calls = c.f.fast_taken[static_cast<size_t>(Syscall::Call)];
    c.f.switch_to(*client.task);
    c.f.ipc(*client.task, Syscall::Call, client_endpoint, 7, {1, 2});
    CHECK(c.f.fast_taken[static_cast<size_t>(Syscall::Call)] == fast_calls); // not the fast path
    CHECK(client.task->state == TaskState::BlockedReply);
    CHECK(server.task->state == TaskState::Ready); // on its own CPU, not run here
    CHECK(c.second.scheduler.highest() == server.task);
    CHECK(c.f.cpu.current != server.task);
}

} // namespace
} // namespace vesta
