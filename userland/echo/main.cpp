// userland/echo — the benchmark's server: answers every call on the endpoint
// in slot 2 (reply object in slot 3) with the same words, forever.
#include <user/runtime.hpp>

using namespace vesta;
using namespace vesta::user;

void main(uint64_t) {
    SyscallResult m = syscall(Syscall::Recv, 2, {}, 0, 0, 0, 0, 3);
    for (;;) m = syscall(Syscall::ReplyRecv, 2, MessageTag::make(0, 1, 0), m.words[0], 0, 0, 0, 3);
}
