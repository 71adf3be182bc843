// userland/lib/syscall_transport.cpp — the parts of SyscallTransport off
// the registers-only path (vesta/ipc/syscall_transport.hpp).
#include <vesta/ipc/syscall_transport.hpp>

namespace vesta::ipc {

void SyscallTransport::take_from_buffer(Message& message) const {
    const MessageTag reply = message.tag;
    for (size_t i = kRegisterMessageWords; i < reply.words(); ++i) message.words[i] = buffer_->words[i];
    for (size_t i = 0; i < reply.caps(); ++i) message.caps[i] = buffer_->caps[i];
}

Error SyscallTransport::call_general(Slot endpoint, Message& message) {
    const MessageTag tag = message.tag;
    if (!tag.valid() || !buffer_) return Error::InvalidArgument;
    for (size_t i = kRegisterMessageWords; i < tag.words(); ++i) buffer_->words[i] = message.words[i];
    for (size_t i = 0; i < tag.caps(); ++i) buffer_->caps[i] = message.caps[i];
    reset_receive_slots();
    const size_t words = tag.words();
    user::Registers regs{{endpoint, tag.raw, words > 0 ? message.words[0] : 0, words > 1 ? message.words[1] : 0,
                          words > 2 ? message.words[2] : 0, words > 3 ? message.words[3] : 0, kNoSlot, 0}};
    user::syscall_raw(static_cast<uint64_t>(Syscall::Call), regs);
    return take_reply(regs, message);
}

} // namespace vesta::ipc
