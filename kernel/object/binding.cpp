// kernel/object/binding.cpp — binding tasks and IRQ handlers to objects.
#include <object/binding.hpp>

namespace vesta {

void bind_cspace(Task& task, CapabilitySpace* space) {
    if (task.cspace) task.cspace->bound_tasks.remove(task);
    task.cspace = space;
    if (space) space->bound_tasks.push_front(task);
}

void bind_vspace(Task& task, VirtualSpace* space) {
    if (task.vspace) task.vspace->bound_tasks.remove(task);
    task.vspace = space;
    if (space) space->bound_tasks.push_front(task);
}

void bind_fault_endpoint(Task& task, Endpoint* endpoint, uint64_t badge) {
    if (task.fault_endpoint) task.fault_endpoint->fault_tasks.remove(task);
    task.fault_endpoint = endpoint;
    task.fault_badge = endpoint ? badge : 0;
    if (endpoint) endpoint->fault_tasks.push_front(task);
}

void bind_ipc_buffer(Task& task, Page* page, uint64_t address) {
    if (Page* old = task.ipc_buffer_page) {
        old->ipc_buffer_tasks.remove(task);
        --old->writable_uses;
    }
    task.ipc_buffer_page = page;
    task.ipc_buffer_address = page ? address : 0;
    if (page) {
        page->ipc_buffer_tasks.push_front(task);
        ++page->writable_uses;
    }
}

void bind_notification(IrqHandler& handler, Notification* notification, uint64_t badge) {
    if (handler.notification) handler.notification->irq_handlers.remove(handler);
    handler.notification = notification;
    handler.badge = notification ? badge : 0;
    if (notification) notification->irq_handlers.push_front(handler);
}

void unbind_task(Task& task) {
    bind_cspace(task, nullptr);
    bind_vspace(task, nullptr);
    bind_fault_endpoint(task, nullptr, 0);
    bind_ipc_buffer(task, nullptr, 0);
}

} // namespace vesta
