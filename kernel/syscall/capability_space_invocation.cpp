// kernel/syscall/capability_space_invocation.cpp — CapabilitySpace: Copy,
// Move, Delete, Info. The target is the invoked cspace; sources are slots of
// the caller's own cspace.
#include <object/teardown.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

bool badgeable(ObjectType type) { return type == ObjectType::Endpoint || type == ObjectType::Notification; }

InvocationOutcome copy(Invocation& invocation) {
    auto& target = invocation.object<CapabilitySpace>();
    Capability* source = TRY(invocation.cspace().lookup(invocation.words[1], ObjectType::None, 0));
    uint64_t mask = invocation.words[2];
    uint64_t badge = invocation.words[3];
    if (mask & ~uint64_t{rights::kAll}) return Error::InvalidArgument;
    if (badge != 0 && (!badgeable(source->type()) || source->badge != 0)) return Error::InvalidArgument;
    uint32_t slot = TRY(target.find_free(invocation.words[0]));
    target.install_copy(slot, *source, static_cast<uint8_t>(source->rights & mask), badge ? badge : source->badge);
    return InvocationResult::of(slot);
}

InvocationOutcome move(Invocation& invocation) {
    auto& target = invocation.object<CapabilitySpace>();
    Capability* source = TRY(invocation.cspace().lookup(invocation.words[1], ObjectType::None, 0));
    uint32_t slot = TRY(target.find_free(invocation.words[0]));
    target.install_moved(slot, *source);
    return InvocationResult::of(slot);
}

// Delete: empty the slot, then run the teardown that may start (the object's,
// and whatever dies with it) until the teardown queue is empty — a budget per
// kernel entry, restarting the call in between (finish_teardown). A slot
// naming a dying object can be deleted too. A second word other than 0 is
// a fill count (Info): only the capability of that count goes, and a slot
// filled again since is left alone (InvalidCapability). 0, or no second
// word, deletes whatever the slot holds.
InvocationOutcome remove(Invocation& invocation) {
    auto& target = invocation.object<CapabilitySpace>();
    Capability* capability = TRY(target.slot(invocation.words[0]));
    if (capability->empty()) return Error::InvalidCapability;
    if (invocation.count >= 2 && invocation.words[1] != 0 && invocation.words[1] != capability->fills)
        return Error::InvalidCapability;
    target.remove(invocation.cpu, target.index_of(*capability));
    // From here on `target` and `capability` may be gone (the slot held the
    // last capability to what paid for them): touch neither.
    return finish_teardown(invocation.cpu, invocation.restart);
}

InvocationOutcome info(Invocation& invocation) {
    auto& target = invocation.object<CapabilitySpace>();
    Capability* capability = TRY(target.slot(invocation.words[0]));
    return InvocationResult::of(static_cast<uint64_t>(capability->type()), capability->rights, capability->badge,
                                (capability->owner ? kCapabilityOwner : 0) | uint64_t{capability->fills}
                                                                                 << kCapabilityFillsShift);
}

constexpr Operation kOperations[] = {
    operation(CapabilitySpaceLabel::Copy, rights::kWrite, 4, copy),
    operation(CapabilitySpaceLabel::Move, rights::kWrite, 2, move),
    operation(CapabilitySpaceLabel::Delete, rights::kWrite, 1, remove),
    operation(CapabilitySpaceLabel::Info, rights::kRead, 1, info),
};

} // namespace

const OperationTable kCapabilitySpaceOperations{kOperations};

InvocationOutcome finish_teardown(Cpu& cpu, bool& restart) {
    restart = !run_teardown(cpu, kTeardownBudgetPerCall);
    return InvocationResult::none();
}

} // namespace vesta
