// kernel/syscall/console_invocation.cpp — Console.Write, Console.Read and
// Console.Info.
#include <arch/platform.hpp>
#include <console.hpp>
#include <kernel.hpp>
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

// Info (label 4): the console's UART and its hand-over, for the driver that
// takes it: (kind 0 none / 1 ports / 2 MMIO, first port or physical address,
// ports or bytes — the range System.ReleaseConsole hands over — and the log
// sequence number of the first byte the kernel no longer wrote to the UART,
// kConsoleNotReleased while it still does). A driver whose registers are
// that range owns the console and prints the log from that sequence number.
InvocationOutcome info(Invocation& invocation) {
    const arch::ConsoleDevice device = arch::console_device();
    const uint64_t kind = device.kind == arch::ConsoleDevice::Kind::IoPorts ? 1
                          : device.kind == arch::ConsoleDevice::Kind::Mmio  ? 2
                                                                            : 0;
    return InvocationResult::of(kind, device.first, device.count, invocation.cpu.kernel->console_released_at);
}

constexpr Operation kOperations[] = {
    operation(ConsoleLabel::Write, rights::kWrite, 1, write),
    operation(ConsoleLabel::Read, rights::kRead, 1, read),
    operation(ConsoleLabel::Info, rights::kRead, 0, info),
};

} // namespace

const OperationTable kConsoleOperations{kOperations};

} // namespace vesta
