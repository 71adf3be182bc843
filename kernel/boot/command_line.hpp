// kernel/boot/command_line.hpp — the kernel command line (docs/boot-protocol.md).
//
// Words separated by spaces; each is `name` or `name=value`. Unknown words
// are reported and ignored, so a typo never stops the boot.
#pragma once

#include <stddef.h>

namespace vesta {

enum class FaultTest { None, PageFault, Trap };

struct KernelOptions {
    bool emulator_exit = false; // `emulator-exit`: exit the emulator when the kernel stops
    bool exit_on_ready = false; // `exit-on-ready`: stop (with success) after "kernel ready"
    FaultTest fault_test = FaultTest::None; // `fault-test=page|trap`: provoke a kernel fault
};

// Parses `text` (not necessarily NUL-terminated). `report` is called for each
// word that is not understood, with the word and its length.
KernelOptions parse_command_line(const char* text, size_t length,
                                 void (*report)(const char* word, size_t length));

} // namespace vesta
