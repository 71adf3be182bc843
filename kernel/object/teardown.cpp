// kernel/object/teardown.cpp — the teardown queue and each type's steps.
#include <arch/interrupts.hpp>
#include <ipc/ipc.hpp>
#include <kernel.hpp>
#include <object/binding.hpp>
#include <object/memory.hpp>
#include <object/teardown.hpp>

namespace vesta {
namespace {

enum class Step {
    Done,    // every unit done: finalise
    More,    // the budget ran out
    Waiting, // a pool waiting for its objects, queued behind it
};

// Spend one unit; false when none is left.
bool spend(uint32_t& budget) {
    if (budget == 0) return false;
    --budget;
    return true;
}

// (1) Empty every slot still naming `object`. remove() would kill it at the
// last one; it is dying already, so that does nothing.
bool revoke_capabilities(Cpu& cpu, Object& object, uint32_t& budget) {
    while (Capability* capability = object.capabilities) {
        if (!spend(budget)) return false;
        CapabilitySpace& space = *capability->space;
        space.remove(cpu, space.index_of(*capability));
    }
    return true;
}

// A task whose cspace or vspace dies stops (it cannot run without them).
void stop_task(Cpu& cpu, Task& task) { detach_task(cpu, task); }

Step tear_down_task(Task& task) {
    // Detached by kill(); what is left is O(1).
    unbind_task(task);
    arch::forget_context(task.context);
    return Step::Done;
}

Step tear_down_cspace(Cpu& cpu, CapabilitySpace& space, uint32_t& budget) {
    while (Task* task = space.bound_tasks.front()) {
        if (!spend(budget)) return Step::More;
        stop_task(cpu, *task);
        bind_cspace(*task, nullptr);
    }
    return space.empty_slots(cpu, budget) ? Step::Done : Step::More;
}

Step tear_down_vspace(Cpu& cpu, VirtualSpace& space, uint32_t& budget) {
    while (Task* task = space.bound_tasks.front()) {
        if (!spend(budget)) return Step::More;
        stop_task(cpu, *task);
        bind_vspace(*task, nullptr);
    }
    space.deactivate(); // no task runs in it any more: leave its tables
    while (Capability* mapping = space.mappings.front()) {
        if (!spend(budget)) return Step::More;
        space.forget_mapping(*mapping);
    }
    return space.free_tables(budget) ? Step::Done : Step::More;
}

Step tear_down_endpoint(Cpu& cpu, Endpoint& endpoint, uint32_t& budget) {
    while (Task* task = endpoint.fault_tasks.front()) {
        if (!spend(budget)) return Step::More;
        bind_fault_endpoint(*task, nullptr, 0);
    }
    TaskQueue* const queues[] = {&endpoint.senders, &endpoint.receivers};
    for (TaskQueue* queue : queues) {
        while (Task* task = queue->front()) {
            if (!spend(budget)) return Step::More;
            queue->remove(*task);
            abort_ipc(cpu, *task, Error::PeerGone);
        }
    }
    while (PollEntry* entry = endpoint.pollers.front()) {
        if (!spend(budget)) return Step::More;
        finish_poll(cpu, *entry->task, Error::PeerGone);
    }
    return Step::Done;
}

Step tear_down_notification(Cpu& cpu, Notification& notification, uint32_t& budget) {
    while (IrqHandler* handler = notification.irq_handlers.front()) {
        if (!spend(budget)) return Step::More;
        arch::mask_interrupt(handler->irq);
        bind_notification(*handler, nullptr, 0);
    }
    while (Task* task = notification.waiters.front()) {
        if (!spend(budget)) return Step::More;
        notification.waiters.remove(*task);
        abort_ipc(cpu, *task, Error::PeerGone);
    }
    while (PollEntry* entry = notification.pollers.front()) {
        if (!spend(budget)) return Step::More;
        finish_poll(cpu, *entry->task, Error::PeerGone);
    }
    return Step::Done;
}

Step tear_down_reply(Cpu& cpu, Reply& reply) {
    if (Task* caller = reply.caller) {
        reply.caller = nullptr;
        caller->reply = nullptr;
        abort_ipc(cpu, *caller, Error::PeerGone);
    }
    if (Task* receiver = reply.receiver) { // blocked in a receive that offered it
        reply.receiver = nullptr;
        receiver->reply = nullptr;
        static_cast<Endpoint*>(receiver->blocked_on)->receivers.remove(*receiver);
        abort_ipc(cpu, *receiver, Error::PeerGone);
    }
    return Step::Done;
}

Step tear_down_irq_handler(Cpu& cpu, IrqHandler& handler) {
    arch::mask_interrupt(handler.irq);
    cpu.kernel->irq_handlers[handler.irq] = nullptr;
    bind_notification(handler, nullptr, 0);
    return Step::Done;
}

Step tear_down_frame(Frame& frame, uint32_t& budget) {
    while (Task* task = frame.ipc_buffer_tasks.front()) {
        if (!spend(budget)) return Step::More;
        bind_ipc_buffer(*task, nullptr, 0);
    }
    if (frame.type == ObjectType::Page) frame.source->free_pages(frame.physical, frame.pages);
    return Step::Done;
}

Step tear_down_memory(Cpu& cpu, Memory& memory, uint32_t& budget) {
    while (Object* object = memory.objects.front()) {
        if (!spend(budget)) return Step::More;
        kill(cpu, *object);
    }
    return memory.dying_objects ? Step::Waiting : Step::Done;
}

Step step(Cpu& cpu, Object& object, uint32_t& budget) {
    if (!revoke_capabilities(cpu, object, budget)) return Step::More;
    switch (object.type) {
    case ObjectType::Task: return tear_down_task(static_cast<Task&>(object));
    case ObjectType::CapabilitySpace: return tear_down_cspace(cpu, static_cast<CapabilitySpace&>(object), budget);
    case ObjectType::VirtualSpace: return tear_down_vspace(cpu, static_cast<VirtualSpace&>(object), budget);
    case ObjectType::Endpoint: return tear_down_endpoint(cpu, static_cast<Endpoint&>(object), budget);
    case ObjectType::Notification: return tear_down_notification(cpu, static_cast<Notification&>(object), budget);
    case ObjectType::Reply: return tear_down_reply(cpu, static_cast<Reply&>(object));
    case ObjectType::IrqHandler: return tear_down_irq_handler(cpu, static_cast<IrqHandler&>(object));
    case ObjectType::IoPort: {
        auto& port = static_cast<IoPort&>(object);
        if (cpu.kernel->io_ports.contains(port)) cpu.kernel->io_ports.remove(port);
        return Step::Done;
    }
    case ObjectType::Page:
    case ObjectType::DeviceMemory: return tear_down_frame(static_cast<Frame&>(object), budget);
    case ObjectType::Memory: return tear_down_memory(cpu, static_cast<Memory&>(object), budget);
    case ObjectType::None:
    case ObjectType::IrqControl:
    case ObjectType::IoPortControl:
    case ObjectType::Console:
    case ObjectType::System: break; // permanent: never killed
    }
    return Step::Done;
}

// (4) The storage goes back to the pool that paid for it.
void finalise(Object& object) {
    Memory& source = *object.source;
    --source.dying_objects;
    if (object.type == ObjectType::Memory) {
        auto& pool = static_cast<Memory&>(object);
        const uint64_t base = pool.base();
        const uint64_t pages = pool.total_pages();
        source.free_pages(base, pages);
        return;
    }
    source.free_bytes(&object, object.allocation_bytes);
}

} // namespace

void kill(Cpu& cpu, Object& object) {
    if (object.permanent() || object.dying()) return;
    object.flags |= Object::kDying;
    if (Memory* source = object.source) {
        source->objects.remove(object);
        ++source->dying_objects;
    }
    cpu.kernel->teardown.push_front(object);
    if (object.type == ObjectType::Task) detach_task(cpu, static_cast<Task&>(object));
}

bool run_teardown(Cpu& cpu, uint32_t budget) {
    auto& queue = cpu.kernel->teardown;
    while (Object* object = queue.front()) {
        if (budget == 0) return false;
        switch (step(cpu, *object, budget)) {
        case Step::Done:
            queue.remove(*object);
            finalise(*object);
            break;
        case Step::More: break;
        case Step::Waiting: // its objects are queued ahead of it: go behind them
            queue.remove(*object);
            queue.push_back(*object);
            if (budget) --budget;
            break;
        }
    }
    return true;
}

} // namespace vesta
