// kernel/arch/context.hpp — the saved user register state of a thread.
//
// The backend header <arch/backend/context.hpp> defines vesta::arch::UserContext,
// an opaque value type the portable core reaches only through the accessors
// checked below. The core never sees machine register names: it uses the
// generic syscall registers r0..r7 of vesta/syscall.hpp, which each backend
// maps onto its calling convention (docs/syscall-abi.md).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <arch/backend/context.hpp>
#include <lib/utility.hpp>
#include <vesta/syscall.hpp>

namespace vesta::arch {

template <class T>
concept UserContextType = requires(T& context, const T& view, size_t index, uint64_t value) {
    { view.syscall_number() } -> same_as<uint64_t>;
    { view.argument(index) } -> same_as<uint64_t>; // r0..r7 (index < kSyscallRegisters)
    { context.set_argument(index, value) } -> same_as<void>;
    { view.instruction_pointer() } -> same_as<uint64_t>;
    { context.set_instruction_pointer(value) } -> same_as<void>;
    { view.stack_pointer() } -> same_as<uint64_t>;
    { context.set_stack_pointer(value) } -> same_as<void>;
    // A fresh user context: entry point, stack, first argument; user mode,
    // interrupts enabled, everything else zero.
    { context.initialise(value, value, value) } -> same_as<void>;
    // The task entered by a syscall instruction: make it execute that
    // instruction again when it resumes (its registers are as it left them).
    { context.restart_syscall() } -> same_as<void>;
};
// Called by the core just before a task's storage is freed: the backend drops
// any reference it keeps to the context (x86_64: the CPU's FPU owner).
void forget_context(UserContext& context);

static_assert(UserContextType<UserContext>, "the arch backend's UserContext does not implement the context interface");

} // namespace vesta::arch
