// kernel/console.hpp — kernel messages: into the kernel log (log.hpp), and
// on the arch's debug console while the kernel owns it.
#pragma once

#include <lib/format.hpp>
#include <log.hpp>

namespace vesta {

struct ConsoleSink {
    void operator()(const char* text, size_t length) const { kernel_log().append(text, length); }
};

// print("usable memory: {} MiB\n", mib): see lib/format.hpp for placeholders.
template <class... Args>
void print(const char* pattern, const Args&... args) {
    ConsoleSink sink;
    format(sink, pattern, args...);
}

} // namespace vesta
