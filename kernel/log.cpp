// kernel/log.cpp — see log.hpp.
#include <arch/platform.hpp>
#include <log.hpp>

namespace vesta {

void KernelLog::append(const char* text, size_t length) {
    for (size_t i = 0; i < length; ++i) ring_[(written_ + i) % kBytes] = text[i];
    written_ += length;
    if (echo) arch::console_write(text, length);
}

size_t KernelLog::read(uint64_t from, char* out, size_t max, uint64_t* next, uint64_t* lost) const {
    const uint64_t oldest = written_ > kBytes ? written_ - kBytes : 0;
    *lost = from < oldest ? oldest - from : 0;
    if (from < oldest) from = oldest;
    if (from > written_) from = written_;
    size_t count = 0;
    while (count < max && from + count < written_) {
        out[count] = ring_[(from + count) % kBytes];
        ++count;
    }
    *next = from + count;
    return count;
}

KernelLog& kernel_log() {
    static KernelLog log; // constant-initialised: no constructor runs
    return log;
}

} // namespace vesta
