// arch/aarch64/kernel/stop.hpp — how the machine stops when semihosting is
// absent.
//
// stop_machine() exits QEMU through semihosting when `emulator-exit` is on.
// Without semihosting (a plain QEMU command line, or real hardware) its HLT
// is an undefined instruction: the exception handler then calls
// semihosting_unavailable(), which powers off through PSCI SYSTEM_OFF when
// the device tree offers it and halts otherwise — printing nothing, so the
// last console line stays the one the kernel meant to be last.
#pragma once

namespace vesta::arch {

bool semihosting_exit_pending();
[[noreturn]] void semihosting_unavailable();

} // namespace vesta::arch
