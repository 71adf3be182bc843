// manifest_internal.hpp — the pieces the manifest parser's files share: a
// cursor over one line, error reporting into the Diagnostic, and the
// per-section entry parsers. Not part of the library's interface.
#pragma once

#include <lib/format.hpp>
#include <lib/manifest.hpp>

namespace vesta::manifest::detail {

// A run of bytes inside one line, and where it starts.
struct Span {
    const char* data = nullptr;
    size_t length = 0;
    Location location;

    bool empty() const { return length == 0; }
    bool equals(const char* text) const;
};

// A short NUL-terminated copy of a span for messages, cut to 40 bytes with
// "..." so a diagnostic always fits.
class Excerpt {
public:
    explicit Excerpt(const Span& span);
    const char* c_str() const { return text_; }

private:
    char text_[48];
};

// Fills the Diagnostic with the first error; returns its code so callers
// can write `return report.fail(...)`.
class Reporter {
public:
    explicit Reporter(Diagnostic* diagnostic) : diagnostic_(diagnostic) {}

    template <class... Args>
    Error fail(Error error, Location where, const char* pattern, const Args&... args) {
        diagnostic_->error = error;
        diagnostic_->location = where;
        BufferSink sink(diagnostic_->text, sizeof diagnostic_->text);
        format(sink, pattern, args...);
        return error;
    }

private:
    Diagnostic* diagnostic_;
};

inline bool is_blank(char c) { return c == ' ' || c == '\t'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
inline bool is_letter(char c) { return is_lower(c) || (c >= 'A' && c <= 'Z'); }

// One line of text without its line end, consumed left to right. A '#'
// outside a quoted string starts a comment that runs to the end of the line.
class Line {
public:
    Line(const char* begin, const char* end, uint32_t number)
        : position_(begin), begin_(begin), end_(end), number_(number) {}

    Location here() const { return at(position_); }
    Location at(const char* position) const { return {number_, static_cast<uint32_t>(position - begin_ + 1)}; }
    // Nothing but blanks and a comment remain (skips the blanks).
    bool done();
    // The next byte, or '\0' at the end of the line.
    char peek() const { return position_ < end_ ? *position_ : '\0'; }
    void skip_blanks();
    bool accept(char c);
    // Bytes up to a blank, '=', ',', '#' or the end (possibly none).
    Span take_token();
    // Letters, digits, '_' and '-' (possibly none).
    Span take_word();
    // The rest of the line before a comment, without trailing blanks.
    Span take_rest();
    // A "double-quoted" string (the cursor is on the opening quote): its
    // content without the quotes, escapes \" and \\ kept as written.
    Result<Span> take_string(Reporter& report);
    // A decimal or 0x-hexadecimal number; `what` names it in messages.
    Result<uint64_t> take_number(Reporter& report, const char* what);
    // Fails with a Syntax error unless only blanks and a comment remain;
    // `after` names what came last ("after the section header").
    Result<void> expect_done(Reporter& report, const char* after);

private:
    const char* position_;
    const char* begin_;
    const char* end_;
    uint32_t number_;
};

// A decimal or 0x-hexadecimal number spelled by all of `token`; `what`
// names it in messages.
Result<uint64_t> parse_number(const Span& token, Reporter& report, const char* what);

// Copies a string's content, resolving \" and \\, into `out` (room for
// `capacity` bytes plus the NUL); false when it does not fit.
bool copy_string(const Span& content, char* out, size_t capacity);
// Copies a span verbatim; false when it does not fit.
bool copy_span(const Span& span, char* out, size_t capacity);
bool strings_equal(const char* a, const char* b);

// The keys of [driver], in the order of kDriverKeys (manifest_driver.cpp).
enum class DriverKey : uint8_t { Name, Desc, Restart, RestartDelay, RestartDelayMax, RestartLimit, RestartWindow };
inline constexpr size_t kDriverKeyCount = 7;

// The parse state shared by the section parsers.
struct State {
    Manifest* manifest;
    Reporter* report;
    Location driver_keys[kDriverKeyCount]; // where each [driver] key was given (line 0: not given)
    Location compatible_key;
    Location virtio_device_key;
};

// One entry `key = value` of each section; the line cursor is after the key.
Result<void> parse_driver_entry(State& state, const Span& key, Line& line);
Result<void> parse_capability_entry(State& state, const Span& key, Line& line);
Result<void> parse_service_entry(State& state, const Span& key, Line& line, bool provides);
Result<void> parse_devicetree_entry(State& state, const Span& key, Line& line);

// Checks that need the whole manifest: required keys, restart consistency,
// note slots, node references, overlaps.
Result<void> check_driver(State& state);
Result<void> check_capabilities(State& state);

} // namespace vesta::manifest::detail
