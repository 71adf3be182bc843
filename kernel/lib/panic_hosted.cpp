// kernel/lib/panic_hosted.cpp — panic() for hosted programs (host tests,
// fuzzers, host tools): the message on stderr, then abort(), which ASan and
// the test runners report with a stack trace.
#include <lib/assert.hpp>

#include <stdio.h>
#include <stdlib.h>

namespace vesta {

void panic(const char* message, const char* file, int line) {
    fprintf(stderr, "panic: %s at %s:%d\n", message, file, line);
    fflush(stderr);
    abort();
}

} // namespace vesta
