// userland/lib/panic.cpp — panic() in user programs (lib/assert.hpp, used by
// the shared parsers of kernel/lib): the message on the console, then Exit
// with a failure status, which the task's supervisor sees.
#include <lib/assert.hpp>
#include <user/runtime.hpp>

namespace vesta {

void panic(const char* message, const char* file, int line) {
    user::print("panic: {} at {}:{}\n", message, file, line);
    user::exit(1);
}

} // namespace vesta
