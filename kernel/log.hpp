// kernel/log.hpp — the kernel's log: every byte the kernel prints (its own
// messages and Console.Write), kept in a ring of the last kLogBytes bytes,
// and echoed on the arch's debug console while the kernel owns it.
//
// Hand-over (docs/userland.md, "The console"): once a user driver takes the
// UART (System.ReleaseConsole), the kernel stops writing to it; its messages
// then only land here, and a log service reads them with Console.Read and
// prints them through the driver. A kernel fault report takes the UART back
// (console_emergency): the machine stops right after it.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta {

class KernelLog {
public:
    static constexpr size_t kBytes = 16384;

    void append(const char* text, size_t length);
    // Copy up to `max` bytes from sequence number `from` (the count of bytes
    // ever logged before them) into `out`. Bytes older than the ring holds are
    // skipped and counted in *lost. Returns the bytes copied; *next is the
    // sequence number to read from next.
    size_t read(uint64_t from, char* out, size_t max, uint64_t* next, uint64_t* lost) const;
    uint64_t end() const { return written_; } // sequence number of the next byte

    bool echo = true; // also write to the arch console (false after hand-over)

private:
    char ring_[kBytes] = {};
    uint64_t written_ = 0;
};

// The one log (a kernel-wide singleton, like the console it stands for).
KernelLog& kernel_log();

// A fatal report follows: echo on the arch console again whatever was handed over.
inline void console_emergency() { kernel_log().echo = true; }

} // namespace vesta
