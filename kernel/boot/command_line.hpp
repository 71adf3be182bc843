// kernel/boot/command_line.hpp — the kernel command line (docs/boot-protocol.md).
//
// Words separated by spaces; each is `name` or `name=value`. Words the
// kernel does not know are reported and left to the root task (it reads the
// whole line from RootInfo::command_line: `bench`, `usrinit=…`), so a typo
// never stops the boot.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta {

// `fault-test=…`: provoke a kernel fault after "kernel ready", to test its report.
enum class FaultTest {
    None,
    PageFault,     // `page`: a write to an unmapped kernel-mode address
    Trap,          // `trap`: an undefined instruction
    StackOverflow, // `stack`: recursion until the kernel stack hits its guard page
    Assertion,     // `assert`: a VESTA_ASSERT that fails (the panic report)
    UserAccess,    // `user-access`: on the first entry from user mode, a read of user memory (SMAP/PAN)
};

// The root program's name when the command line has no `init=`.
inline constexpr const char* kDefaultInitProgram = "sysinit";
// The longest name `init=` accepts.
inline constexpr size_t kMaxInitProgramName = 64;

struct KernelOptions {
    bool emulator_exit = false; // `emulator-exit`: exit the emulator when the kernel stops
    bool exit_on_ready = false; // `exit-on-ready`: stop (with success) after "kernel ready"
    FaultTest fault_test = FaultTest::None;
    // `test-firmware-leftovers`: before the kernel programs its control
    // registers, set the bits a careless firmware could leave (EL0 timer
    // access, CR4.OSXSAVE/FSGSBASE, …), so tests see that none survives.
    bool firmware_leftovers = false;
    // `test-cpus-no-wait`: give up on every secondary CPU as soon as it was
    // asked to start, so tests see late arrivals stop without harm (docs/smp.md).
    bool cpus_no_wait = false;
    // `no-tlb-tags`: no ASIDs/PCIDs; every address-space switch flushes the
    // user translations (for comparing the two, docs/performance.md).
    bool tlb_tags = true;
    // `tlb-tags=N` (2..65536, tests): use at most N tags, so that new
    // generations come often (N - 1 address spaces each). 0: as many as the CPU has.
    uint32_t tlb_tag_limit = 0;
    // `init=NAME`: the initramfs file started as the root task (the last
    // `init=` wins). Points into the parsed text, not NUL-terminated; null
    // when absent (then kDefaultInitProgram).
    const char* init = nullptr;
    size_t init_length = 0;
};

// Why `name` (of `length` bytes) cannot name the root program, or nullptr
// when it can: 1 to kMaxInitProgramName bytes of letters, digits and
// `. _ - /`, not starting or ending with '/', no empty, "." or ".." component
// (the initramfs holds plain paths such as `sysinit` or `tests/root`).
const char* init_name_problem(const char* name, size_t length);

// Parses `text` (not necessarily NUL-terminated). `report` is called for each
// word that is not understood, with the word and its length.
KernelOptions parse_command_line(const char* text, size_t length, void (*report)(const char* word, size_t length));

} // namespace vesta
