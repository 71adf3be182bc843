// lib/assert.hpp — VESTA_ASSERT and panic(): stopping on a broken invariant.
//
// VESTA_ASSERT(condition) states something the code relies on and that no
// input can make false (a "cannot fail", a precondition a caller must keep).
// When it is false the program panics: it prints "panic: <message> at
// <file>:<line>" and stops — the kernel with a symbolised backtrace and a
// failure status (kernel/debug/panic.cpp), the loader on its console and in a
// halt loop (bootloader/panic.cpp), host tests and tools on stderr and
// abort() (lib/panic_hosted.cpp), so ASan and the test runner show it.
//
// Builds: every build directory Meson configures today has b_ndebug=false,
// so assertions are checked in the kernel, the loader and the host tests.
// A release build configured with -Db_ndebug=true (NDEBUG) compiles
// VESTA_ASSERT away without evaluating its condition — conditions must have
// no side effects. panic() itself is always there: use it for states that
// must stop the machine in every build. docs/design.md "Assertions".
//
// Errors a user or a file can cause are never assertions: they are Results.
#pragma once

namespace vesta {

// Prints the message and where it was raised, then stops; never returns.
// Defined once per environment (kernel, loader, hosted).
[[noreturn]] void panic(const char* message, const char* file, int line);

} // namespace vesta

#define VESTA_PANIC(message) ::vesta::panic((message), __FILE__, __LINE__)

#ifdef NDEBUG
#define VESTA_ASSERT(condition) static_cast<void>(sizeof(static_cast<bool>(condition)))
#else
#define VESTA_ASSERT(condition)                                                                                        \
    (static_cast<bool>(condition) ? static_cast<void>(0)                                                               \
                                  : ::vesta::panic("assertion failed: " #condition, __FILE__, __LINE__))
#endif
