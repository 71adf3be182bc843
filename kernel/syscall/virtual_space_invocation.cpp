// kernel/syscall/virtual_space_invocation.cpp — VirtualSpace: Map, Unmap,
// Protect, Query. Frames are named by slots of the caller's cspace.
#include <object/virtual_space.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

Result<Capability*> frame_capability(Invocation& invocation, uint64_t slot) {
    Capability* capability = TRY(invocation.cspace().lookup(slot, ObjectType::None, 0));
    if (!is_frame(capability->type())) return Error::WrongType;
    return capability;
}

InvocationOutcome map(Invocation& invocation) {
    auto& space = invocation.object<VirtualSpace>();
    Capability* frame = TRY(frame_capability(invocation, invocation.words[0]));
    uint64_t permissions = invocation.words[2];
    if (permissions > 0xff) return Error::InvalidArgument;
    TRY(space.check_map(*frame, invocation.words[1], static_cast<uint8_t>(permissions)));
    space.map_frame(*frame, invocation.words[1], static_cast<uint8_t>(permissions));
    return InvocationResult::none();
}

// The frame capability must have been mapped into `space` through itself.
Result<Capability*> mapped_frame(Invocation& invocation, VirtualSpace& space) {
    Capability* frame = TRY(frame_capability(invocation, invocation.words[0]));
    if (frame->mapped_in != &space) return Error::InvalidArgument;
    return frame;
}

InvocationOutcome unmap(Invocation& invocation) {
    auto& space = invocation.object<VirtualSpace>();
    Capability* frame = TRY(mapped_frame(invocation, space));
    space.unmap_frame(*frame);
    return InvocationResult::none();
}

InvocationOutcome protect(Invocation& invocation) {
    auto& space = invocation.object<VirtualSpace>();
    Capability* frame = TRY(mapped_frame(invocation, space));
    uint64_t permissions = invocation.words[1];
    if (permissions > 0xff) return Error::InvalidArgument;
    TRY(VirtualSpace::check_protect(*frame, static_cast<uint8_t>(permissions)));
    space.protect_frame(*frame, static_cast<uint8_t>(permissions));
    return InvocationResult::none();
}

InvocationOutcome query(Invocation& invocation) {
    auto& space = invocation.object<VirtualSpace>();
    uint64_t address = invocation.words[0];
    if (address >= arch::kUserAddressEnd) return Error::OutOfRange;
    arch::Mapping mapping;
    if (!space.query(align_down(address, kPageSize), &mapping)) return Error::NotFound;
    return InvocationResult::of(mapping.physical + (address % kPageSize), mapping.permissions);
}

constexpr Operation kOperations[] = {
    operation(VirtualSpaceLabel::Map, rights::kWrite, 3, map),
    operation(VirtualSpaceLabel::Unmap, rights::kWrite, 1, unmap),
    operation(VirtualSpaceLabel::Protect, rights::kWrite, 2, protect),
    operation(VirtualSpaceLabel::Query, rights::kRead, 1, query),
};

} // namespace

const OperationTable kVirtualSpaceOperations{kOperations};

} // namespace vesta
