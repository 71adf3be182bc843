// kernel/syscall/console_invocation.cpp — Console.Write.
#include <arch/platform.hpp>
#include <syscall/invocation.hpp>

namespace vesta {

namespace {

// Write (label 1): words[0] = byte count, the bytes packed little-endian in
// words[1..]. Fails with InvalidArgument (too few words for the count).
// Bytes are written as they are (no translation). Stopping the machine is
// not the console's business: see System.
InvocationOutcome write(Invocation& invocation) {
    const uint64_t length = invocation.words[0];
    char bytes[(kMaxMessageWords - 1) * sizeof(uint64_t)];
    TRY(unpack_bytes(invocation, 1, length, bytes));
    arch::console_write(bytes, length);
    return InvocationResult::none();
}

constexpr Operation kOperations[] = {
    operation(ConsoleLabel::Write, rights::kWrite, 1, write),
};

} // namespace

const OperationTable kConsoleOperations{kOperations};

} // namespace vesta
