#include "kernel_fixture.hpp"

#include <smp/cross_cpu.hpp>

#include <stdlib.h>
#include <string.h>

namespace vesta::test {
namespace {

bool locking(KernelFixture::LockMode mode) {
    if (mode != KernelFixture::LockMode::FromEnvironment) return mode == KernelFixture::LockMode::Locked;
    const char* setting = getenv("VESTA_TEST_KERNEL_LOCK");
    return !(setting && strcmp(setting, "off") == 0);
}

Kernel& make_kernel(uint8_t*& memory, uint64_t pages, KernelFixture::LockMode mode) {
    vesta_kernel_locking = locking(mode);
    memory = static_cast<uint8_t*>(aligned_alloc(kPageSize, pages * kPageSize));
    memset(memory, 0xa5, pages * kPageSize); // catch code that relies on zeroed memory
    arch::host::memory_base = memory;
    arch::host::physical_base = KernelFixture::kPhysicalBase;
    arch::host::memory_size = pages * kPageSize;
    arch::host_machine = arch::HostMachine{};
    return *new Kernel();
}

} // namespace

KernelFixture::KernelFixture(uint64_t pages, LockMode mode)
    : kernel(make_kernel(memory_, pages, mode)), cpu(kernel.cpu),
      pool(create_initial_memory(kernel, kPhysicalBase, pages).value()),
      root(create_root_task(kernel, *pool, 256, kRootPriority).value()), root_task(*root.task) {
    schedule(cpu);
    REQUIRE(cpu.current == &root_task);
}

KernelFixture::~KernelFixture() {
    delete &kernel;
    free(memory_);
    arch::host::memory_base = nullptr;
}

void KernelFixture::switch_to(Task& task) {
    if (cpu.current == &task) return;
    REQUIRE(task.state == TaskState::Ready);
    if (Task* current = cpu.current) {
        if (current->state == TaskState::Running) make_ready(cpu, *current);
    }
    cpu.scheduler.remove(task);
    task.state = TaskState::Running;
    cpu.current = &task;
}

Error KernelFixture::syscall(Task& task, Syscall number, std::initializer_list<uint64_t> registers) {
    REQUIRE(cpu.current == &task);
    REQUIRE(registers.size() <= kSyscallRegisters);
    size_t i = 0;
    for (uint64_t value : registers) task.context.set_argument(i++, value);
    task.context.set_syscall_number(static_cast<uint64_t>(number));
    enter(task);
    return status(task);
}

void KernelFixture::enter(Task& task) {
    const uint64_t instruction_pointer = task.context.instruction_pointer();
    for (;;) {
        cpu.restarted = nullptr;
        // As the backends do: the kernel lock (the task ran in user mode
        // until now), the fast path, then the general path if it did nothing,
        // and the lock released before the return to user mode. With the
        // lock not in use (one CPU runs tasks) the entry leaves both the lock
        // and user_task alone.
        const bool locked = vesta_kernel_locking;
        if (locked) cpu.user_task = &task;
        REQUIRE(!vesta_kernel_lock.held());
        REQUIRE(enter_kernel(cpu, true));
        if (locked)
            REQUIRE(vesta_kernel_lock.held_by(cpu.index));
        else
            REQUIRE(!vesta_kernel_lock.held());
        const uint64_t number = task.context.syscall_number();
        if (!fast_path || handle_fast_syscall(cpu) == FastPath::NotTaken)
            handle_general_syscall(cpu);
        else if (number < kSyscallCount)
            ++fast_taken[number];
        leave_kernel(cpu);
        REQUIRE(vesta_kernel_locking == locked); // fixed for the kernel's life
        REQUIRE(!vesta_kernel_lock.held());
        REQUIRE(cpu.user_task == (locked ? cpu.current : nullptr));
        // Only a rewound task is sure to be alive (the call may have destroyed it).
        if (cpu.restarted != &task) return;
        ++restarts;
        REQUIRE(task.context.instruction_pointer() ==
                instruction_pointer - arch::UserContext::kSyscallInstructionBytes);
        task.context.set_instruction_pointer(instruction_pointer);
        if (cpu.current != &task) switch_to(task);
    }
}

CallResult KernelFixture::invoke(Task& task, uint64_t slot, uint64_t label, std::initializer_list<uint64_t> words) {
    REQUIRE(words.size() <= kMaxMessageWords);
    size_t i = 0;
    for (uint64_t value : words) {
        if (i < kRegisterMessageWords)
            task.context.set_argument(reg::kWord0 + i, value);
        else if (task.ipc_buffer())
            task.ipc_buffer()->words[i] = value;
        ++i;
    }
    task.context.set_argument(reg::kCapability, slot);
    task.context.set_argument(reg::kTag, MessageTag::make(label, words.size(), 0).raw);
    task.context.set_syscall_number(static_cast<uint64_t>(Syscall::Call));
    switch_to(task);
    enter(task);
    CallResult result{status(task), tag(task), {}};
    for (size_t w = 0; w < kRegisterMessageWords; ++w) result.words[w] = word(task, w);
    if (result.error != Error::None && task.runnable())
        CHECK(result.tag.label() == static_cast<uint64_t>(result.error));
    return result;
}

Error KernelFixture::ipc(Task& task, Syscall number, uint64_t capability, uint64_t label,
                         std::initializer_list<uint64_t> words, uint64_t reply, size_t caps) {
    size_t i = 0;
    for (uint64_t value : words) {
        if (i < kRegisterMessageWords)
            task.context.set_argument(reg::kWord0 + i, value);
        else if (task.ipc_buffer())
            task.ipc_buffer()->words[i] = value;
        ++i;
    }
    task.context.set_argument(reg::kCapability, capability);
    task.context.set_argument(reg::kTag, MessageTag::make(label, words.size(), caps).raw);
    task.context.set_argument(reg::kReply, reply);
    switch_to(task);
    task.context.set_syscall_number(static_cast<uint64_t>(number));
    enter(task);
    return status(task);
}

uint64_t KernelFixture::create(ObjectType type, uint64_t size, uint64_t memory_slot) {
    CallResult result =
        invoke(root_task, memory_slot, MemoryLabel::Create, {static_cast<uint64_t>(type), kAnySlot, size});
    REQUIRE(result.error == Error::None);
    return result.words[0];
}

Capability& KernelFixture::slot(uint64_t index, CapabilitySpace* space) {
    auto found = (space ? space : root.cspace)->slot(index);
    REQUIRE(found.ok());
    return *found.value();
}

Spawned KernelFixture::spawn(uint8_t priority, uint32_t own_slots) {
    Spawned spawned{};
    spawned.task_slot = create(ObjectType::Task);
    spawned.task = &object<Task>(spawned.task_slot);
    uint64_t cspace_slot = root_slot::kCapabilitySpace;
    if (own_slots) cspace_slot = create(ObjectType::CapabilitySpace, own_slots);
    spawned.cspace = &object<CapabilitySpace>(cspace_slot);
    REQUIRE(invoke(root_task, spawned.task_slot, TaskLabel::Configure,
                   {cspace_slot, root_slot::kVirtualSpace, kNoSlot, priority})
                .error == Error::None);
    spawned.buffer_slot = create(ObjectType::Page, 1);
    REQUIRE(invoke(root_task, spawned.task_slot, TaskLabel::SetIpcBuffer, {spawned.buffer_slot, 0x10000}).error ==
            Error::None);
    spawned.buffer = spawned.task->ipc_buffer();
    REQUIRE(invoke(root_task, spawned.task_slot, TaskLabel::Resume).error == Error::None);
    return spawned;
}

uint64_t KernelFixture::give(const Spawned& to, uint64_t root_index, uint8_t rights_mask, uint64_t badge,
                             uint64_t destination) {
    uint64_t space_slot = root_slot::kCapabilitySpace;
    if (to.cspace != root.cspace) {
        // Find the root slot naming the task's cspace.
        for (uint32_t i = 0; i < root.cspace->size(); ++i) {
            if (slot(i).object == to.cspace) space_slot = i;
        }
    }
    CallResult result =
        invoke(root_task, space_slot, CapabilitySpaceLabel::Copy, {destination, root_index, rights_mask, badge});
    REQUIRE(result.error == Error::None);
    return result.words[0];
}

} // namespace vesta::test
