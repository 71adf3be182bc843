// kernel/syscall/frame_invocation.cpp — Page: Info; DeviceMemory: Info, Split.
#include <object/frame.hpp>
#include <object/memory.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

// DeviceMemory.Split: a new capability for pages [first, first + pages).
InvocationOutcome split(Invocation& invocation) {
    auto& frame = invocation.object<Frame>();
    uint64_t first = invocation.words[0];
    uint64_t pages = invocation.words[1];
    if (pages == 0 || !within_range(first, pages, 0, frame.pages)) return Error::OutOfRange;
    uint32_t slot = TRY(invocation.cspace().find_free(invocation.words[2]));
    Memory* memory = TRY(invocation.cspace().lookup_object<Memory>(invocation.words[3], rights::kWrite));
    DeviceMemory* part =
        TRY(memory->create<DeviceMemory>(sizeof(DeviceMemory), frame.physical + first * kPageSize, pages));
    // Rights of the part never exceed those of the whole.
    invocation.cspace().install(slot, *part, invocation.capability.rights, 0);
    return InvocationResult::of(slot);
}

InvocationOutcome info(Invocation& invocation) {
    auto& frame = invocation.object<Frame>();
    return InvocationResult::of(frame.physical, frame.pages, invocation.capability.mapped_address);
}

// Info is a query: it needs Read like every other (the suite's
// error.frame_info_rights; it used to answer any capability).
constexpr Operation kPage[] = {
    operation(FrameLabel::Info, rights::kRead, 0, info),
};
constexpr Operation kDeviceMemory[] = {
    operation(FrameLabel::Info, rights::kRead, 0, info),
    operation(FrameLabel::Split, rights::kWrite, 4, split),
};

} // namespace

const OperationTable kPageOperations{kPage};
const OperationTable kDeviceMemoryOperations{kDeviceMemory};

} // namespace vesta
