// kernel/object/object.cpp — destroying an object when its last reference goes.
#include <arch/physical_memory.hpp>
#include <capability/capability_space.hpp>
#include <cpu.hpp>
#include <kernel.hpp>
#include <object/endpoint.hpp>
#include <object/frame.hpp>
#include <object/memory.hpp>
#include <object/notification.hpp>
#include <object/reply.hpp>
#include <object/virtual_space.hpp>

namespace vesta {

void release(Cpu& cpu, Object& object) {
    if (--object.references != 0) return;
    switch (object.type) {
    case ObjectType::Memory: Memory::destroy(cpu, static_cast<Memory&>(object)); return;
    case ObjectType::Page:
    case ObjectType::DeviceMemory: Frame::destroy(cpu, static_cast<Frame&>(object)); break;
    case ObjectType::CapabilitySpace:
        CapabilitySpace::destroy(cpu, static_cast<CapabilitySpace&>(object));
        break;
    case ObjectType::VirtualSpace: VirtualSpace::destroy(cpu, static_cast<VirtualSpace&>(object)); break;
    case ObjectType::Task: Task::destroy(cpu, static_cast<Task&>(object)); break;
    case ObjectType::Endpoint: Endpoint::destroy(cpu, static_cast<Endpoint&>(object)); break;
    case ObjectType::Notification: Notification::destroy(cpu, static_cast<Notification&>(object)); break;
    case ObjectType::Reply: Reply::destroy(cpu, static_cast<Reply&>(object)); break;
    case ObjectType::IrqHandler: IrqHandler::destroy(cpu, static_cast<IrqHandler&>(object)); break;
    case ObjectType::IoPort: IoPort::destroy(cpu, static_cast<IoPort&>(object)); break;
    case ObjectType::None:
    case ObjectType::IrqControl:
    case ObjectType::IoPortControl:
    case ObjectType::Console: return; // permanent boot objects
    }
    Memory* source = object.source;
    if (!source) return;
    source->free_bytes(&object, object.allocation_bytes);
    release(cpu, *source);
}

void Frame::destroy(Cpu&, Frame& frame) {
    if (frame.type == ObjectType::Page) frame.source->free_pages(frame.physical, frame.pages);
}

IpcBuffer* Task::ipc_buffer() const {
    if (!ipc_buffer_page) return nullptr;
    return static_cast<IpcBuffer*>(arch::physical_to_virtual(ipc_buffer_page->physical));
}

void Task::destroy(Cpu& cpu, Task& task) {
    detach_task(cpu, task);
    Object* bindings[] = {task.cspace, task.vspace, task.fault_endpoint, task.ipc_buffer_page};
    task.cspace = nullptr;
    task.vspace = nullptr;
    task.fault_endpoint = nullptr;
    task.ipc_buffer_page = nullptr;
    for (Object* binding : bindings)
        if (binding) release(cpu, *binding);
    arch::forget_context(task.context);
}

} // namespace vesta
