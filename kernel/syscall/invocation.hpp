// kernel/syscall/invocation.hpp — a Call on a kernel-object capability.
//
// Kernel objects answer Calls with the same message format as user servers:
// the label selects the operation (vesta/syscall.hpp), words carry the
// arguments, and the reply's label and r0 carry the Error. Each object type
// has its own decode function (syscall/<type>_invocation.cpp); every one
// checks all arguments before it changes anything.
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
    // Fails with InvalidArgument when the message has fewer than `n` words.
    Result<void> require(size_t n) const {
        if (count < n) return Error::InvalidArgument;
        return {};
    }
};

struct InvocationResult {
    uint64_t words[kRegisterMessageWords] = {};
    size_t count = 0;

    static InvocationResult none() { return {}; }
    static InvocationResult of(uint64_t a) { return {{a}, 1}; }
    static InvocationResult of(uint64_t a, uint64_t b) { return {{a, b}, 2}; }
    static InvocationResult of(uint64_t a, uint64_t b, uint64_t c) { return {{a, b, c}, 3}; }
    static InvocationResult of(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
        return {{a, b, c, d}, 4};
    }
};
using InvocationOutcome = Result<InvocationResult>;

// Decode the Call's message from the caller and dispatch on the object type;
// write the reply into the caller's registers, or rewind the caller to make
// the call again (Invocation::restart). Never blocks. May destroy the caller.
void invoke(Cpu& cpu, Task& caller, Capability& capability);

InvocationOutcome invoke_memory(Invocation& invocation);
InvocationOutcome invoke_capability_space(Invocation& invocation);
InvocationOutcome invoke_virtual_space(Invocation& invocation);
InvocationOutcome invoke_frame(Invocation& invocation);
InvocationOutcome invoke_task(Invocation& invocation);
InvocationOutcome invoke_irq_control(Invocation& invocation);
InvocationOutcome invoke_irq_handler(Invocation& invocation);
InvocationOutcome invoke_io_port_control(Invocation& invocation);
InvocationOutcome invoke_io_port(Invocation& invocation);
InvocationOutcome invoke_console(Invocation& invocation);
InvocationOutcome invoke_system(Invocation& invocation);

// Drain the teardown queue for an operation that killed objects: done, or
// `restart` set when the budget of this entry ran out.
InvocationOutcome finish_teardown(Cpu& cpu, bool& restart);

// A call the caller must re-execute to continue (Task::restart): continue it
// when r0 and the label match and return true; otherwise forget it and
// return false (the call is new).
bool continue_restarted_call(Cpu& cpu, Task& caller);

} // namespace vesta
