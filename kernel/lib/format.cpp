#include <lib/format.hpp>

namespace vesta {
namespace {

size_t text_length(const char* text) {
    size_t length = 0;
    while (text[length]) ++length;
    return length;
}

void emit_unsigned(FormatSinkFunction sink, void* context, uint64_t value, FormatSpec spec, bool negative) {
    char digits[24];
    size_t count = 0;
    const unsigned base = spec.hex ? 16 : 10;
    do {
        digits[count++] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value);
    while (count < spec.width && count < sizeof(digits)) digits[count++] = '0';
    char text[32];
    size_t length = 0;
    if (negative) text[length++] = '-';
    if (spec.hex) {
        text[length++] = '0';
        text[length++] = 'x';
    }
    while (count) text[length++] = digits[--count];
    sink(context, text, length);
}

// Parses the spec between '{' and '}' (pattern points after '{'); returns the
// position after '}', or nullptr when the spec is malformed.
const char* parse_spec(const char* pattern, FormatSpec* spec) {
    if (*pattern == '}') return pattern + 1;
    if (*pattern != ':') return nullptr;
    ++pattern;
    while (*pattern >= '0' && *pattern <= '9') {
        spec->width = spec->width * 10 + static_cast<unsigned>(*pattern - '0');
        if (spec->width > 20) spec->width = 20;
        ++pattern;
    }
    if (*pattern == 'x') {
        spec->hex = true;
        ++pattern;
    }
    return *pattern == '}' ? pattern + 1 : nullptr;
}

} // namespace

void format_erased(FormatSinkFunction sink, void* context, const char* pattern, const FormatArgument* arguments,
                   size_t count) {
    size_t next = 0;
    while (*pattern) {
        const char* run = pattern;
        while (*pattern && *pattern != '{') ++pattern;
        if (pattern != run) sink(context, run, static_cast<size_t>(pattern - run));
        if (!*pattern) break;
        FormatSpec spec;
        const char* after = parse_spec(pattern + 1, &spec);
        if (!after) { // not a placeholder: print the brace literally
            sink(context, pattern, 1);
            ++pattern;
            continue;
        }
        pattern = after;
        if (next >= count) {
            sink(context, "{?}", 3);
            continue;
        }
        const FormatArgument& argument = arguments[next++];
        switch (argument.kind) {
        case FormatArgument::Kind::Unsigned: emit_unsigned(sink, context, argument.unsigned_value, spec, false); break;
        case FormatArgument::Kind::Signed: {
            const int64_t value = argument.signed_value;
            if (spec.hex) {
                emit_unsigned(sink, context, static_cast<uint64_t>(value), spec, false);
            } else {
                const uint64_t magnitude =
                    value < 0 ? uint64_t{0} - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
                emit_unsigned(sink, context, magnitude, spec, value < 0);
            }
            break;
        }
        case FormatArgument::Kind::Text: {
            const char* text = argument.text ? argument.text : "(null)";
            sink(context, text, text_length(text));
            break;
        }
        case FormatArgument::Kind::Pointer:
            spec.hex = true;
            emit_unsigned(sink, context, reinterpret_cast<uintptr_t>(argument.pointer), spec, false);
            break;
        }
    }
}

} // namespace vesta
