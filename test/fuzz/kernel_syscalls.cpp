// test/fuzz/kernel_syscalls.cpp — the stateful syscall fuzzer for the
// portable kernel core (test/support/syscall_program.hpp): each input is a
// program of syscalls, ticks, interrupts, faults and pool deletions from
// several tasks; every kernel invariant is checked after every step, every
// page must be back at the end, and a second kernel running the same program
// through the general path only must agree with the first after every step.
// Any violation aborts with the reason on stderr.
//
// fuzz-sources: test/support/kernel_harness.cpp test/support/kernel_invariants.cpp test/support/syscall_program.cpp
// fuzz-sources: kernel/boot/initial_objects.cpp kernel/capability/capability_space.cpp kernel/cpu.cpp kernel/entry.cpp kernel/ipc/endpoint_ipc.cpp kernel/ipc/message.cpp kernel/ipc/notification_ipc.cpp kernel/ipc/poll.cpp kernel/kernel.cpp kernel/object/binding.cpp kernel/object/memory.cpp kernel/object/object.cpp kernel/object/teardown.cpp kernel/object/virtual_space.cpp kernel/scheduler/scheduler.cpp kernel/scheduler/timeout_wheel.cpp kernel/syscall/capability_space_invocation.cpp kernel/syscall/console_invocation.cpp kernel/syscall/fast_path.cpp kernel/syscall/frame_invocation.cpp kernel/syscall/invocation.cpp kernel/syscall/io_port_invocation.cpp kernel/syscall/irq_invocation.cpp kernel/syscall/memory_invocation.cpp kernel/syscall/syscall.cpp kernel/syscall/system_invocation.cpp kernel/syscall/task_invocation.cpp kernel/syscall/virtual_space_invocation.cpp kernel/memory/page_allocator.cpp
// fuzz-sources: kernel/boot/command_line.cpp kernel/log.cpp kernel/lib/format.cpp arch/host/mmu.cpp arch/host/platform.cpp
// fuzz-include: kernel kernel/include kernel/lib/include arch/host/include test/support
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "syscall_program.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const vesta::test::ProgramOutcome outcome = vesta::test::run_program(data, size, true);
    if (!outcome.failure.empty()) {
        fprintf(stderr, "kernel_syscalls: %s\n", outcome.failure.c_str());
        abort();
    }
    return 0;
}
