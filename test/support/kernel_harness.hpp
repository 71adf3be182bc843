// test/support/kernel_harness.hpp — a kernel core over a window of the host
// backend's "physical memory", driven the way user code would drive it: set
// registers, enter the kernel, read what comes back. No test framework: the
// stateful fuzzer and the Catch2 tests share it.
//
// Several harnesses may coexist (the differential check runs two kernels side
// by side): each has its own host buffer posing as the same physical range,
// and use_host_memory() switches the host backend to the one in use, so both
// kernels see identical physical addresses.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <boot/initial_objects.hpp>
#include <entry.hpp>
#include <kernel.hpp>

namespace vesta::test {

// Host buffer `index` (0 or 1) of `pages` pages, posing as physical memory
// from kPhysicalBase; use_host_memory makes the host backend use it.
inline constexpr uint64_t kPhysicalBase = 0x4000'0000;
uint8_t* host_memory(int index, uint64_t pages);
void use_host_memory(uint8_t* buffer, uint64_t pages);

struct Registers {
    uint64_t r[kSyscallRegisters] = {};
};

class KernelHarness {
public:
    // A kernel whose one boot pool is [physical, physical + pages), with a root
    // task of `root_slots` slots at `root_priority`, made current.
    KernelHarness(uint64_t physical, uint64_t pages, uint32_t root_slots = 64, uint8_t root_priority = 200);
    ~KernelHarness();
    KernelHarness(const KernelHarness&) = delete;
    KernelHarness& operator=(const KernelHarness&) = delete;

    Kernel& kernel;
    Cpu& cpu;
    Memory& pool;
    RootTask root;
    bool fast_path = true; // false: every syscall takes the general path
    // Syscalls the fast path did whole, by number (as the backends run it:
    // handle_fast_syscall, then the general path when it did nothing).
    uint64_t fast_taken[kSyscallCount] = {};
    uint64_t restarts = 0;

    // Make a Ready (or Running) task current. False when it is neither.
    bool switch_to(Task& task);
    // A syscall from `task` (made current first; false when it cannot run),
    // re-entered while the kernel rewinds it. Registers come back in *out.
    bool syscall(Task& task, Syscall number, Registers& registers);
    bool syscall_number(Task& task, uint64_t number, Registers& registers);
    // An invocation from the root task: label and up to 4 words; the error.
    Error invoke(uint64_t slot, uint64_t label, uint64_t w0 = 0, uint64_t w1 = 0, uint64_t w2 = 0, uint64_t w3 = 0,
                 uint64_t* result = nullptr);
};

} // namespace vesta::test
