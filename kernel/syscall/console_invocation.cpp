// kernel/syscall/console_invocation.cpp — Console.Write.
#include <arch/platform.hpp>
#include <syscall/invocation.hpp>

namespace vesta {

// Write (label 1): words[0] = byte count, the bytes packed little-endian in
// words[1..]. Fails with MissingRights (no Write), InvalidArgument (too few
// words for the count). Bytes are written as they are (no translation).
// Stopping the machine is not the console's business: see System.
InvocationOutcome invoke_console(Invocation& invocation) {
    const auto label = static_cast<ConsoleLabel>(invocation.label);
    if (label != ConsoleLabel::Write) return Error::NotSupported;
    if (!invocation.capability.has_rights(rights::kWrite)) return Error::MissingRights;
    TRY(invocation.require(1));
    const uint64_t length = invocation.words[0];
    if (length > (invocation.count - 1) * sizeof(uint64_t)) return Error::InvalidArgument;
    char bytes[(kMaxMessageWords - 1) * sizeof(uint64_t)];
    for (size_t i = 0; i < length; ++i)
        bytes[i] = static_cast<char>(invocation.words[1 + i / 8] >> (8 * (i % 8)));
    arch::console_write(bytes, length);
    return InvocationResult::none();
}

} // namespace vesta
