// kernel/syscall/invocation.cpp — reading a Call's message and dispatching
// it through the object type's operation table, with the common checks in
// their fixed order (invocation.hpp).
#include <arch/io_port.hpp>
#include <syscall/invocation.hpp>

namespace vesta {

const Operation* OperationTable::find(uint64_t label) const {
    for (size_t i = 0; i < count; ++i)
        if (operations[i].label == label) return &operations[i];
    return nullptr;
}

OperationTable operations_of(ObjectType type) {
    switch (type) {
    case ObjectType::Memory: return kMemoryOperations;
    case ObjectType::CapabilitySpace: return kCapabilitySpaceOperations;
    case ObjectType::VirtualSpace: return kVirtualSpaceOperations;
    case ObjectType::Page: return kPageOperations;
    case ObjectType::DeviceMemory: return kDeviceMemoryOperations;
    case ObjectType::Task: return kTaskOperations;
    case ObjectType::IrqControl: return kIrqControlOperations;
    case ObjectType::IrqHandler: return kIrqHandlerOperations;
    case ObjectType::IoPortControl: return arch::io_ports_supported() ? kIoPortControlOperations : OperationTable{};
    case ObjectType::IoPort: return kIoPortOperations;
    case ObjectType::Console: return kConsoleOperations;
    case ObjectType::System: return kSystemOperations;
    case ObjectType::Reply: return kReplyOperations;
    default: return {}; // endpoints (a Call on one is IPC), notifications: no operations
    }
}

Result<void> unpack_bytes(const Invocation& invocation, size_t first_word, uint64_t length, char* out) {
    if (invocation.count < first_word || length > (invocation.count - first_word) * sizeof(uint64_t))
        return Error::InvalidArgument;
    for (size_t i = 0; i < length; ++i)
        out[i] = static_cast<char>(invocation.words[first_word + i / 8] >> (8 * (i % 8)));
    return {};
}

namespace {

// Checks 2-4 of the fixed order, then the operation's own decode and perform.
InvocationOutcome dispatch(Invocation& invocation) {
    const Operation* operation = operations_of(invocation.capability.type()).find(invocation.label);
    if (!operation) return Error::NotSupported;
    if (!invocation.capability.has_rights(operation->rights)) return Error::MissingRights;
    if (invocation.count < operation->words) return Error::InvalidArgument;
    return operation->handler(invocation);
}

void write_reply(Task& caller, Error error, const InvocationResult& result) {
    caller.set_status(error);
    caller.set_register(reg::kTag, MessageTag::make(static_cast<uint64_t>(error), result.count, 0).raw);
    for (size_t i = 0; i < kRegisterMessageWords; ++i) caller.set_register(reg::kWord0 + i, result.words[i]);
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
    if (outcome.ok())
        write_reply(caller, Error::None, outcome.value());
    else
        write_reply(caller, outcome.error(), {});
}

} // namespace

void invoke(Cpu& cpu, Task& caller, Capability& capability) {
    MessageTag tag{caller.context.argument(reg::kTag)};
    if (!tag.valid() || tag.caps() != 0) {
        write_reply(caller, Error::InvalidArgument, {});
        return;
    }
    Invocation invocation{cpu, caller, capability, tag.label(), {}, tag.words()};
    for (size_t i = 0; i < kRegisterMessageWords; ++i) invocation.words[i] = caller.context.argument(reg::kWord0 + i);
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
    if (caller.context.argument(reg::kCapability) != pending.capability || tag.label() != pending.label) return false;
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
