// test/support/kernel_invariants.cpp — see kernel_invariants.hpp.
#include "kernel_invariants.hpp"

#include <capability/capability_space.hpp>
#include <object/endpoint.hpp>
#include <object/frame.hpp>
#include <object/irq.hpp>
#include <object/notification.hpp>
#include <object/reply.hpp>
#include <object/virtual_space.hpp>
#include <sstream>
#include <unordered_set>

namespace vesta::test {
namespace {

void collect(Memory& pool, std::vector<Object*>& out) {
    for (Object* object = pool.objects.front(); object; object = pool.objects.next(*object)) {
        out.push_back(object);
        if (object->type == ObjectType::Memory) collect(static_cast<Memory&>(*object), out);
    }
}

class Checker {
public:
    Checker(Kernel& kernel, Memory& boot_pool) : kernel_(kernel), boot_pool_(boot_pool) {
        objects_ = all_objects(kernel, boot_pool);
        for (Object* object : objects_) known_.insert(object);
        known_.insert(&boot_pool);
        for (Object* permanent :
             {static_cast<Object*>(&kernel.irq_control), static_cast<Object*>(&kernel.io_port_control),
              static_cast<Object*>(&kernel.console), static_cast<Object*>(&kernel.system)})
            known_.insert(permanent);
    }

    std::string run() {
        if (const char* problem = boot_pool_.verify()) return fail("boot pool: ", problem);
        bool any_dying = false;
        for (Object* object : objects_) {
            any_dying |= object->dying();
            std::string problem = check_object(*object);
            if (!problem.empty()) return problem;
        }
        if (kernel_.teardown.empty() && any_dying) return "an object is dying but the teardown queue is empty";
        for (uint32_t irq = 0; irq < Kernel::kMaxInterrupts; ++irq) {
            IrqHandler* handler = kernel_.irq_handlers[irq];
            if (handler && (!is<IrqHandler>(handler) || handler->irq != irq)) return "a stale IRQ registration";
        }
        Task* current = kernel_.cpu.current;
        if (current && (!is<Task>(current) || current->state != TaskState::Running)) return "a stale current task";
        return {};
    }

private:
    template <class T>
    bool is(const Object* object) const {
        return object && known_.count(const_cast<Object*>(object)) && object->type == T::kType;
    }
    template <class... Parts>
    std::string fail(const Parts&... parts) const {
        std::ostringstream text;
        (text << ... << parts);
        return text.str();
    }

    std::string check_object(Object& object) {
        const char* name = object_type_name(object.type);
        if (object.dying() && !kernel_.teardown.contains(object)) return fail(name, ": dying but not queued");
        if (!object.dying() && object.source && !object.source->objects.contains(object))
            return fail(name, ": alive but not on its pool's list");
        // Its capabilities.
        uint32_t count = 0, owners = 0;
        for (Capability* capability = object.capabilities; capability;
             capability = ObjectCapabilities::next(*capability)) {
            if (++count > 1'000'000) return fail(name, ": capability list loops");
            if (capability->object != &object) return fail(name, ": a capability on its list names another object");
            if (!is<CapabilitySpace>(capability->space)) return fail(name, ": a capability in an unknown cspace");
            CapabilitySpace& space = *capability->space;
            const uint32_t index = space.index_of(*capability);
            if (index >= space.size() || &space.at(index) != capability)
                return fail(name, ": a capability outside its cspace");
            owners += capability->owner ? 1 : 0;
            if (capability->owner && object.type != ObjectType::Memory) return fail(name, ": an owner capability");
            if (std::string problem = check_mapping(*capability); !problem.empty()) return problem;
        }
        if (count != object.capability_count)
            return fail(name, ": capability count ", object.capability_count, " but ", count, " on its list");
        if (!object.dying() && !object.permanent()) {
            if (object.type == ObjectType::Memory && owners != 1) return fail("pool: ", owners, " owners");
            if (object.type != ObjectType::Memory && count == 0) return fail(name, ": alive without a capability");
        }
        switch (object.type) {
        case ObjectType::Memory: {
            if (const char* problem = static_cast<Memory&>(object).verify()) return fail("pool: ", problem);
            return {};
        }
        case ObjectType::CapabilitySpace: return check_cspace(static_cast<CapabilitySpace&>(object));
        case ObjectType::VirtualSpace: return check_vspace(static_cast<VirtualSpace&>(object));
        case ObjectType::Task: return check_task(static_cast<Task&>(object));
        case ObjectType::Endpoint: return check_endpoint(static_cast<Endpoint&>(object));
        case ObjectType::Notification: return check_notification(static_cast<Notification&>(object));
        case ObjectType::Reply: return check_reply(static_cast<Reply&>(object));
        case ObjectType::Page:
        case ObjectType::DeviceMemory: return check_frame(static_cast<Frame&>(object));
        case ObjectType::IrqHandler: {
            auto& handler = static_cast<IrqHandler&>(object);
            if (handler.notification && !is<Notification>(handler.notification))
                return "IRQ handler: stale notification";
            if (!object.dying() && kernel_.irq_handlers[handler.irq] != &handler) return "IRQ handler: not registered";
            return {};
        }
        default: return {};
        }
    }

    std::string check_mapping(Capability& capability) {
        VirtualSpace* space = capability.mapped_in;
        if (!space) return {};
        if (!is<VirtualSpace>(space)) return "a mapping in an unknown vspace";
        if (capability.type() != ObjectType::Page && capability.type() != ObjectType::DeviceMemory)
            return "a mapping through a capability that is not a frame";
        bool listed = false;
        for (Capability* mapping = space->mappings.front(); mapping; mapping = MappingList::next(*mapping))
            listed |= mapping == &capability;
        if (!listed) return "a mapping its vspace does not list";
        if (space->dying()) return {}; // its tables go as a whole
        arch::Mapping mapping;
        const auto& frame = *static_cast<Frame*>(capability.object);
        for (uint64_t i = 0; i < frame.pages; ++i) {
            if (!space->query(capability.mapped_address + i * kPageSize, &mapping) ||
                mapping.physical != frame.physical + i * kPageSize ||
                mapping.permissions != capability.mapped_permissions)
                return "a mapping the page tables do not hold";
        }
        return {};
    }

    std::string check_cspace(CapabilitySpace& space) {
        uint32_t empty = 0;
        for (uint32_t i = 0; i < space.size(); ++i) {
            Capability& slot = space.at(i);
            if (slot.space != &space) return "cspace: a slot that names another cspace";
            if (slot.empty()) {
                ++empty;
                if (slot.mapped_in) return "cspace: an empty slot maps a frame";
            } else if (!known_.count(slot.object)) {
                return fail("cspace: slot ", i, " names a freed object");
            }
        }
        if (empty != space.free_count()) return "cspace: free count disagrees with the empty slots";
        for (Task* task = space.bound_tasks.front(); task; task = CspaceBinders::next(*task))
            if (!is<Task>(task) || task->cspace != &space) return "cspace: a bound task not bound to it";
        return {};
    }

    std::string check_vspace(VirtualSpace& space) {
        for (Task* task = space.bound_tasks.front(); task; task = VspaceBinders::next(*task))
            if (!is<Task>(task) || task->vspace != &space) return "vspace: a bound task not bound to it";
        for (Capability* mapping = space.mappings.front(); mapping; mapping = MappingList::next(*mapping))
            if (mapping->mapped_in != &space || !mapping->object || !known_.count(mapping->object))
                return "vspace: a listed mapping that does not map into it";
        return {};
    }

    std::string check_task(Task& task) {
        if (task.cspace && (!is<CapabilitySpace>(task.cspace) || !listed(task.cspace->bound_tasks, task)))
            return "task: bad cspace binding";
        if (task.vspace && (!is<VirtualSpace>(task.vspace) || !listed(task.vspace->bound_tasks, task)))
            return "task: bad vspace binding";
        if (task.fault_endpoint &&
            (!is<Endpoint>(task.fault_endpoint) || !listed(task.fault_endpoint->fault_tasks, task)))
            return "task: bad fault endpoint binding";
        if (task.ipc_buffer_page &&
            (!is<Page>(task.ipc_buffer_page) || !listed(task.ipc_buffer_page->ipc_buffer_tasks, task)))
            return "task: bad IPC buffer binding";
        const bool queued = TaskQueue::linked(task);
        const bool running = kernel_.cpu.current == &task;
        switch (task.state) {
        case TaskState::Running:
            if (!running || queued) return "task: Running but not current";
            break;
        case TaskState::Ready:
            if (running || !queued) return "task: Ready but not in a run queue";
            break;
        case TaskState::BlockedSend:
        case TaskState::BlockedReceive: {
            if (!is<Endpoint>(task.blocked_on) || !queued) return "task: blocked on no endpoint";
            auto& endpoint = *static_cast<Endpoint*>(task.blocked_on);
            const TaskQueue& queue = task.state == TaskState::BlockedSend ? endpoint.senders : endpoint.receivers;
            if (!queue.contains(task)) return "task: not in the queue it is blocked in";
            if (task.state == TaskState::BlockedReceive && task.reply &&
                (!is<Reply>(task.reply) || task.reply->receiver != &task))
                return "task: offers a reply object that does not know it";
            break;
        }
        case TaskState::BlockedReply:
            if (queued || !is<Reply>(task.reply) || task.reply->caller != &task) return "task: BlockedReply unbound";
            break;
        case TaskState::BlockedNotification:
            if (!is<Notification>(task.blocked_on) ||
                !static_cast<Notification*>(task.blocked_on)->waiters.contains(task))
                return "task: not in the notification it waits on";
            break;
        case TaskState::BlockedPoll:
            if (queued || task.poll_count == 0) return "task: polling nothing";
            for (uint32_t i = 0; i < task.poll_count; ++i)
                if (!known_.count(task.poll_entries[i].object)) return "task: polls a freed object";
            break;
        case TaskState::Inactive:
        case TaskState::Faulted:
        case TaskState::Exited:
            if (queued || running) return "task: stopped but queued or current";
            break;
        }
        if (task.state != TaskState::BlockedReply && task.state != TaskState::BlockedReceive && task.reply)
            return "task: a reply link in a state without one";
        if (task.state != TaskState::BlockedPoll && (task.poll_count || TimeoutWheel::contains(task)))
            return "task: poll state left behind";
        if (task.dying() && (task.state != TaskState::Inactive || running)) return "task: dying but not detached";
        return {};
    }

    std::string check_endpoint(Endpoint& endpoint) {
        if (!endpoint.senders.empty() && !endpoint.receivers.empty())
            return "endpoint: senders and receivers both wait";
        for (Task* task = endpoint.senders.front(); task; task = TaskQueue::next(*task))
            if (!is<Task>(task) || task->state != TaskState::BlockedSend || task->blocked_on != &endpoint)
                return "endpoint: a sender that is not sending to it";
        for (Task* task = endpoint.receivers.front(); task; task = TaskQueue::next(*task))
            if (!is<Task>(task) || task->state != TaskState::BlockedReceive || task->blocked_on != &endpoint)
                return "endpoint: a receiver that is not receiving from it";
        for (Task* task = endpoint.fault_tasks.front(); task; task = FaultBinders::next(*task))
            if (!is<Task>(task) || task->fault_endpoint != &endpoint) return "endpoint: a fault binder bound elsewhere";
        for (PollEntry* entry = endpoint.pollers.front(); entry; entry = PollerList::next(*entry))
            if (!is<Task>(entry->task) || entry->task->state != TaskState::BlockedPoll || entry->object != &endpoint)
                return "endpoint: a stale poller";
        return {};
    }

    std::string check_notification(Notification& notification) {
        for (Task* task = notification.waiters.front(); task; task = TaskQueue::next(*task))
            if (!is<Task>(task) || task->state != TaskState::BlockedNotification || task->blocked_on != &notification)
                return "notification: a waiter that is not waiting on it";
        if (!notification.waiters.empty() && notification.bits) return "notification: bits set while tasks wait";
        for (IrqHandler* handler = notification.irq_handlers.front(); handler; handler = IrqBinders::next(*handler))
            if (!is<IrqHandler>(handler) || handler->notification != &notification)
                return "notification: an IRQ handler bound elsewhere";
        for (PollEntry* entry = notification.pollers.front(); entry; entry = PollerList::next(*entry))
            if (!is<Task>(entry->task) || entry->task->state != TaskState::BlockedPoll ||
                entry->object != &notification)
                return "notification: a stale poller";
        return {};
    }

    std::string check_reply(Reply& reply) {
        if (reply.caller && (!is<Task>(reply.caller) || reply.caller->reply != &reply ||
                             reply.caller->state != TaskState::BlockedReply))
            return "reply: its caller does not wait on it";
        if (reply.receiver && (!is<Task>(reply.receiver) || reply.receiver->reply != &reply ||
                               reply.receiver->state != TaskState::BlockedReceive))
            return "reply: its receiver does not offer it";
        if (reply.caller && reply.receiver) return "reply: bound and offered at once";
        return {};
    }

    std::string check_frame(Frame& frame) {
        uint32_t writable = 0, executable = 0;
        for (Capability* capability = frame.capabilities; capability;
             capability = ObjectCapabilities::next(*capability)) {
            if (!capability->mapped_in) continue;
            writable += (capability->mapped_permissions & rights::kWrite) ? 1 : 0;
            executable += (capability->mapped_permissions & rights::kExecute) ? 1 : 0;
        }
        for (Task* task = frame.ipc_buffer_tasks.front(); task; task = IpcBufferBinders::next(*task)) {
            if (!is<Task>(task) || task->ipc_buffer_page != &frame)
                return "frame: an IPC-buffer binder bound elsewhere";
            ++writable;
        }
        if (writable != frame.writable_uses || executable != frame.executable_mappings)
            return fail("frame: use counts ", frame.writable_uses, "/", frame.executable_mappings, " but ", writable,
                        "/", executable, " found");
        if (writable && executable) return "frame: writable and executable at once";
        return {};
    }

    template <class List>
    static bool listed(const List& list, Task& task) {
        for (Task* item = list.front(); item; item = List::next(*item))
            if (item == &task) return true;
        return false;
    }

    static const char* object_type_name(ObjectType type) {
        static const char* const names[] = {
            "none",     "pool",         "page",  "device memory", "cspace",      "vspace",           "task",
            "endpoint", "notification", "reply", "IRQ control",   "IRQ handler", "I/O-port control", "I/O port",
            "console",  "system"};
        const auto index = static_cast<size_t>(type);
        return index < sizeof(names) / sizeof(names[0]) ? names[index] : "?";
    }

    Kernel& kernel_;
    Memory& boot_pool_;
    std::vector<Object*> objects_;
    std::unordered_set<Object*> known_;
};

} // namespace

std::vector<Object*> all_objects(Kernel& kernel, Memory& boot_pool) {
    std::vector<Object*> objects;
    collect(boot_pool, objects);
    for (Object* object = kernel.teardown.front(); object; object = kernel.teardown.next(*object)) {
        objects.push_back(object);
        if (object->type == ObjectType::Memory) collect(static_cast<Memory&>(*object), objects);
    }
    return objects;
}

std::string check_invariants(Kernel& kernel, Memory& boot_pool) { return Checker(kernel, boot_pool).run(); }

} // namespace vesta::test
