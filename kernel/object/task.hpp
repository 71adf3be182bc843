// kernel/object/task.hpp — Task: a thread with its cspace, vspace, fault
// endpoint and IPC buffer.
//
// The kernel is event-driven: a task's user registers are saved in `context`
// whenever it is not running, and blocking means only changing `state` and
// queueing the task on the object it waits for. A task is in at most one
// queue through `queue_link` (a run queue, an endpoint's senders or
// receivers, a notification's waiters) and at most one timeout list.
//
// Bindings (cspace, vspace, fault endpoint, IPC buffer) do not keep their
// objects alive: each bound object lists the tasks bound to it through the
// matching link below and clears the binding when it dies (a task that loses
// its cspace or vspace stops). bind_*() keep both sides consistent.
#pragma once

#include <arch/context.hpp>
#include <lib/intrusive_list.hpp>
#include <object/object.hpp>

namespace vesta {

class CapabilitySpace;
class VirtualSpace;
class Endpoint;
class Frame;
class Page;
class Reply;
class Task;
struct Cpu;

// One object watched by a polling task; linked into that object's pollers.
struct PollEntry {
    Task* task = nullptr;
    Object* object = nullptr;
    ListLink<PollEntry> link;
};
using PollerList = IntrusiveList<PollEntry, &PollEntry::link>;

struct FaultInfo {
    FaultKind kind;
    uint64_t address;
    uint64_t instruction_pointer;
    uint64_t detail;
};

// A syscall the task must re-execute because its work did not fit in one
// kernel entry (CapabilitySpace.Delete with a long teardown): the restarted
// call — same instruction, capability and label — continues instead of
// starting anew. Any other syscall through the general path, Suspend and
// WriteRegisters forget it (the fast path cannot be taken in between: the
// task resumes at the syscall instruction itself).
struct PendingRestart {
    bool active = false;
    uint64_t instruction_pointer = 0; // of the syscall instruction
    uint64_t capability = 0;          // the slot invoked
    uint64_t label = 0;
};

class Task : public Object {
public:
    static constexpr ObjectType kType = ObjectType::Task;
    static constexpr uint32_t kTimeSliceTicks = 5;

    Task() : Object(kType) {}

    arch::UserContext context;
    TaskState state = TaskState::Inactive;
    uint8_t priority = 0;
    // The CPU it runs on (its run queue, its timeouts): its creator's CPU
    // (Memory.Create; the boot CPU for the root task), then what
    // Task.SetAffinity chooses. A task runs only on its home CPU, so only that
    // CPU's registers can hold its FPU state (docs/smp.md).
    Cpu* home = nullptr;
    uint32_t time_slice_left = kTimeSliceTicks;
    // For the kernel's messages (fault lines): the program the task runs,
    // NUL-terminated printable ASCII; set by the kernel for the root task
    // (its initramfs entry) and by Task.SetName; empty when unknown.
    char name[kMaxTaskName + 1] = {};

    // Bindings (null when unset); see bind_*() in object/binding.hpp.
    CapabilitySpace* cspace = nullptr;
    VirtualSpace* vspace = nullptr;
    Endpoint* fault_endpoint = nullptr;
    uint64_t fault_badge = 0;
    Page* ipc_buffer_page = nullptr;
    uint64_t ipc_buffer_address = 0;
    SlimLink<Task> cspace_link;     // in cspace->bound_tasks
    SlimLink<Task> vspace_link;     // in vspace->bound_tasks
    SlimLink<Task> fault_link;      // in fault_endpoint->fault_tasks
    SlimLink<Task> ipc_buffer_link; // in ipc_buffer_page->ipc_buffer_tasks

    // IPC state.
    ListLink<Task> queue_link;
    Object* blocked_on = nullptr; // endpoint or notification whose queue holds us
    uint64_t sending_badge = 0;   // BlockedSend: badge of the capability used
    bool sending_call = false;    // BlockedSend: a call (wants a reply)
    bool sending_grant = false;   // BlockedSend: may transfer capabilities
    bool fault_pending = false;   // the pending send/reply is a fault (or exit) message
    FaultInfo fault{};
    // BlockedReceive: the reply object offered for calls (its `receiver` is us).
    // BlockedReply: the reply object we are bound to (its `caller` is us).
    Reply* reply = nullptr;
    PendingRestart restart;

    // Poll and timeout state.
    PollEntry poll_entries[kMaxPoll];
    uint32_t poll_count = 0;
    ListLink<Task> timeout_link;
    uint64_t timeout_deadline = 0;

    // The kernel's view of the IPC buffer, or null when none is set.
    IpcBuffer* ipc_buffer() const;

    bool runnable() const { return state == TaskState::Ready || state == TaskState::Running; }
    // Results of a syscall as the task will see them when it next runs.
    void set_status(Error error) { context.set_argument(reg::kStatus, static_cast<uint64_t>(error)); }
    void set_register(size_t index, uint64_t value) { context.set_argument(index, value); }
};

using TaskQueue = IntrusiveList<Task, &Task::queue_link>;
using TimeoutList = IntrusiveList<Task, &Task::timeout_link>;
using CspaceBinders = SlimList<Task, &Task::cspace_link>;
using VspaceBinders = SlimList<Task, &Task::vspace_link>;
using FaultBinders = SlimList<Task, &Task::fault_link>;
using IpcBufferBinders = SlimList<Task, &Task::ipc_buffer_link>;

} // namespace vesta
