// userland/crash — fails on purpose so a person can watch its supervisor
// (sysinit) report it and the shell print its status (docs/shell.md):
// `crash page` writes to an unmapped address (0xdead0000: a page fault,
// status -1), `crash undef` runs an undefined instruction (status -2),
// `crash syscall` makes a syscall that does not exist (status -4). Anything
// else is a usage message and status 2.
#include <faults_arch.hpp>
#include <user/runtime.hpp>

using namespace vesta;
using namespace vesta::user;

namespace {

bool equal(const char* a, const char* b) {
    for (; *a && *a == *b; ++a, ++b) {
    }
    return *a == *b;
}

} // namespace

void main(uint64_t) {
    const char* how = argument_count() == 2 ? argument(1) : "";
    if (equal(how, "page")) {
        out("crash: writing to unmapped address 0xdead0000\n");
        *reinterpret_cast<volatile uint64_t*>(uint64_t{0xdead0000}) = 1;
    } else if (equal(how, "undef")) {
        out("crash: executing an undefined instruction\n");
        undefined_instruction();
    } else if (equal(how, "syscall")) {
        out("crash: calling syscall 99, which does not exist\n");
        syscall(static_cast<Syscall>(99), 0);
    } else {
        out("usage: crash page|undef|syscall\n");
        exit(2);
    }
    out("crash: still alive, which should not happen\n");
    exit(1);
}
