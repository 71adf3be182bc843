// kernel/console.hpp — kernel messages on the arch's debug console.
#pragma once

#include <lib/format.hpp>

#include "arch/platform.hpp"

namespace vesta {

struct ConsoleSink {
    void operator()(const char* text, size_t length) const { arch::console_write(text, length); }
};

// print("usable memory: {} MiB\n", mib): see lib/format.hpp for placeholders.
template <class... Args>
void print(const char* pattern, const Args&... args) {
    ConsoleSink sink;
    format(sink, pattern, args...);
}

} // namespace vesta
