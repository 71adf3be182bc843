// kernel/object/object.cpp — small pieces of the object types.
#include <arch/physical_memory.hpp>
#include <object/frame.hpp>

namespace vesta {

IpcBuffer* Task::ipc_buffer() const {
    if (!ipc_buffer_page) return nullptr;
    return static_cast<IpcBuffer*>(arch::physical_to_virtual(ipc_buffer_page->physical));
}

} // namespace vesta
