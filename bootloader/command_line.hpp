// bootloader/command_line.hpp — the loader's handling of \vesta\cmdline.txt
// (docs/boot-protocol.md, "The kernel command line"). Portable: host-tested
// in test/unit/bootloader/.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta::loader {

// Turns the file's NULs, carriage returns, newlines and tabs into spaces,
// drops trailing spaces and NUL-terminates: `text` holds `size` bytes and has
// room for one more. Returns the new size.
uint64_t normalise_command_line(char* text, uint64_t size);

// Whether the normalised command line holds `word` as a whole word.
bool has_word(const char* line, uint64_t size, const char* word);

} // namespace vesta::loader
