// kernel/syscall/invocation.hpp — a Call on a kernel-object capability.
//
// Kernel objects answer Calls with the same message format as user servers:
// the label selects the operation (vesta/syscall.hpp), words carry the
// arguments, and the reply's label and r0 carry the Error.
//
// Decode is table-driven: each object type declares its operations as
// {label, rights needed on the invoked capability, minimum words, handler}
// (syscall/<type>_invocation.cpp), and one dispatcher (invocation.cpp)
// applies the common checks in one fixed order (docs/capabilities.md
// "Order of checks"):
//   1. the message: a valid tag, no capabilities, an IPC buffer when it has
//      more than 4 words                                  → InvalidArgument
//   2. the label is one of the object type's operations    → NotSupported
//   3. the invoked capability has the operation's rights   → MissingRights
//   4. the message has the operation's minimum words       → InvalidArgument
//   5. the handler: its own arguments in the order its documentation lists,
//      all before it changes anything (decode, then perform).
#pragma once

#include <capability/capability_space.hpp>
#include <cpu.hpp>
#include <lib/result.hpp>

namespace vesta {

struct Invocation {
    Cpu& cpu;
    Task& caller;
    Capability& capability;
    uint64_t label;
    uint64_t words[kMaxMessageWords];
    size_t count;
    // Set by an operation whose work did not fit in this kernel entry: the
    // caller re-executes the call, which continues (Task::restart).
    bool restart = false;

    CapabilitySpace& cspace() const { return *caller.cspace; }
    // The invoked object, as the type its operation table belongs to.
    template <class T>
    T& object() const {
        return *static_cast<T*>(capability.object);
    }
};

struct InvocationResult {
    uint64_t words[kRegisterMessageWords] = {};
    size_t count = 0;

    static InvocationResult none() { return {}; }
    static InvocationResult of(uint64_t a) { return {{a}, 1}; }
    static InvocationResult of(uint64_t a, uint64_t b) { return {{a, b}, 2}; }
    static InvocationResult of(uint64_t a, uint64_t b, uint64_t c) { return {{a, b, c}, 3}; }
    static InvocationResult of(uint64_t a, uint64_t b, uint64_t c, uint64_t d) { return {{a, b, c, d}, 4}; }
};
using InvocationOutcome = Result<InvocationResult>;

// Decode the Call's message from the caller and dispatch on the object type;
// write the reply into the caller's registers, or rewind the caller to make
// the call again (Invocation::restart). Never blocks. May destroy the caller.
void invoke(Cpu& cpu, Task& caller, Capability& capability);

// One operation of an object type. The handler runs after the dispatcher's
// checks 1-4 passed: `rights` are held, `words` words are there.
struct Operation {
    uint64_t label;
    uint8_t rights;
    uint8_t words;
    InvocationOutcome (*handler)(Invocation& invocation);
};

template <class Label>
constexpr Operation operation(Label label, uint8_t rights, uint8_t words, InvocationOutcome (*handler)(Invocation&)) {
    return Operation{static_cast<uint64_t>(label), rights, words, handler};
}

// The operations of one object type (empty: the type has none).
struct OperationTable {
    const Operation* operations = nullptr;
    size_t count = 0;

    template <size_t N>
    constexpr OperationTable(const Operation (&list)[N]) : operations(list), count(N) {}
    constexpr OperationTable() = default;
    // The operation with `label`, or null.
    const Operation* find(uint64_t label) const;
};

// The tables, one per object type with operations (syscall/<type>_invocation.cpp).
extern const OperationTable kMemoryOperations;
extern const OperationTable kCapabilitySpaceOperations;
extern const OperationTable kVirtualSpaceOperations;
extern const OperationTable kPageOperations;
extern const OperationTable kDeviceMemoryOperations;
extern const OperationTable kTaskOperations;
extern const OperationTable kIrqControlOperations;
extern const OperationTable kIrqHandlerOperations;
extern const OperationTable kIoPortControlOperations; // empty where !arch::io_ports_supported()
extern const OperationTable kIoPortOperations;
extern const OperationTable kConsoleOperations;
extern const OperationTable kSystemOperations;
extern const OperationTable kReplyOperations;

// Bytes packed little-endian, 8 per word, in words[first_word..] (Console.Write,
// Task.SetName): copies `length` of them into `out`. Fails with
// InvalidArgument when the message has fewer words than `length` needs.
Result<void> unpack_bytes(const Invocation& invocation, size_t first_word, uint64_t length, char* out);

// The operations of `type` on this kernel (empty for Endpoint, Notification,
// Reply, None, and IoPortControl on an arch without I/O ports).
OperationTable operations_of(ObjectType type);

// Drain the teardown queue for an operation that killed objects: done, or
// `restart` set when the budget of this entry ran out.
InvocationOutcome finish_teardown(Cpu& cpu, bool& restart);

// A call the caller must re-execute to continue (Task::restart): continue it
// when r0 and the label match and return true; otherwise forget it and
// return false (the call is new).
bool continue_restarted_call(Cpu& cpu, Task& caller);

} // namespace vesta
