// kernel/syscall/io_port_invocation.cpp — IoPortControl.Get and IoPort: In, Out.
#include <arch/io_port.hpp>
#include <kernel.hpp>
#include <object/memory.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

constexpr uint64_t kPortSpace = 65536;

// The access [port, port + width) lies within the claimed range. Every
// operand is a user word: within_range() never wraps.
Result<void> check_access(const IoPort& range, uint64_t port, uint64_t width) {
    if (width != 1 && width != 2 && width != 4) return Error::InvalidArgument;
    if (!within_range(port, width, range.first, range.count)) return Error::OutOfRange;
    return {};
}

// IoPortControl.Get. (operations_of() hides the table on an arch without
// I/O ports: NotSupported.)
InvocationOutcome get(Invocation& invocation) {
    uint64_t first = invocation.words[0];
    uint64_t count = invocation.words[1];
    if (count == 0 || !within_range(first, count, 0, kPortSpace)) return Error::OutOfRange;
    Kernel& kernel = *invocation.cpu.kernel;
    for (IoPort* claimed = kernel.io_ports.front(); claimed; claimed = kernel.io_ports.next(*claimed))
        if (claimed->overlaps(first, count)) return Error::Busy;
    uint32_t slot = TRY(invocation.cspace().find_free(invocation.words[2]));
    Memory* memory = TRY(invocation.cspace().lookup_object<Memory>(invocation.words[3], rights::kWrite));
    IoPort* port =
        TRY(memory->create<IoPort>(sizeof(IoPort), static_cast<uint32_t>(first), static_cast<uint32_t>(count)));
    kernel.io_ports.push_back(*port);
    invocation.cspace().install(slot, *port, rights::kRead | rights::kWrite, 0);
    return InvocationResult::of(slot);
}

InvocationOutcome in(Invocation& invocation) {
    TRY(check_access(invocation.object<IoPort>(), invocation.words[0], invocation.words[1]));
    return InvocationResult::of(
        arch::io_port_read(static_cast<uint16_t>(invocation.words[0]), static_cast<uint8_t>(invocation.words[1])));
}

InvocationOutcome out(Invocation& invocation) {
    TRY(check_access(invocation.object<IoPort>(), invocation.words[0], invocation.words[1]));
    if (invocation.words[1] < 4 && (invocation.words[2] >> (8 * invocation.words[1])) != 0) return Error::OutOfRange;
    arch::io_port_write(static_cast<uint16_t>(invocation.words[0]), static_cast<uint8_t>(invocation.words[1]),
                        static_cast<uint32_t>(invocation.words[2]));
    return InvocationResult::none();
}

constexpr Operation kControl[] = {
    operation(IoPortControlLabel::Get, rights::kWrite, 4, get),
};
constexpr Operation kPort[] = {
    operation(IoPortLabel::In, rights::kRead, 2, in),
    operation(IoPortLabel::Out, rights::kWrite, 3, out),
};

} // namespace

const OperationTable kIoPortControlOperations{kControl};
const OperationTable kIoPortOperations{kPort};

} // namespace vesta
