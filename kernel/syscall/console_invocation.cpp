// kernel/syscall/console_invocation.cpp — Console.Write and Console.Stop.
#include <arch/platform.hpp>
#include <syscall/invocation.hpp>

namespace vesta {

// Write (label 1): words[0] = byte count, the bytes packed little-endian in
// words[1..]. Fails with MissingRights (no Write), InvalidArgument (too few
// words for the count). Bytes are written as they are (no translation).
//
// Stop (label 2): words[0] = status (0 success, anything else failure). Stops
// the machine through arch::stop_machine (the emulator's exit device when the
// command line says `emulator-exit`, otherwise a halt); never returns. The
// test suite's supervisor ends a run with it. Fails with MissingRights (no
// Write), InvalidArgument (no status word).
InvocationOutcome invoke_console(Invocation& invocation) {
    const auto label = static_cast<ConsoleLabel>(invocation.label);
    if (label != ConsoleLabel::Write && label != ConsoleLabel::Stop) return Error::NotSupported;
    if (!invocation.capability.has_rights(rights::kWrite)) return Error::MissingRights;
    if (label == ConsoleLabel::Stop) {
        TRY(invocation.require(1));
        arch::stop_machine(invocation.words[0] == 0 ? arch::ExitStatus::Success : arch::ExitStatus::Failure);
    }
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
