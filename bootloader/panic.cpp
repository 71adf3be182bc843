// bootloader/panic.cpp — panic() in the loader (lib/assert.hpp): the message
// on the firmware console while there is one, then a halt. A broken
// invariant in the loader is a loader bug; nothing it could return to the
// firmware would be trustworthy.
#include <lib/assert.hpp>

#include "console.hpp"
#include "panic.hpp"

namespace vesta::loader {
namespace {
Console* panic_console = nullptr;
} // namespace

void set_panic_console(Console* console) { panic_console = console; }

} // namespace vesta::loader

namespace vesta {

void panic(const char* message, const char* file, int line) {
    if (loader::Console* console = loader::panic_console) {
        loader::panic_console = nullptr; // a panic while printing halts at once
        console->print("vesta loader: panic: {} at {}:{}\n", message, file, line);
    }
    for (;;) asm volatile("" ::: "memory");
}

} // namespace vesta
