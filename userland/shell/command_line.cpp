// userland/shell/command_line.cpp — command_line.hpp.
#include "command_line.hpp"

namespace shell {

CommandLine::Problem parse_command_line(const char* text, size_t length, CommandLine* out) {
    *out = CommandLine{};
    size_t used = 0;
    size_t i = 0;
    auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (i < length) {
        while (i < length && blank(text[i])) ++i;
        if (i == length) break;
        if (out->background) return CommandLine::Problem::MisplacedAmpersand; // a word after '&'
        const size_t start = used;
        bool quoted = false, any = false;
        for (; i < length && (quoted || !blank(text[i])); ++i) {
            const char c = text[i];
            if (c == '"') {
                quoted = !quoted;
                any = true;
                continue;
            }
            if (c == '&' && !quoted) {
                // Only at the very end of the line (spaces after it allowed).
                size_t j = i + 1;
                while (j < length && blank(text[j])) ++j;
                if (j != length) return CommandLine::Problem::MisplacedAmpersand;
                out->background = true;
                ++i;
                break;
            }
            if (used + 1 >= CommandLine::kMaxBytes) return CommandLine::Problem::TooLong;
            out->storage[used++] = c;
            any = true;
        }
        if (quoted) return CommandLine::Problem::OpenQuote;
        if (!any && used == start) continue; // a lone '&'
        if (out->count == CommandLine::kMaxWords) return CommandLine::Problem::TooManyWords;
        out->storage[used++] = '\0';
        out->words[out->count++] = out->storage + start;
    }
    if (out->background && out->count == 0) return CommandLine::Problem::MisplacedAmpersand;
    return CommandLine::Problem::None;
}

const char* problem_message(CommandLine::Problem problem) {
    switch (problem) {
    case CommandLine::Problem::None: return "no problem";
    case CommandLine::Problem::TooManyWords: return "too many arguments (at most 16 words)";
    case CommandLine::Problem::OpenQuote: return "a quote is left open";
    case CommandLine::Problem::MisplacedAmpersand: return "'&' only ends a command line";
    case CommandLine::Problem::TooLong: return "the line is too long";
    }
    return "unknown problem";
}

} // namespace shell
