// kernel/arch/platform.hpp — the CPU/platform half of the arch interface.
//
// Every backend (arch/x86_64, arch/aarch64, arch/host) defines these
// functions. The portable core includes this header, never a backend header.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::arch {

// "x86_64", "aarch64", "host": printed in the banner.
extern const char* const kArchitectureName;

// Write raw bytes to the early/debug console. Never fails; may drop output
// when no console exists.
void console_write(const char* text, size_t length);

// How a test build tells the emulator the outcome.
enum class ExitStatus : uint32_t { Success = 0, Failure = 1 };

// Stop the machine: exit the emulator with `status` when the platform offers
// a way (x86_64 isa-debug-exit, aarch64 semihosting/PSCI) and exit was
// enabled on the command line; otherwise halt this CPU forever.
[[noreturn]] void stop_machine(ExitStatus status);

// Whether stop_machine() may use the emulator's exit device (the kernel
// command line's `emulator-exit`). Off by default: on real hardware those
// devices do not exist.
void set_emulator_exit(bool enabled);

// Halt this CPU forever with interrupts masked.
[[noreturn]] void halt_forever();

} // namespace vesta::arch
