// userland/svctest/child.cpp — svcchild (svctest.hpp): obeys the commands
// svctest sends on its command endpoint.
#include <user/runtime.hpp>

#include "svctest.hpp"

using namespace vesta;
using namespace vesta::user;

void main(uint64_t) {
    for (;;) {
        const SyscallResult command = syscall(Syscall::Recv, svctest::kCommandSlot, {}, 0, 0, 0, 0, kNoSlot);
        if (command.error != Error::None) exit(200 + static_cast<uint64_t>(command.error));
        if (command.tag.label() == svctest::kCommandExit) exit(command.words[0]);
        if (command.tag.label() == svctest::kCommandFault)
            *reinterpret_cast<volatile uint64_t*>(svctest::kFaultAddress) = 1;
    }
}
