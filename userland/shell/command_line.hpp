// userland/shell/command_line.hpp — splitting a command line into words
// (portable: host-tested in test/unit/userland/shell/).
//
// Words are separated by spaces or tabs; double quotes group a word that
// holds spaces ("a b" is one word a b; "" is an empty word; quotes inside a
// word join, as in sh: x"y z" is x y z). A `&` ending the line (its own
// word, or the end of the last word: `spin&`) runs the program in the
// background and is not a word. Refused, with a message for the person:
// more than kMaxWords words, a quote left open, a `&` anywhere but at the
// end.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace shell {

struct CommandLine {
    static constexpr size_t kMaxWords = 16;
    static constexpr size_t kMaxBytes = 256; // the words and their NULs

    enum class Problem : uint8_t { None, TooManyWords, OpenQuote, MisplacedAmpersand, TooLong };

    const char* words[kMaxWords] = {};
    size_t count = 0;
    bool background = false;
    char storage[kMaxBytes] = {};
};

// Splits `length` bytes of `text`. Problem::None with count 0: an empty line.
CommandLine::Problem parse_command_line(const char* text, size_t length, CommandLine* out);
const char* problem_message(CommandLine::Problem problem);

} // namespace shell
