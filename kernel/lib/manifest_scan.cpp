// manifest_scan.cpp — the lexical layer of the manifest parser: a cursor
// over one line, numbers, quoted strings, excerpts for messages.
//
// The whole text has been checked before any line is scanned (parse() in
// manifest_parse.cpp): every byte is printable ASCII, a tab, or 0x80-0xff,
// and no line is longer than kMaxLineLength.
#include "manifest_internal.hpp"

namespace vesta::manifest::detail {

bool Span::equals(const char* text) const {
    size_t i = 0;
    for (; i < length; ++i) {
        if (text[i] != data[i]) return false; // also stops at text's NUL
    }
    return text[i] == '\0';
}

Excerpt::Excerpt(const Span& span) {
    constexpr size_t kShown = 40;
    size_t n = span.length < kShown ? span.length : kShown;
    for (size_t i = 0; i < n; ++i) text_[i] = span.data[i];
    if (span.length > kShown) {
        text_[n++] = '.';
        text_[n++] = '.';
        text_[n++] = '.';
    }
    text_[n] = '\0';
}

bool Line::done() {
    skip_blanks();
    return position_ == end_ || *position_ == '#';
}

void Line::skip_blanks() {
    while (position_ < end_ && is_blank(*position_)) ++position_;
}

bool Line::accept(char c) {
    if (position_ < end_ && *position_ == c) {
        ++position_;
        return true;
    }
    return false;
}

Span Line::take_token() {
    Span span{position_, 0, here()};
    while (position_ < end_) {
        const char c = *position_;
        if (is_blank(c) || c == '=' || c == ',' || c == '#') break;
        ++position_;
    }
    span.length = static_cast<size_t>(position_ - span.data);
    return span;
}

Span Line::take_word() {
    Span span{position_, 0, here()};
    while (position_ < end_) {
        const char c = *position_;
        if (!is_letter(c) && !is_digit(c) && c != '_' && c != '-') break;
        ++position_;
    }
    span.length = static_cast<size_t>(position_ - span.data);
    return span;
}

Span Line::take_rest() {
    Span span{position_, 0, here()};
    const char* last = position_; // one past the last non-blank byte
    while (position_ < end_ && *position_ != '#') {
        if (!is_blank(*position_)) last = position_ + 1;
        ++position_;
    }
    span.length = static_cast<size_t>(last - span.data);
    return span;
}

Result<Span> Line::take_string(Reporter& report) {
    const Location opening = here();
    ++position_; // the opening quote
    Span content{position_, 0, here()};
    while (position_ < end_ && *position_ != '"') {
        if (*position_ == '\\') {
            if (position_ + 1 < end_ && (position_[1] == '"' || position_[1] == '\\')) {
                position_ += 2;
                continue;
            }
            return report.fail(Error::Syntax, here(), "unknown escape in string (only \\\" and \\\\ are allowed)");
        }
        ++position_;
    }
    if (position_ == end_)
        return report.fail(Error::UnterminatedString, opening, "string not terminated (no closing '\"' on this line)");
    content.length = static_cast<size_t>(position_ - content.data);
    ++position_; // the closing quote
    return content;
}

namespace {

int digit_value(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool all_hex_digits(const Span& span) {
    for (size_t i = 0; i < span.length; ++i) {
        if (digit_value(span.data[i]) < 0) return false;
    }
    return span.length > 0;
}

} // namespace

Result<uint64_t> Line::take_number(Reporter& report, const char* what) {
    return parse_number(take_token(), report, what);
}

Result<uint64_t> parse_number(const Span& token, Reporter& report, const char* what) {
    const Excerpt shown(token);
    if (token.empty()) return report.fail(Error::BadNumber, token.location, "expected a number for {}", what);
    const bool hex = token.length >= 2 && token.data[0] == '0' && (token.data[1] == 'x' || token.data[1] == 'X');
    const unsigned base = hex ? 16 : 10;
    size_t i = hex ? 2 : 0;
    if (hex && i == token.length)
        return report.fail(Error::BadNumber, token.location, "expected hexadecimal digits after '0x' in {}", what);
    if (!hex && token.length > 1 && token.data[0] == '0' && is_digit(token.data[1]))
        return report.fail(Error::BadNumber, token.location,
                           "'{}' for {} has a leading zero (octal is not supported; hexadecimal needs 0x)",
                           shown.c_str(), what);
    uint64_t value = 0;
    for (; i < token.length; ++i) {
        const int digit = digit_value(token.data[i]);
        if (digit < 0 || static_cast<unsigned>(digit) >= base) {
            if (!hex && all_hex_digits(token))
                return report.fail(Error::BadNumber, token.location,
                                   "'{}' for {} is not a decimal number (hexadecimal needs the 0x prefix: 0x{})",
                                   shown.c_str(), what, shown.c_str());
            if (!is_digit(token.data[0]))
                return report.fail(Error::BadNumber, token.location, "expected a number for {}, found '{}'", what,
                                   shown.c_str());
            return report.fail(Error::BadNumber, token.location, "'{}' for {} is not a {} number", shown.c_str(), what,
                               hex ? "hexadecimal" : "decimal");
        }
        if (__builtin_mul_overflow(value, uint64_t{base}, &value) ||
            __builtin_add_overflow(value, static_cast<uint64_t>(digit), &value))
            return report.fail(Error::NumberOverflow, token.location, "{} '{}' does not fit in 64 bits", what,
                               shown.c_str());
    }
    return value;
}

Result<void> Line::expect_done(Reporter& report, const char* after) {
    if (done()) return {};
    const Span extra = take_rest();
    const Excerpt shown(extra);
    return report.fail(Error::Syntax, extra.location, "unexpected '{}' {}", shown.c_str(), after);
}

bool copy_string(const Span& content, char* out, size_t capacity) {
    size_t n = 0;
    for (size_t i = 0; i < content.length; ++i) {
        char c = content.data[i];
        if (c == '\\' && i + 1 < content.length) c = content.data[++i];
        if (n == capacity) return false;
        out[n++] = c;
    }
    out[n] = '\0';
    return true;
}

bool copy_span(const Span& span, char* out, size_t capacity) {
    if (span.length > capacity) return false;
    for (size_t i = 0; i < span.length; ++i) out[i] = span.data[i];
    out[span.length] = '\0';
    return true;
}

bool strings_equal(const char* a, const char* b) {
    while (*a && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}

} // namespace vesta::manifest::detail
