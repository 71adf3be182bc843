// kernel/ipc/message.cpp — message and capability transfer.
#include <capability/capability_space.hpp>
#include <ipc/message.hpp>

namespace vesta {
namespace {

// Returns the number of capabilities transferred (0 or count).
size_t transfer_capabilities(Task& sender, Task& receiver, size_t count) {
    IpcBuffer* in = sender.ipc_buffer();
    IpcBuffer* out = receiver.ipc_buffer();
    if (count == 0 || !in || !out || !sender.cspace || !receiver.cspace) return 0;
    CapabilitySpace& from = *sender.cspace;
    CapabilitySpace& to = *receiver.cspace;

    Capability* sources[kMaxMessageCaps];
    uint32_t named = 0;
    for (size_t i = 0; i < count; ++i) {
        auto source = from.lookup(in->caps[i], ObjectType::None, 0);
        if (!source.ok()) return 0;
        sources[i] = source.value();
        uint64_t wanted = out->receive_slots[i];
        if (wanted == kAnySlot) continue;
        if (!to.find_free(wanted).ok()) return 0;
        for (size_t j = 0; j < i; ++j)
            if (out->receive_slots[j] == wanted) return 0;
        ++named;
    }
    if (count - named > to.free_count() - named) return 0;

    // Named slots first, so "any slot" never takes a slot named later.
    for (int pass = 0; pass < 2; ++pass) {
        for (size_t i = 0; i < count; ++i) {
            uint64_t wanted = out->receive_slots[i];
            if ((wanted == kAnySlot) != (pass == 1)) continue;
            uint32_t index = to.find_free(wanted).value();
            to.install_copy(index, *sources[i], sources[i]->rights, sources[i]->badge);
            out->caps[i] = index;
        }
    }
    return count;
}

} // namespace

void deliver(Task& sender, Task& receiver, uint64_t badge, bool grant) {
    receiver.set_status(Error::None);
    receiver.set_register(reg::kBadge, badge);
    if (sender.fault_pending) {
        const FaultInfo& fault = sender.fault;
        receiver.set_register(reg::kTag, MessageTag::make(static_cast<uint64_t>(fault.kind), 3, 0).raw);
        receiver.set_register(reg::kWord0 + 0, fault.address);
        receiver.set_register(reg::kWord0 + 1, fault.instruction_pointer);
        receiver.set_register(reg::kWord0 + 2, fault.detail);
        receiver.set_register(reg::kWord0 + 3, 0);
        return;
    }
    MessageTag tag{sender.context.argument(reg::kTag)};
    size_t words = tag.words();
    for (size_t i = 0; i < kRegisterMessageWords; ++i)
        receiver.set_register(reg::kWord0 + i, sender.context.argument(reg::kWord0 + i));
    if (words > kRegisterMessageWords) {
        IpcBuffer* in = sender.ipc_buffer();
        IpcBuffer* out = receiver.ipc_buffer();
        if (in && out) {
            for (size_t i = kRegisterMessageWords; i < words; ++i) out->words[i] = in->words[i];
        } else {
            words = kRegisterMessageWords;
        }
    }
    size_t caps = grant ? transfer_capabilities(sender, receiver, tag.caps()) : 0;
    receiver.set_register(reg::kTag, MessageTag::make(tag.label(), words, caps).raw);
}

} // namespace vesta
