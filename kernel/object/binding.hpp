// kernel/object/binding.hpp — binding tasks and IRQ handlers to objects.
//
// A binding is a kernel-internal pointer that does not keep its object alive
// (object/object.hpp): the bound object lists its binders, and each bind_*()
// below keeps both sides consistent — it unlinks the old binding and links
// the new one, in O(1), and never kills anything. Null unbinds.
#pragma once

#include <capability/capability_space.hpp>
#include <object/endpoint.hpp>
#include <object/frame.hpp>
#include <object/irq.hpp>
#include <object/notification.hpp>
#include <object/virtual_space.hpp>

namespace vesta {

void bind_cspace(Task& task, CapabilitySpace* space);
void bind_vspace(Task& task, VirtualSpace* space);
void bind_fault_endpoint(Task& task, Endpoint* endpoint, uint64_t badge);
// The IPC buffer counts as a writable use of its page (the kernel writes
// there), so a page bound as IPC buffer cannot be mapped executable.
void bind_ipc_buffer(Task& task, Page* page, uint64_t address);
void bind_notification(IrqHandler& handler, Notification* notification, uint64_t badge);
// Every binding of `task` (its teardown).
void unbind_task(Task& task);

} // namespace vesta
