// vesta/ipc/syscall_transport.hpp — the Transport of generated client stubs
// over the Call syscall: a request to the server behind an endpoint
// capability, and its reply (docs/ipc.md).
//
// Wire mapping (docs/syscall-abi.md, "Messages"): the tag in r1, words 0..3
// in r2..r5, words 4.. in the calling thread's IPC buffer, capabilities as
// slot indices in IpcBuffer::caps. Capabilities in the reply land in free
// slots of the caller's cspace (IpcBuffer::receive_slots = kAnySlot); the
// reply's Message::caps names them, and they are the caller's from then on.
//
// A request of at most 4 words and no capabilities touches only registers,
// so it stays on the kernel's fast path (kernel/syscall/fast_path.cpp).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <syscall_arch.hpp>
#include <vesta/error.hpp>
#include <vesta/ipc/message.hpp>
#include <vesta/syscall.hpp>

namespace vesta::ipc {

class SyscallTransport {
public:
    // `buffer`: the IPC buffer of the thread that will make the calls (each
    // thread has its own; the runtime's is runtime.ipc_buffer). Without one
    // only register-sized requests and replies without capabilities work.
    explicit SyscallTransport(IpcBuffer* buffer) : buffer_(buffer) {}

    // Sends `message` with Call on `endpoint` and, on Error::None, replaces it
    // with the reply. Fails (no reply; `message` unspecified) with
    // InvalidArgument for a malformed tag or words beyond the registers or
    // capabilities without an IPC buffer, or with the syscall's error:
    // InvalidCapability, WrongType, MissingRights (no Write; capabilities
    // without Grant), PeerGone (the server went away or offered no reply object).
    // Always inlined, so that a stub's constant tag folds the checks away.
    [[gnu::always_inline]] Error call(Slot endpoint, Message& message) {
        const MessageTag tag = message.tag;
        // Anything beyond registers-only goes the general way (out of line).
        if ((tag.raw & 0xff00) != 0 || tag.words() > kRegisterMessageWords) [[unlikely]]
            return call_general(endpoint, message);
        if (buffer_) reset_receive_slots();
        // Unused register words go as 0 (never uninitialised memory).
        const size_t words = tag.words();
        user::Registers regs{{endpoint, tag.raw, words > 0 ? message.words[0] : 0, words > 1 ? message.words[1] : 0,
                              words > 2 ? message.words[2] : 0, words > 3 ? message.words[3] : 0, kNoSlot, 0}};
        user::syscall_raw(static_cast<uint64_t>(Syscall::Call), regs);
        return take_reply(regs, message);
    }

private:
    void reset_receive_slots() {
        for (size_t i = 0; i < kMaxMessageCaps; ++i) buffer_->receive_slots[i] = kAnySlot;
    }
    // The reply in `regs` (and the IPC buffer beyond them) into `message`.
    Error take_reply(const user::Registers& regs, Message& message) {
        const Error error = static_cast<Error>(regs.r[reg::kStatus]);
        if (error != Error::None) return error;
        const MessageTag reply{regs.r[reg::kTag]};
        message.tag = reply;
        for (size_t i = 0; i < kRegisterMessageWords; ++i) message.words[i] = regs.r[reg::kWord0 + i];
        if (reply.words() > kRegisterMessageWords || reply.caps() != 0) [[unlikely]]
            take_from_buffer(message);
        return Error::None;
    }
    // Words beyond the registers and capabilities of a reply. The kernel
    // delivers them only to a caller with an IPC buffer (its tag says what
    // arrived).
    void take_from_buffer(Message& message) const;
    // A request with words beyond the registers or capabilities.
    Error call_general(Slot endpoint, Message& message);

    IpcBuffer* buffer_;
};

} // namespace vesta::ipc
