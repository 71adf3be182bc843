// kernel/syscall/frame_invocation.cpp — Page and DeviceMemory: Info, Split.
#include <object/frame.hpp>
#include <object/memory.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

// DeviceMemory.Split: a new capability for pages [first, first + pages).
InvocationOutcome split(Invocation& invocation, Frame& frame) {
    if (!frame.is_device()) return Error::NotSupported;
    if (!invocation.capability.has_rights(rights::kWrite)) return Error::MissingRights;
    TRY(invocation.require(4));
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

} // namespace

InvocationOutcome invoke_frame(Invocation& invocation) {
    auto& frame = *static_cast<Frame*>(invocation.capability.object);
    switch (static_cast<FrameLabel>(invocation.label)) {
    case FrameLabel::Info:
        // A query: needs Read like every other (found by the test suite's
        // error.frame_info_rights; Info used to answer any capability).
        if (!invocation.capability.has_rights(rights::kRead)) return Error::MissingRights;
        return InvocationResult::of(frame.physical, frame.pages, invocation.capability.mapped_address);
    case FrameLabel::Split: return split(invocation, frame);
    }
    return Error::NotSupported;
}

} // namespace vesta
