// kernel/syscall/invocation.cpp — reading a Call's message and dispatching it.
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

InvocationOutcome dispatch(Invocation& invocation) {
    switch (invocation.capability.type()) {
    case ObjectType::Memory: return invoke_memory(invocation);
    case ObjectType::CapabilitySpace: return invoke_capability_space(invocation);
    case ObjectType::VirtualSpace: return invoke_virtual_space(invocation);
    case ObjectType::Page:
    case ObjectType::DeviceMemory: return invoke_frame(invocation);
    case ObjectType::Task: return invoke_task(invocation);
    case ObjectType::IrqControl: return invoke_irq_control(invocation);
    case ObjectType::IrqHandler: return invoke_irq_handler(invocation);
    case ObjectType::IoPortControl: return invoke_io_port_control(invocation);
    case ObjectType::IoPort: return invoke_io_port(invocation);
    case ObjectType::Console: return invoke_console(invocation);
    case ObjectType::System: return invoke_system(invocation);
    default: return Error::NotSupported; // notifications, replies: no operations
    }
}

void write_reply(Task& caller, Error error, const InvocationResult& result) {
    caller.set_status(error);
    caller.set_register(reg::kTag,
                        MessageTag::make(static_cast<uint64_t>(error), result.count, 0).raw);
    for (size_t i = 0; i < kRegisterMessageWords; ++i)
        caller.set_register(reg::kWord0 + i, result.words[i]);
}

// The reply, or the rewind of a call to restart. The operation may have
// destroyed or stopped the caller itself: then `caller` is not touched (it
// may be freed; comparing its address is all that is safe).
void finish_invocation(Cpu& cpu, Task& caller, uint64_t label, bool restart, const InvocationOutcome& outcome) {
    if (cpu.current != &caller) return;
    if (restart) {
        caller.context.restart_syscall();
        caller.restart = PendingRestart{true, caller.context.instruction_pointer(),
                                        caller.context.argument(reg::kCapability), label};
        cpu.rotate_requested = true; // others of its priority go first
        cpu.restarted = &caller;
        return;
    }
    if (outcome.ok()) write_reply(caller, Error::None, outcome.value());
    else write_reply(caller, outcome.error(), {});
}

} // namespace

void invoke(Cpu& cpu, Task& caller, Capability& capability) {
    MessageTag tag{caller.context.argument(reg::kTag)};
    if (!tag.valid() || tag.caps() != 0) {
        write_reply(caller, Error::InvalidArgument, {});
        return;
    }
    Invocation invocation{cpu, caller, capability, tag.label(), {}, tag.words()};
    for (size_t i = 0; i < kRegisterMessageWords; ++i)
        invocation.words[i] = caller.context.argument(reg::kWord0 + i);
    if (tag.words() > kRegisterMessageWords) {
        IpcBuffer* buffer = caller.ipc_buffer();
        if (!buffer) {
            write_reply(caller, Error::InvalidArgument, {});
            return;
        }
        for (size_t i = kRegisterMessageWords; i < tag.words(); ++i) invocation.words[i] = buffer->words[i];
    }
    InvocationOutcome outcome = dispatch(invocation);
    finish_invocation(cpu, caller, invocation.label, invocation.restart, outcome);
}

bool continue_restarted_call(Cpu& cpu, Task& caller) {
    const PendingRestart pending = caller.restart;
    caller.restart = PendingRestart{};
    MessageTag tag{caller.context.argument(reg::kTag)};
    if (caller.context.argument(reg::kCapability) != pending.capability || tag.label() != pending.label)
        return false;
    // Entered at the instruction it was rewound to (the return address is past it).
    arch::UserContext rewound = caller.context;
    rewound.restart_syscall();
    if (rewound.instruction_pointer() != pending.instruction_pointer) return false;
    bool restart = false;
    InvocationOutcome outcome = finish_teardown(cpu, restart);
    finish_invocation(cpu, caller, tag.label(), restart, outcome);
    return true;
}

} // namespace vesta
