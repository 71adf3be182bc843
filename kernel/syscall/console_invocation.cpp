// kernel/syscall/console_invocation.cpp — Console.Write and Console.Read.
#include <console.hpp>
#include <syscall/invocation.hpp>

namespace vesta {

// Write (label 1): words[0] = byte count, the bytes packed little-endian in
// words[1..]. Fails with MissingRights (no Write), InvalidArgument (too few
// words for the count). Bytes are written as they are (no translation).
// Stopping the machine is not the console's business: see System.
//
// Read (label 3): words[0] = a sequence number of the kernel log (log.hpp:
// bytes logged since boot). Copies up to kMaxMessageWords * 8 bytes from
// there into the caller's IPC buffer words (packed little-endian) and
// returns (next sequence number, bytes copied, bytes lost: older than the
// ring holds). Fails with MissingRights (no Read), InvalidArgument (no
// sequence word, no IPC buffer).
InvocationOutcome invoke_console(Invocation& invocation) {
    const auto label = static_cast<ConsoleLabel>(invocation.label);
    if (label == ConsoleLabel::Read) {
        if (!invocation.capability.has_rights(rights::kRead)) return Error::MissingRights;
        TRY(invocation.require(1));
        IpcBuffer* buffer = invocation.caller.ipc_buffer();
        if (!buffer) return Error::InvalidArgument;
        char bytes[kMaxMessageWords * sizeof(uint64_t)];
        uint64_t next = 0, lost = 0;
        const size_t count = kernel_log().read(invocation.words[0], bytes, sizeof(bytes), &next, &lost);
        for (size_t i = 0; i < kMaxMessageWords; ++i) buffer->words[i] = 0;
        for (size_t i = 0; i < count; ++i)
            buffer->words[i / 8] |= uint64_t{static_cast<uint8_t>(bytes[i])} << (8 * (i % 8));
        return InvocationResult::of(next, count, lost);
    }
    if (label != ConsoleLabel::Write) return Error::NotSupported;
    if (!invocation.capability.has_rights(rights::kWrite)) return Error::MissingRights;
    TRY(invocation.require(1));
    const uint64_t length = invocation.words[0];
    if (length > (invocation.count - 1) * sizeof(uint64_t)) return Error::InvalidArgument;
    char bytes[(kMaxMessageWords - 1) * sizeof(uint64_t)];
    for (size_t i = 0; i < length; ++i)
        bytes[i] = static_cast<char>(invocation.words[1 + i / 8] >> (8 * (i % 8)));
    kernel_log().append(bytes, length);
    return InvocationResult::none();
}

} // namespace vesta
