// test/support/syscall_program.cpp — see syscall_program.hpp.
#include "syscall_program.hpp"

#include <memory>
#include <sstream>
#include <vector>

#include <arch/host.hpp>
#include <capability/capability_space.hpp>
#include <ipc/ipc.hpp>
#include <object/notification.hpp>
#include <object/teardown.hpp>

#include "kernel_harness.hpp"
#include "kernel_invariants.hpp"

namespace vesta::test {
namespace {

constexpr size_t kWorkers = 3;
constexpr uint64_t kWorkerPoolPages = 160;
constexpr uint32_t kWorkerSlots = 24;
constexpr size_t kMaxSteps = 400;

// Worker cspace layout.
namespace slot {
constexpr uint64_t kSelf = 0, kTask = 1, kVspace = 2, kPool = 3, kEndpoint = 4, kNotification = 5, kReply = 6,
                   kNextCspace = 7, kNextTask = 8, kBuffer = 9, kIrqControl = 10, kIoPortControl = 11;
}

class Input {
public:
    Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
    bool done() const { return position_ >= size_; }
    uint8_t byte() { return position_ < size_ ? data_[position_++] : 0; }

    // A register or message word.
    uint64_t word() {
        const uint8_t b = byte();
        if (b < 32) return b; // slots, small counts, labels
        if (b < 48) return 0x10000 + uint64_t(b - 32) * kPageSize;
        static constexpr uint64_t kNasty[] = {kAnySlot,
                                              kAnySlot - 1,
                                              uint64_t{1} << 63,
                                              0xffff,
                                              0x10000,
                                              65536,
                                              65537,
                                              512,
                                              513,
                                              0x7fff'ffff'f000,
                                              0x8000'0000'0000,
                                              0xffff'8000'0000'0000,
                                              0x1'0000'0000,
                                              0x3ff,
                                              0x400,
                                              0x3f8,
                                              rights::kRead,
                                              rights::kWrite,
                                              rights::kRead | rights::kWrite,
                                              rights::kRead | rights::kExecute,
                                              rights::kAll,
                                              0xff,
                                              100,
                                              255,
                                              256,
                                              4096,
                                              4095,
                                              0x7fff'ffff'ffff'ffff,
                                              64,
                                              2,
                                              3,
                                              7};
        if (b < 48 + sizeof(kNasty) / sizeof(kNasty[0])) return kNasty[b - 48];
        if (b < 128) return uint64_t(b - 80) % 16; // object types and small labels again
        return uint64_t{b} * 0x0101'0101'0101'0101ull ^ position_;
    }

private:
    const uint8_t* data_;
    size_t size_;
    size_t position_ = 0;
};

// One kernel and the world the program runs in.
class World {
public:
    World(int buffer, bool fast_path) : buffer_(activate_buffer(buffer)), harness_(kPhysicalBase, kProgramPoolPages) {
        harness_.fast_path = fast_path;
        free_at_start_ = harness_.pool.free_pages();
        set_up();
    }

    // Point the host backend at this kernel's memory: before anything touches it.
    void activate() { use_host_memory(buffer_, kProgramPoolPages); }

    KernelHarness& harness() { return harness_; }
    const std::string& setup_failure() const { return setup_failure_; }

    std::vector<Task*> tasks() {
        std::vector<Task*> out;
        for (Object* object : all_objects(harness_.kernel, harness_.pool))
            if (object->type == ObjectType::Task && !object->dying() && object != harness_.root.task)
                out.push_back(static_cast<Task*>(object));
        return out;
    }

    // One step of the program; returns true if it was a syscall.
    bool step(Input& in) {
        const uint8_t op = in.byte();
        switch (op % 16) {
        case 8: fill_buffer(in); return false;
        case 9: handle_timer_tick(harness_.cpu); return false;
        case 10: handle_interrupt(harness_.cpu, in.byte() % arch::HostMachine::kInterrupts); return false;
        case 11: fault(in); return false;
        case 12: supervise(in); return false;
        case 13:
            if (in.byte() % 4 == 0) delete_pool(in.byte() % kWorkers);
            return false;
        case 14: return invocation(in);
        default: return syscall(in, op);
        }
    }

    // The supervisor deletes everything it made; returns what is wrong.
    std::string tear_down() {
        for (size_t i = 0; i < kWorkers; ++i) delete_pool(i);
        for (uint64_t slot : {endpoint_, notification_, faults_, fault_reply_})
            if (harness_.invoke(root_slot::kCapabilitySpace, uint64_t(CapabilitySpaceLabel::Delete), slot) !=
                Error::None)
                return "the supervisor cannot delete its own objects";
        if (!harness_.kernel.teardown.empty()) return "teardown left objects queued";
        if (harness_.pool.free_pages() != free_at_start_) {
            std::ostringstream text;
            text << "the boot pool has " << harness_.pool.free_pages() << " free pages, " << free_at_start_
                 << " at the start";
            return text.str();
        }
        return {};
    }

    // What the two kernels must agree on (differential mode).
    std::string snapshot() {
        std::ostringstream text;
        Cpu& cpu = harness_.cpu;
        const std::vector<Object*> objects = all_objects(harness_.kernel, harness_.pool);
        auto index_of = [&](const Object* object) -> long {
            for (size_t i = 0; i < objects.size(); ++i)
                if (objects[i] == object) return long(i);
            return object == harness_.root.task ? -2 : -1;
        };
        text << "current " << index_of(cpu.current) << " now " << cpu.now << " boot " << harness_.pool.free_pages()
             << "\n";
        // Queue order matters: a fast path must enqueue where the general path does.
        auto queue = [&](const char* name, const auto& list) {
            text << " " << name << ":";
            for (const Task* t = list.front(); t; t = list.next(*t)) text << " " << index_of(t);
        };
        text << "ready";
        for (size_t p = Scheduler::kPriorities; p-- > 0;)
            if (!cpu.scheduler.queue(uint8_t(p)).empty())
                queue(std::to_string(p).c_str(), cpu.scheduler.queue(uint8_t(p)));
        text << "\n";
        for (Object* object : objects) {
            text << int(object->type) << (object->dying() ? "d" : "") << " caps " << object->capability_count;
            switch (object->type) {
            case ObjectType::Task: {
                auto& task = static_cast<Task&>(*object);
                text << " state " << int(task.state) << " prio " << int(task.priority) << " ip "
                     << task.context.instruction_pointer();
                for (size_t r = 0; r < kSyscallRegisters; ++r) text << " " << task.context.argument(r);
                break;
            }
            case ObjectType::CapabilitySpace: {
                auto& space = static_cast<CapabilitySpace&>(*object);
                for (uint32_t i = 0; i < space.size(); ++i) {
                    const Capability& c = space.at(i);
                    if (!c.empty())
                        text << " [" << i << ":" << index_of(c.object) << "," << int(c.rights) << "," << c.badge << ","
                             << c.owner << "," << c.mapped_address << "]";
                }
                break;
            }
            case ObjectType::Memory: text << " free " << static_cast<Memory&>(*object).free_pages(); break;
            case ObjectType::Notification:
                text << " bits " << static_cast<Notification&>(*object).bits;
                queue("waiters", static_cast<Notification&>(*object).waiters);
                break;
            case ObjectType::Endpoint:
                queue("senders", static_cast<Endpoint&>(*object).senders);
                queue("receivers", static_cast<Endpoint&>(*object).receivers);
                break;
            default: break;
            }
            text << "\n";
        }
        return text.str();
    }

    // Registers and IPC buffers are compared through the snapshot; this
    // keeps the two worlds' inputs identical.
private:
    uint64_t root_create(uint64_t memory, ObjectType type, uint64_t size = 0) {
        uint64_t slot = kNoSlot;
        if (harness_.invoke(memory, uint64_t(MemoryLabel::Create), uint64_t(type), kAnySlot, size, 0, &slot) !=
            Error::None)
            setup_failure_ = "cannot create a setup object";
        return slot;
    }
    void root_call(uint64_t slot, uint64_t label, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0, uint64_t d = 0) {
        if (harness_.invoke(slot, label, a, b, c, d) != Error::None) setup_failure_ = "a setup call failed";
    }
    void copy(uint64_t cspace, uint64_t index, uint64_t source, uint8_t rights_mask = rights::kAll,
              uint64_t badge = 0) {
        root_call(cspace, uint64_t(CapabilitySpaceLabel::Copy), index, source, rights_mask, badge);
    }

    void set_up() {
        endpoint_ = root_create(root_slot::kMemory, ObjectType::Endpoint);
        notification_ = root_create(root_slot::kMemory, ObjectType::Notification);
        faults_ = root_create(root_slot::kMemory, ObjectType::Endpoint);
        fault_reply_ = root_create(root_slot::kMemory, ObjectType::Reply);
        uint64_t cspaces[kWorkers], tasks[kWorkers], temporary[kWorkers][5];
        for (size_t i = 0; i < kWorkers; ++i) {
            root_call(root_slot::kMemory, uint64_t(MemoryLabel::Split), kWorkerPoolPages, kAnySlot);
            pools_[i] = harness_.root.task->context.argument(reg::kWord0);
            cspaces[i] = root_create(pools_[i], ObjectType::CapabilitySpace, kWorkerSlots);
            tasks[i] = root_create(pools_[i], ObjectType::Task);
            const uint64_t vspace = root_create(pools_[i], ObjectType::VirtualSpace);
            const uint64_t buffer = root_create(pools_[i], ObjectType::Page, 1);
            const uint64_t reply = root_create(pools_[i], ObjectType::Reply);
            uint64_t badged_faults = kNoSlot;
            if (harness_.invoke(root_slot::kCapabilitySpace, uint64_t(CapabilitySpaceLabel::Copy), kAnySlot, faults_,
                                rights::kWrite, i + 1, &badged_faults) != Error::None)
                setup_failure_ = "cannot badge the fault endpoint";
            root_call(tasks[i], uint64_t(TaskLabel::Configure), cspaces[i], vspace, badged_faults, 100 + 10 * (i % 2));
            root_call(tasks[i], uint64_t(TaskLabel::SetIpcBuffer), buffer, 0x10000);
            copy(cspaces[i], slot::kSelf, cspaces[i]);
            copy(cspaces[i], slot::kTask, tasks[i]);
            copy(cspaces[i], slot::kVspace, vspace);
            copy(cspaces[i], slot::kPool, pools_[i]);
            copy(cspaces[i], slot::kEndpoint, endpoint_);
            copy(cspaces[i], slot::kNotification, notification_);
            copy(cspaces[i], slot::kReply, reply);
            copy(cspaces[i], slot::kBuffer, buffer);
            if (i == 0) {
                copy(cspaces[i], slot::kIrqControl, root_slot::kIrqControl);
                copy(cspaces[i], slot::kIoPortControl, root_slot::kIoPortControl);
            }
            const uint64_t made[] = {vspace, buffer, reply, badged_faults, 0};
            for (int k = 0; k < 5; ++k) temporary[i][k] = made[k];
        }
        for (size_t i = 0; i < kWorkers; ++i) {
            copy(cspaces[i], slot::kNextCspace, cspaces[(i + 1) % kWorkers]);
            copy(cspaces[i], slot::kNextTask, tasks[(i + 1) % kWorkers]);
            root_call(tasks[i], uint64_t(TaskLabel::Resume));
        }
        // The supervisor keeps only the pools (owners) and its shared objects.
        for (size_t i = 0; i < kWorkers; ++i) {
            for (uint64_t slot :
                 {cspaces[i], tasks[i], temporary[i][0], temporary[i][1], temporary[i][2], temporary[i][3]})
                root_call(root_slot::kCapabilitySpace, uint64_t(CapabilitySpaceLabel::Delete), slot);
        }
    }

    Task* pick_task(Input& in) {
        std::vector<Task*> all = tasks();
        if (all.empty()) return nullptr;
        return all[in.byte() % all.size()];
    }

    bool run(Task& task, uint64_t number, Registers& registers) {
        if (!harness_.syscall_number(task, number, registers)) return false;
        const std::vector<Task*> alive = tasks();
        for (Task* t : alive)
            if (t == &task && t->runnable()) ++results_[t->context.argument(reg::kStatus) & 31];
        return true;
    }

    bool syscall(Input& in, uint8_t op) {
        Task* task = pick_task(in);
        if (!task) return false;
        uint64_t number = in.byte() % 14;
        if (number == 13) number = in.word();
        Registers registers;
        const uint8_t which = in.byte();
        ObjectType wanted = ObjectType::None;
        if (number <= uint64_t(Syscall::ReplyRecv) && number != uint64_t(Syscall::Reply) && which % 4)
            wanted = ObjectType::Endpoint;
        if ((number == uint64_t(Syscall::Signal) || number == uint64_t(Syscall::Wait)) && which % 4)
            wanted = ObjectType::Notification;
        registers.r[reg::kCapability] = which < 224 ? occupied_slot(*task, in.byte(), wanted) : in.word();
        const uint64_t label = in.byte() % 2 ? in.byte() % 10 : in.word();
        const uint8_t shape = in.byte();
        registers.r[reg::kTag] = (op & 0x80) ? in.word() : MessageTag::make(label, shape % 9, (shape >> 5) % 3).raw;
        for (size_t i = 0; i < kRegisterMessageWords; ++i) registers.r[reg::kWord0 + i] = in.word();
        registers.r[reg::kReply] = in.byte() % 3 ? slot::kReply : in.word();
        registers.r[reg::kExtra] = in.byte() % 4 ? in.byte() % 8 : in.word();
        return run(*task, number, registers);
    }

    // An invocation on a capability the task holds, with a plausible label.
    bool invocation(Input& in) {
        Task* task = pick_task(in);
        if (!task) return false;
        Registers registers;
        const uint64_t slot = occupied_slot(*task, in.byte());
        registers.r[reg::kCapability] = slot;
        // A label the object's type has (most of the time).
        static constexpr uint8_t kLabels[] = {1, 3, 2, 2, 4, 4, 7, 1, 1, 1, 1, 3, 1, 2, 1, 3};
        const ObjectType type =
            task->cspace && slot < task->cspace->size() ? task->cspace->at(uint32_t(slot)).type() : ObjectType::None;
        const uint8_t choice = in.byte();
        const uint64_t label = choice < 240 ? 1 + choice % kLabels[size_t(type) & 15] : choice % 12;
        const size_t words = 1 + in.byte() % 5;
        registers.r[reg::kTag] = MessageTag::make(label, words, 0).raw;
        for (size_t i = 0; i < kRegisterMessageWords; ++i)
            registers.r[reg::kWord0 + i] = in.byte() % 2 ? in.byte() % kWorkerSlots : in.word();
        if (IpcBuffer* buffer = task->ipc_buffer()) buffer->words[4] = in.word();
        return run(*task, uint64_t(Syscall::Call), registers);
    }

    // The `choice`th occupied slot of the task's cspace, of `type` if it
    // has one (None: any type); any slot when none is occupied.
    static uint64_t occupied_slot(Task& task, uint8_t choice, ObjectType type = ObjectType::None) {
        if (!task.cspace) return choice % kWorkerSlots;
        std::vector<uint32_t> occupied;
        for (int pass = 0; pass < 2 && occupied.empty(); ++pass)
            for (uint32_t i = 0; i < task.cspace->size(); ++i)
                if (!task.cspace->at(i).empty() &&
                    (pass == 1 || type == ObjectType::None || task.cspace->at(i).type() == type))
                    occupied.push_back(i);
        if (occupied.empty()) return choice % kWorkerSlots;
        return occupied[choice % occupied.size()];
    }

    void fill_buffer(Input& in) {
        Task* task = pick_task(in);
        if (!task || !task->ipc_buffer()) return;
        IpcBuffer& buffer = *task->ipc_buffer();
        for (uint64_t& word : buffer.words) word = in.word();
        for (uint64_t& cap : buffer.caps) cap = in.byte() % kWorkerSlots;
        for (uint64_t& wanted : buffer.receive_slots) wanted = in.byte() % 2 ? kAnySlot : in.byte() % kWorkerSlots;
        for (uint64_t& polled : buffer.poll) polled = in.byte() % kWorkerSlots;
    }

    void fault(Input& in) {
        Task* task = pick_task(in);
        const uint8_t kind = in.byte();
        if (!task || !harness_.switch_to(*task)) return;
        handle_fault(harness_.cpu, static_cast<FaultKind>(1 + kind % 6), in.word(), in.word());
    }

    // The supervisor takes one fault or exit message and answers it.
    void supervise(Input& in) {
        Registers registers{{faults_, 0, 0, 0, 0, 0, fault_reply_, 0}};
        harness_.syscall(*harness_.root.task, Syscall::TryRecv, registers);
        if (harness_.root.task->context.argument(reg::kStatus) != uint64_t(Error::None)) return;
        Registers answer{{0, MessageTag::make(in.byte() % 2, 0, 0).raw, 0, 0, 0, 0, fault_reply_, 0}};
        harness_.syscall(*harness_.root.task, Syscall::Reply, answer);
    }

    void delete_pool(size_t worker) {
        if (pools_[worker] == kNoSlot) return;
        harness_.invoke(root_slot::kCapabilitySpace, uint64_t(CapabilitySpaceLabel::Delete), pools_[worker]);
        pools_[worker] = kNoSlot;
    }

    static uint8_t* activate_buffer(int index) {
        uint8_t* buffer = host_memory(index, kProgramPoolPages);
        use_host_memory(buffer, kProgramPoolPages);
        return buffer;
    }

public:
    size_t results_[32] = {};

private:
    uint8_t* buffer_;
    KernelHarness harness_;
    uint64_t free_at_start_ = 0;
    uint64_t endpoint_ = 0, notification_ = 0, faults_ = 0, fault_reply_ = 0;
    uint64_t pools_[kWorkers] = {};
    std::string setup_failure_;
};

} // namespace

ProgramOutcome run_program(const uint8_t* data, size_t size, bool differential) {
    arch::host_machine = arch::HostMachine{};
    ProgramOutcome outcome;
    auto primary = std::make_unique<World>(0, true);
    std::unique_ptr<World> shadow;
    if (differential) shadow = std::make_unique<World>(1, false);
    if (!primary->setup_failure().empty()) {
        outcome.failure = "setup: " + primary->setup_failure();
        return outcome;
    }
    auto check = [&](World& world, const char* which) -> bool {
        world.activate();
        std::string problem = check_invariants(world.harness().kernel, world.harness().pool);
        if (problem.empty()) return true;
        std::ostringstream text;
        text << which << " kernel, after step " << outcome.steps << ": " << problem;
        outcome.failure = text.str();
        return false;
    };
    if (!check(*primary, "the")) return outcome;
    Input in(data, size), shadow_in(data, size);
    while (!in.done() && outcome.steps < kMaxSteps) {
        ++outcome.steps;
        primary->activate();
        if (primary->step(in)) ++outcome.syscalls;
        if (!check(*primary, "the")) return outcome;
        if (shadow) {
            shadow->activate();
            shadow->step(shadow_in);
            if (!check(*shadow, "the general-path")) return outcome;
            const std::string general = shadow->snapshot();
            primary->activate();
            const std::string fast = primary->snapshot();
            if (fast != general) {
                std::ostringstream text;
                text << "after step " << outcome.steps << " the fast path and the general path disagree:\n--- fast\n"
                     << fast << "--- general\n"
                     << general;
                outcome.failure = text.str();
                return outcome;
            }
        }
    }
    for (size_t i = 0; i < 32; ++i) outcome.results[i] = primary->results_[i];
    static_assert(kSyscallCount <= 16);
    for (size_t i = 0; i < kSyscallCount; ++i) outcome.fast_taken[i] = primary->harness().fast_taken[i];
    primary->activate();
    outcome.failure = primary->tear_down();
    if (outcome.failure.empty()) check(*primary, "the");
    if (outcome.failure.empty() && shadow) {
        shadow->activate();
        outcome.failure = shadow->tear_down();
    }
    return outcome;
}

} // namespace vesta::test
