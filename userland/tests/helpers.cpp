// userland/tests/helpers.cpp — small tools shared by the test groups.
#include "suite.hpp"

namespace suite {

void remember_thread(uint64_t task, uint64_t cspace);

uint64_t make(ObjectType type, uint64_t size) {
    uint64_t slot = kNoSlot;
    if (create(type, size, &slot) != Error::None) return kNoSlot;
    return slot;
}

Error cap_info(uint64_t index, uint64_t* type, uint64_t* rights_out, uint64_t* badge) {
    const InvokeResult r = invoke(runtime.cspace, CapabilitySpaceLabel::Info, index);
    if (type) *type = r.words[0];
    if (rights_out) *rights_out = r.words[1];
    if (badge) *badge = r.words[2];
    return r.error;
}

Error copy_cap(uint64_t source, uint8_t rights_mask, uint64_t badge, uint64_t* destination) {
    const InvokeResult r = invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, source, rights_mask, badge);
    if (destination) *destination = r.words[0];
    return r.error;
}

Error delete_cap(uint64_t index) { return invoke(runtime.cspace, CapabilitySpaceLabel::Delete, index).error; }

uint64_t free_pages(uint64_t memory) { return invoke(memory, MemoryLabel::Info).words[1]; }

uint64_t new_pages(uint64_t pages, uint8_t permissions, uint64_t* page_slot) {
    uint64_t address = 0, slot = 0;
    if (map_new_pages(pages, permissions, &address, &slot) != Error::None) return 0;
    if (page_slot) *page_slot = slot;
    return address;
}

Thread make_thread(void (*entry)(uint64_t), uint64_t argument, uint8_t priority, uint64_t fault_endpoint) {
    Thread thread{};
    const uint64_t stack = new_pages(4, rights::kRead | rights::kWrite);
    if (!stack) return thread;
    SpawnOptions options;
    options.vspace = runtime.vspace;
    options.priority = priority;
    options.entry = reinterpret_cast<uint64_t>(entry);
    options.stack_top = thread_stack_top(stack, 4 * kPageSize);
    options.argument = argument;
    options.fault_endpoint = fault_endpoint;
    options.cspace_slots = 32;
    thread.ok = spawn(nullptr, 0, options, &thread.spawned) == Error::None;
    if (thread.ok) remember_thread(thread.spawned.task, thread.spawned.cspace);
    return thread;
}

Error start_thread(const Thread& thread) { return start(thread.spawned); }

Error give_thread(const Thread& thread, uint64_t index, uint64_t source, uint8_t rights_mask, uint64_t badge) {
    return give(thread.spawned, index, source, rights_mask, badge);
}

uint64_t task_state(uint64_t task) { return invoke(task, TaskLabel::ReadRegisters).words[3]; }

void thread_exit() {
    for (;;) {
        invoke(0, TaskLabel::Suspend);
        syscall(Syscall::Yield, 0);
    }
}

void sleep_ticks(uint64_t ticks) {
    static uint64_t idle = kNoSlot;
    if (idle == kNoSlot) idle = make(ObjectType::Notification);
    runtime.ipc_buffer->poll[0] = idle;
    syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, ticks);
}

uint64_t elapsed_ms(uint64_t start, uint64_t end) {
    const uint64_t hz = parameters.counter_frequency;
    if (!hz) return 0;
    return (end - start) / (hz / 1000 ? hz / 1000 : 1);
}

} // namespace suite

namespace suite {

FaultReport run_expecting_fault(void (*entry)(uint64_t), uint64_t argument, FaultHandler handler, uint64_t ticks) {
    FaultReport report{};
    const uint64_t endpoint = make(ObjectType::Endpoint);
    const uint64_t reply = make(ObjectType::Reply);
    uint64_t badged = kNoSlot;
    if (endpoint == kNoSlot || reply == kNoSlot ||
        copy_cap(endpoint, rights::kWrite | rights::kGrant, kTestFaultBadge, &badged) != Error::None)
        return report;
    const Thread thread = make_thread(entry, argument, 100, badged);
    if (!thread.ok || start_thread(thread) != Error::None) return report;
    report.task = thread.spawned.task;
    for (;;) {
        runtime.ipc_buffer->poll[0] = endpoint;
        if (syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, ticks).error != Error::None) return report;
        const SyscallResult m = syscall(Syscall::Recv, endpoint, {}, 0, 0, 0, 0, reply);
        if (m.error != Error::None) return report;
        report.faulted = true;
        report.kind = static_cast<FaultKind>(m.tag.label());
        report.address = m.words[0];
        report.ip = m.words[1];
        report.detail = m.words[2];
        report.badge = m.badge;
        const uint64_t label = handler ? handler(report) : 1;
        syscall(Syscall::Reply, 0, MessageTag::make(label, 0, 0), 0, 0, 0, 0, reply);
        if (label != 0) return report;
    }
}

} // namespace suite
