// test/support/kernel_harness.cpp — see kernel_harness.hpp.
#include "kernel_harness.hpp"

#include <arch/host.hpp>
#include <arch/physical_memory.hpp>
#include <lib/new.hpp>
#include <stdlib.h>
#include <string.h>

namespace vesta::test {
namespace {

Kernel& make_kernel() {
    void* storage = aligned_alloc(alignof(Kernel), (sizeof(Kernel) + 63) & ~size_t{63});
    return *new (storage) Kernel();
}

} // namespace

uint8_t* host_memory(int index, uint64_t pages) {
    static uint8_t* buffers[2] = {};
    static uint64_t buffer_pages[2] = {};
    if (buffer_pages[index] < pages) {
        free(buffers[index]);
        buffers[index] = static_cast<uint8_t*>(aligned_alloc(kPageSize, pages * kPageSize));
        memset(buffers[index], 0xa5, pages * kPageSize); // code relying on zeroed memory shows
        buffer_pages[index] = pages;
    }
    return buffers[index];
}

void use_host_memory(uint8_t* buffer, uint64_t pages) {
    arch::host::memory_base = buffer;
    arch::host::physical_base = kPhysicalBase;
    arch::host::memory_size = pages * kPageSize;
}

KernelHarness::KernelHarness(uint64_t physical, uint64_t pages, uint32_t root_slots, uint8_t root_priority)
    : kernel(make_kernel()), cpu(kernel.cpu), pool(*create_initial_memory(kernel, physical, pages).value()),
      root(create_root_task(kernel, pool, root_slots, root_priority).value()) {
    schedule(cpu);
}

KernelHarness::~KernelHarness() {
    kernel.~Kernel();
    void* storage = &kernel; // make_kernel()'s allocation (named, so clang does not take it for a member)
    free(storage);
}

bool KernelHarness::switch_to(Task& task) {
    if (cpu.current == &task) return true;
    if (task.state != TaskState::Ready) return false;
    if (Task* current = cpu.current; current && current->state == TaskState::Running) make_ready(cpu, *current);
    cpu.scheduler.remove(task);
    task.state = TaskState::Running;
    cpu.current = &task;
    return true;
}

bool KernelHarness::syscall_number(Task& task, uint64_t number, Registers& registers) {
    if (!switch_to(task)) return false;
    for (size_t i = 0; i < kSyscallRegisters; ++i) task.context.set_argument(i, registers.r[i]);
    task.context.set_syscall_number(number);
    const uint64_t after_syscall = task.context.instruction_pointer();
    for (;;) {
        cpu.restarted = nullptr;
        if (!fast_path || handle_fast_syscall(cpu) == FastPath::NotTaken)
            handle_general_syscall(cpu);
        else if (number < kSyscallCount)
            ++fast_taken[number];
        if (cpu.restarted != &task) break; // only a rewound task is sure to be alive
        ++restarts;
        task.context.set_instruction_pointer(after_syscall); // it executes the instruction again
        if (!switch_to(task)) break;
    }
    return true;
}

bool KernelHarness::syscall(Task& task, Syscall number, Registers& registers) {
    return syscall_number(task, static_cast<uint64_t>(number), registers);
}

Error KernelHarness::invoke(uint64_t slot, uint64_t label, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3,
                            uint64_t* result) {
    Registers registers{{slot, MessageTag::make(label, 4, 0).raw, w0, w1, w2, w3, kNoSlot, 0}};
    Task& task = *root.task;
    if (!syscall(task, Syscall::Call, registers)) return Error::Busy;
    if (result) *result = task.context.argument(reg::kWord0);
    return static_cast<Error>(task.context.argument(reg::kStatus));
}

} // namespace vesta::test
