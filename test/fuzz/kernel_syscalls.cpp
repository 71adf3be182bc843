// test/fuzz/kernel_syscalls.cpp — the stateful syscall fuzzer for the
// portable kernel core (test/support/syscall_program.hpp): each input is a
// program of syscalls, ticks, interrupts, faults and pool deletions from
// several tasks; every kernel invariant is checked after every step, every
// page must be back at the end, and a second kernel running the same program
// through the general path only must agree with the first after every step.
// Any violation aborts with the reason on stderr.
// Built by test/fuzz/meson.build (build/fuzz), run by scripts/fuzz.
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
