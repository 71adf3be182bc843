// kernel/boot/command_line.hpp — the kernel command line (docs/boot-protocol.md).
//
// Words separated by spaces; each is `name` or `name=value`. Unknown words
// are reported and ignored, so a typo never stops the boot.
#pragma once

#include <stddef.h>

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

struct KernelOptions {
    bool emulator_exit = false; // `emulator-exit`: exit the emulator when the kernel stops
    bool exit_on_ready = false; // `exit-on-ready`: stop (with success) after "kernel ready"
    FaultTest fault_test = FaultTest::None;
    // `test-firmware-leftovers`: before the kernel programs its control
    // registers, set the bits a careless firmware could leave (EL0 timer
    // access, CR4.OSXSAVE/FSGSBASE, …), so tests see that none survives.
    bool firmware_leftovers = false;
};

// Parses `text` (not necessarily NUL-terminated). `report` is called for each
// word that is not understood, with the word and its length.
KernelOptions parse_command_line(const char* text, size_t length, void (*report)(const char* word, size_t length));

} // namespace vesta
