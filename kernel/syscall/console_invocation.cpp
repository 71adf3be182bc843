// kernel/syscall/console_invocation.cpp — Console.Write and Console.Read.
#include <console.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

// Write (label 1): words[0] = byte count, the bytes packed little-endian in
// words[1..]. Fails with InvalidArgument (too few words for the count).
// Bytes go into the kernel log as they are (no translation), and to the UART
// while the kernel still has it. Stopping the machine is not the console's
// business: see System.
InvocationOutcome write(Invocation& invocation) {
    const uint64_t length = invocation.words[0];
    char bytes[(kMaxMessageWords - 1) * sizeof(uint64_t)];
    TRY(unpack_bytes(invocation, 1, length, bytes));
    kernel_log().append(bytes, length);
    return InvocationResult::none();
}

// Read (label 3): words[0] = a sequence number of the kernel log (log.hpp:
// bytes logged since boot). Copies up to kMaxMessageWords * 8 bytes from
// there into the caller's IPC buffer words (packed little-endian) and
// returns (next sequence number, bytes copied, bytes lost: older than the
// ring holds). Fails with InvalidArgument (no IPC buffer).
InvocationOutcome read(Invocation& invocation) {
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

constexpr Operation kOperations[] = {
    operation(ConsoleLabel::Write, rights::kWrite, 1, write),
    operation(ConsoleLabel::Read, rights::kRead, 1, read),
};

} // namespace

const OperationTable kConsoleOperations{kOperations};

} // namespace vesta
