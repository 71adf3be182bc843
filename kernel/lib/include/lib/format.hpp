// lib/format.hpp — a small, type-safe formatter for freestanding code.
//
//   format(sink, "usable memory: {} MiB\n", megabytes);
//   format(sink, "rip={:x} cr2={:016x}\n", rip, cr2);
//
// `{}` prints an argument in decimal (integers), as text (const char*), or as
// 0x-prefixed hex (pointers); `{:x}` prints integers as 0x-prefixed hex and
// `{:0Nx}` zero-pads the digits to N. Extra `{}` without an argument print
// "{?}"; extra arguments are ignored. A Sink is any callable taking
// (const char* text, size_t length).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta {

struct FormatSpec {
    bool hex = false;
    unsigned width = 0; // zero-padded digit count
};

using FormatSinkFunction = void (*)(void* context, const char* text, size_t length);

// One formatted argument, erased to a small tagged value.
struct FormatArgument {
    enum class Kind { Unsigned, Signed, Text, Pointer } kind;
    union {
        uint64_t unsigned_value;
        int64_t signed_value;
        const char* text;
        const void* pointer;
    };
    FormatArgument(unsigned char v) : kind(Kind::Unsigned), unsigned_value(v) {}
    FormatArgument(unsigned short v) : kind(Kind::Unsigned), unsigned_value(v) {}
    FormatArgument(unsigned int v) : kind(Kind::Unsigned), unsigned_value(v) {}
    FormatArgument(unsigned long v) : kind(Kind::Unsigned), unsigned_value(v) {}
    FormatArgument(unsigned long long v) : kind(Kind::Unsigned), unsigned_value(v) {}
    FormatArgument(bool v) : kind(Kind::Text), text(v ? "true" : "false") {}
    FormatArgument(char v) : kind(Kind::Signed), signed_value(v) {}
    FormatArgument(signed char v) : kind(Kind::Signed), signed_value(v) {}
    FormatArgument(short v) : kind(Kind::Signed), signed_value(v) {}
    FormatArgument(int v) : kind(Kind::Signed), signed_value(v) {}
    FormatArgument(long v) : kind(Kind::Signed), signed_value(v) {}
    FormatArgument(long long v) : kind(Kind::Signed), signed_value(v) {}
    FormatArgument(const char* v) : kind(Kind::Text), text(v) {}
    FormatArgument(const void* v) : kind(Kind::Pointer), pointer(v) {}
    template <class T>
    FormatArgument(T* v) : kind(Kind::Pointer), pointer(v) {}
    template <class E>
    requires __is_enum(E) FormatArgument(E v) : kind(Kind::Unsigned), unsigned_value(static_cast<uint64_t>(v)) {}
};

void format_erased(FormatSinkFunction sink, void* context, const char* pattern, const FormatArgument* arguments,
                   size_t count);

template <class Sink, class... Args>
void format(Sink& sink, const char* pattern, const Args&... args) {
    const FormatArgument erased[sizeof...(Args) + 1] = {FormatArgument(args)..., FormatArgument(0)};
    format_erased([](void* context, const char* text, size_t length) { (*static_cast<Sink*>(context))(text, length); },
                  &sink, pattern, erased, sizeof...(Args));
}

// A Sink that writes into a fixed buffer, always NUL-terminated, truncating.
class BufferSink {
public:
    BufferSink(char* buffer, size_t capacity) : buffer_(buffer), capacity_(capacity) {
        if (capacity_) buffer_[0] = '\0';
    }
    void operator()(const char* text, size_t length) {
        for (size_t i = 0; i < length && used_ + 1 < capacity_; ++i) buffer_[used_++] = text[i];
        if (capacity_) buffer_[used_] = '\0';
    }
    size_t length() const { return used_; }
    const char* text() const { return buffer_; }

private:
    char* buffer_;
    size_t capacity_;
    size_t used_ = 0;
};

} // namespace vesta
