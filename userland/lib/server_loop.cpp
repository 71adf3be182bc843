// userland/lib/server_loop.cpp — ServerLoop (vesta/ipc/server_loop.hpp):
// set-up, deferred calls and the paths off the fast one.
#include <user/runtime.hpp>
#include <vesta/ipc/server_loop.hpp>

namespace vesta::ipc {

namespace {

// The generic-register image of a message (words beyond 4 and capabilities
// are the caller's to put in the IPC buffer).
user::Registers message_registers(uint64_t r0, MessageTag tag, const Message& message, uint64_t r6) {
    const size_t words = tag.words();
    return user::Registers{{r0, tag.raw, words > 0 ? message.words[0] : 0, words > 1 ? message.words[1] : 0,
                            words > 2 ? message.words[2] : 0, words > 3 ? message.words[3] : 0, r6, 0}};
}

} // namespace

Error ServerLoop::init(const ServerOptions& options) {
    if (options.endpoint == kNoSlot || options.reply_objects == 0 || options.reply_objects > kMaxReplyObjects)
        return Error::InvalidArgument;
    IpcBuffer* buffer = options.ipc_buffer ? options.ipc_buffer : user::runtime.ipc_buffer;
    if (!buffer) return Error::InvalidArgument;
    const Slot memory = options.memory != kNoSlot ? options.memory : user::runtime.memory;
    cspace_ = options.cspace != kNoSlot ? options.cspace : user::runtime.cspace;
    Slot made[kMaxReplyObjects];
    for (size_t i = 0; i < options.reply_objects; ++i) {
        const Error error = user::create_in(memory, ObjectType::Reply, 0, &made[i]);
        if (error != Error::None) {
            for (size_t j = 0; j < i; ++j) delete_capability(made[j]);
            return error;
        }
    }
    endpoint_ = options.endpoint;
    notification_ = options.notification;
    buffer_ = buffer;
    free_count_ = 0;
    for (size_t i = 1; i < options.reply_objects; ++i) free_replies_[free_count_++] = made[i];
    reply_ = made[0];
    deferred_count_ = 0;
    for (Held& held : held_) held.used = false;
    return Error::None;
}

ServerLoop::Received ServerLoop::receive(Message& request) {
    for (size_t i = 0; i < kMaxMessageCaps; ++i) buffer_->receive_slots[i] = kAnySlot;
    user::Registers regs{{endpoint_, 0, 0, 0, 0, 0, reply_, 0}};
    user::syscall_raw(static_cast<uint64_t>(Syscall::Recv), regs);
    return take_message(regs, request);
}

ServerLoop::Received ServerLoop::receive_with_notification(Message& request, uint64_t* bits) {
    for (;;) {
        buffer_->poll[0] = endpoint_;
        buffer_->poll[1] = notification_;
        user::Registers poll{{2, 0, 0, 0, 0, 0, kNoSlot, kNoTimeout}};
        user::syscall_raw(static_cast<uint64_t>(Syscall::Poll), poll);
        if (static_cast<Error>(poll.r[reg::kStatus]) != Error::None)
            return {static_cast<Error>(poll.r[reg::kStatus]), 0};
        const uint64_t ready = poll.r[reg::kExtra];
        if (ready & 2) {
            user::Registers wait{{notification_, 0, 0, 0, 0, 0, kNoSlot, 0}};
            user::syscall_raw(static_cast<uint64_t>(Syscall::Wait), wait);
            if (static_cast<Error>(wait.r[reg::kStatus]) != Error::None)
                return {static_cast<Error>(wait.r[reg::kStatus]), 0};
            *bits = wait.r[reg::kExtra];
            if (*bits) return {Error::None, 0};
        }
        if (ready & 1) {
            for (size_t i = 0; i < kMaxMessageCaps; ++i) buffer_->receive_slots[i] = kAnySlot;
            user::Registers regs{{endpoint_, 0, 0, 0, 0, 0, reply_, 0}};
            user::syscall_raw(static_cast<uint64_t>(Syscall::TryRecv), regs);
            if (static_cast<Error>(regs.r[reg::kStatus]) == Error::WouldBlock) continue;
            return take_message(regs, request);
        }
    }
}

void ServerLoop::take_from_buffer(Message& request) {
    const MessageTag tag = request.tag;
    for (size_t i = kRegisterMessageWords; i < tag.words(); ++i) request.words[i] = buffer_->words[i];
    received_count_ = tag.caps();
    general_ = received_count_ != 0;
    for (size_t i = 0; i < received_count_; ++i) {
        request.caps[i] = buffer_->caps[i];
        received_[i] = buffer_->caps[i];
    }
}

Error ServerLoop::send_reply(Slot reply_object, const Message& reply) {
    MessageTag tag = reply.tag;
    if (!tag.valid()) tag = MessageTag::make(static_cast<uint64_t>(Error::Malformed), 0, 0);
    for (size_t i = kRegisterMessageWords; i < tag.words(); ++i) buffer_->words[i] = reply.words[i];
    for (size_t i = 0; i < tag.caps(); ++i) buffer_->caps[i] = reply.caps[i];
    user::Registers regs = message_registers(0, tag, reply, reply_object);
    user::syscall_raw(static_cast<uint64_t>(Syscall::Reply), regs);
    const Error error = static_cast<Error>(regs.r[reg::kStatus]);
    // InvalidArgument: no caller is bound (it went away, or the message was a
    // Send). Anything else refused the reply itself (e.g. an outbound
    // capability slot that is empty): the caller still gets an answer.
    if (error != Error::None && error != Error::InvalidArgument) {
        user::Registers refusal{
            {0, MessageTag::make(static_cast<uint64_t>(error), 0, 0).raw, 0, 0, 0, 0, reply_object, 0}};
        user::syscall_raw(static_cast<uint64_t>(Syscall::Reply), refusal);
    }
    return error;
}

void ServerLoop::delete_capability(Slot slot) {
    if (cspace_ != kNoSlot) user::invoke(cspace_, CapabilitySpaceLabel::Delete, slot);
}

void ServerLoop::delete_capability(Slot slot, uint32_t fills) {
    if (cspace_ != kNoSlot) user::invoke(cspace_, CapabilitySpaceLabel::Delete, slot, uint64_t{fills});
}

void ServerLoop::hold_for_cleanup(Held& held, Slot slot) {
    if (cspace_ == kNoSlot) return; // nothing is deleted without a cspace
    const user::InvokeResult info = user::invoke(cspace_, CapabilitySpaceLabel::Info, slot);
    if (info.error != Error::None || info.words[0] == static_cast<uint64_t>(ObjectType::None)) return;
    held.cleanup[held.cleanup_count] = slot;
    held.cleanup_fills[held.cleanup_count++] = static_cast<uint32_t>(info.words[3] >> kCapabilityFillsShift);
}

void ServerLoop::finish_call(const Message& reply) {
    in_call_ = false;
    if (deferred_ && current_held_ != kNotHeld) {
        // Deleted when the call is answered.
        Held& held = held_[current_held_];
        for (size_t i = 0; i < release_count_; ++i) hold_for_cleanup(held, releases_[i]);
    } else {
        if (!deferred_) send_reply(reply_, reply);
        for (size_t i = 0; i < received_count_; ++i) delete_capability(received_[i]);
        for (size_t i = 0; i < release_count_; ++i) delete_capability(releases_[i]);
    }
    received_count_ = 0;
    release_count_ = 0;
    deferred_ = false;
    current_held_ = kNotHeld;
}

DeferredCall ServerLoop::defer() {
    if (!in_call_ || deferred_ || free_count_ == 0) return {};
    size_t index = 0;
    while (held_[index].used) ++index; // free_count_ > 0, so fewer than reply_objects - 1 are held
    Held& held = held_[index];
    held.used = true;
    ++held.generation;
    held.reply = reply_;
    held.cleanup_count = 0;
    for (size_t i = 0; i < received_count_; ++i) hold_for_cleanup(held, received_[i]);
    received_count_ = 0;
    reply_ = free_replies_[--free_count_];
    deferred_ = true;
    general_ = true;
    current_held_ = index;
    ++deferred_count_;
    return {static_cast<uint32_t>(index), held.generation};
}

void ServerLoop::keep(Slot received) {
    if (deferred_ && current_held_ != kNotHeld) {
        Held& held = held_[current_held_];
        for (size_t i = 0; i < held.cleanup_count; ++i) {
            if (held.cleanup[i] == received) {
                --held.cleanup_count;
                held.cleanup[i] = held.cleanup[held.cleanup_count];
                held.cleanup_fills[i] = held.cleanup_fills[held.cleanup_count];
                return;
            }
        }
        return;
    }
    for (size_t i = 0; i < received_count_; ++i) {
        if (received_[i] == received) {
            received_[i] = received_[--received_count_];
            return;
        }
    }
}

bool ServerLoop::release_after_reply(Slot slot) {
    if (!in_call_ || release_count_ == kMaxReleases) return false;
    releases_[release_count_++] = slot;
    general_ = true;
    return true;
}

Error ServerLoop::answer(DeferredCall call, const Message& reply) {
    if (!call || call.index >= kMaxReplyObjects) return Error::InvalidArgument;
    Held& held = held_[call.index];
    if (!held.used || held.generation != call.generation) return Error::InvalidArgument;
    const Error error = send_reply(held.reply, reply);
    for (size_t i = 0; i < held.cleanup_count; ++i) delete_capability(held.cleanup[i], held.cleanup_fills[i]);
    held.cleanup_count = 0;
    held.used = false;
    free_replies_[free_count_++] = held.reply;
    --deferred_count_;
    // Answered inside the handler that deferred it: nothing is left to hold.
    if (in_call_ && current_held_ == call.index) current_held_ = kNotHeld;
    return error == Error::InvalidArgument ? Error::PeerGone : error;
}

bool ServerLoop::still_waiting(DeferredCall call) {
    if (!call || call.index >= kMaxReplyObjects) return false;
    const Held& held = held_[call.index];
    if (!held.used || held.generation != call.generation) return false;
    const user::InvokeResult info = user::invoke(held.reply, ReplyLabel::Info);
    if (info.error != Error::None || info.words[0] != 0) return true; // cannot tell: keep holding it
    Message nothing;
    set_error_reply(nothing, Error::PeerGone);
    (void)answer(call, nothing); // no caller is bound: this only frees the call's Reply object and capabilities
    return false;
}

} // namespace vesta::ipc
