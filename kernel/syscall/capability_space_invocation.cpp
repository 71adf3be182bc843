// kernel/syscall/capability_space_invocation.cpp — CapabilitySpace: Copy,
// Move, Delete, Info. The target is the invoked cspace; sources are slots of
// the caller's own cspace.
#include <object/teardown.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

bool badgeable(ObjectType type) { return type == ObjectType::Endpoint || type == ObjectType::Notification; }

InvocationOutcome copy(Invocation& invocation, CapabilitySpace& target) {
    TRY(invocation.require(4));
    Capability* source = TRY(invocation.cspace().lookup(invocation.words[1], ObjectType::None, 0));
    uint64_t mask = invocation.words[2];
    uint64_t badge = invocation.words[3];
    if (mask & ~uint64_t{rights::kAll}) return Error::InvalidArgument;
    if (badge != 0 && (!badgeable(source->type()) || source->badge != 0)) return Error::InvalidArgument;
    uint32_t slot = TRY(target.find_free(invocation.words[0]));
    target.install_copy(slot, *source, static_cast<uint8_t>(source->rights & mask),
                        badge ? badge : source->badge);
    return InvocationResult::of(slot);
}

InvocationOutcome move(Invocation& invocation, CapabilitySpace& target) {
    TRY(invocation.require(2));
    Capability* source = TRY(invocation.cspace().lookup(invocation.words[1], ObjectType::None, 0));
    uint32_t slot = TRY(target.find_free(invocation.words[0]));
    target.install_moved(slot, *source);
    return InvocationResult::of(slot);
}

// Delete: empty the slot, then run the teardown that may start (the object's,
// and whatever dies with it) until the teardown queue is empty — a budget per
// kernel entry, restarting the call in between (finish_teardown). A slot
// naming a dying object can be deleted too.
InvocationOutcome remove(Invocation& invocation, CapabilitySpace& target) {
    TRY(invocation.require(1));
    Capability* capability = TRY(target.slot(invocation.words[0]));
    if (capability->empty()) return Error::InvalidCapability;
    target.remove(invocation.cpu, target.index_of(*capability));
    // From here on `target` and `capability` may be gone (the slot held the
    // last capability to what paid for them): touch neither.
    return finish_teardown(invocation.cpu, invocation.restart);
}

InvocationOutcome info(Invocation& invocation, CapabilitySpace& target) {
    TRY(invocation.require(1));
    Capability* capability = TRY(target.slot(invocation.words[0]));
    return InvocationResult::of(static_cast<uint64_t>(capability->type()), capability->rights,
                                capability->badge, capability->owner ? kCapabilityOwner : 0);
}

} // namespace

InvocationOutcome invoke_capability_space(Invocation& invocation) {
    auto& target = *static_cast<CapabilitySpace*>(invocation.capability.object);
    auto label = static_cast<CapabilitySpaceLabel>(invocation.label);
    uint8_t wanted = label == CapabilitySpaceLabel::Info ? rights::kRead : rights::kWrite;
    switch (label) {
    case CapabilitySpaceLabel::Copy:
    case CapabilitySpaceLabel::Move:
    case CapabilitySpaceLabel::Delete:
    case CapabilitySpaceLabel::Info: break;
    default: return Error::NotSupported;
    }
    if (!invocation.capability.has_rights(wanted)) return Error::MissingRights;
    switch (label) {
    case CapabilitySpaceLabel::Copy: return copy(invocation, target);
    case CapabilitySpaceLabel::Move: return move(invocation, target);
    case CapabilitySpaceLabel::Delete: return remove(invocation, target);
    case CapabilitySpaceLabel::Info: return info(invocation, target);
    }
    return Error::NotSupported;
}

} // namespace vesta

namespace vesta {

InvocationOutcome finish_teardown(Cpu& cpu, bool& restart) {
    restart = !run_teardown(cpu, kTeardownBudgetPerCall);
    return InvocationResult::none();
}

} // namespace vesta
