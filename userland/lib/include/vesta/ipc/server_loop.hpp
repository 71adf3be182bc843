// vesta/ipc/server_loop.hpp — the receive/dispatch/reply loop of a server
// (docs/ipc.md).
//
// A ServerLoop receives calls on one endpoint and hands each to a handler,
// typically a generated dispatch():
//
//   ipc::ServerLoop loop;
//   TRY(loop.init({.endpoint = endpoint, .reply_objects = 4}));
//   loop.run([&](uint64_t badge, const ipc::Message& request, ipc::Message& reply) {
//       serial::dispatch(uart, request, reply);
//   });
//
// Contracts:
// - Every call is answered exactly once: with the reply the handler built
//   (dispatch never leaves it unset; a handler that does not touch it answers
//   NotSupported), or later through answer() when the handler deferred it.
//   A reply the kernel refuses (an outbound capability slot that is empty)
//   is replaced by an error reply carrying the kernel's error.
// - Capabilities that arrive with a call are the handler's for the duration
//   of the call: the loop deletes them once the call is answered (a
//   malformed request cannot fill the server's cspace), except those the
//   handler keeps with keep(). A deferred call keeps its capabilities until
//   answer().
// - `badge` is the badge of the endpoint capability the client called
//   through: servers mint one badged copy per client or per object to tell
//   them apart.
// - Several Reply objects: one is offered with each receive, the others hold
//   deferred calls. A deferred call's caller stays blocked until answer();
//   if the caller goes away meanwhile, answer() reports PeerGone.
// - Fast path: a call of ≤ 4 words without capabilities, answered at once
//   with ≤ 4 words and no capabilities, costs one ReplyRecv (registers only).
// - One thread runs a loop; run() and answer() use that thread's IPC buffer.
//   Capabilities arrive in any free slot: the loop sets the buffer's
//   receive_slots to kAnySlot, and a handler that changes them (a Recv of
//   its own with chosen slots) must set them back (SyscallTransport, for
//   calls a handler makes, leaves them at kAnySlot).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <syscall_arch.hpp>
#include <vesta/error.hpp>
#include <vesta/ipc/message.hpp>
#include <vesta/ipc/protocol.hpp>
#include <vesta/syscall.hpp>

namespace vesta::ipc {

// What a handler returns from a call it deferred (never sent: the loop sends
// nothing for a deferred call). Any other failure would be sent as is.
inline constexpr Status kDeferred = Error::WouldBlock;

// A call held open by ServerLoop::defer, to be answered later. Converts to
// false when defer() could not hold the call (no Reply object free).
struct DeferredCall {
    static constexpr uint32_t kNone = ~uint32_t{0};
    uint32_t index = kNone;
    uint32_t generation = 0;
    explicit operator bool() const { return index != kNone; }
};

struct ServerOptions {
    Slot endpoint = kNoSlot;         // the endpoint to receive on (Read right)
    size_t reply_objects = 2;        // 1 for the call in hand + how many calls may be deferred at once
    Slot memory = kNoSlot;           // pays for the Reply objects (kNoSlot: runtime.memory)
    Slot cspace = kNoSlot;           // own cspace, to delete received capabilities (kNoSlot: runtime.cspace)
    IpcBuffer* ipc_buffer = nullptr; // the serving thread's (nullptr: runtime.ipc_buffer)
    Slot notification = kNoSlot;     // also wait on this notification (run's second handler gets its bits)
};

class ServerLoop {
public:
    static constexpr size_t kMaxReplyObjects = 16;
    static constexpr size_t kMaxReleases = 4;

    // Creates the Reply objects (call it once per loop). Fails with
    // InvalidArgument (no endpoint,
    // reply_objects 0 or over kMaxReplyObjects, no IPC buffer) or the
    // Memory.Create error (OutOfMemory…), having created nothing that stays.
    Error init(const ServerOptions& options);

    // Serves until a handler calls stop() (returns Error::None after that
    // call's reply) or receiving fails (returns the error: InvalidCapability
    // or PeerGone when the endpoint is gone, …). `handler(badge, request,
    // reply)` answers each call in `reply`; `on_signal(bits)` is called when
    // the notification of the options was signalled.
    template <class Handler>
    Error run(Handler&& handler) {
        return run(handler, [](uint64_t) {});
    }
    template <class Handler, class OnSignal>
    Error run(Handler&& handler, OnSignal&& on_signal);

    // --- Inside a handler, about the call in hand.
    uint64_t badge() const { return badge_; }
    // Hold the call open: its caller stays blocked, the loop sends no reply
    // now (the handler returns kDeferred) and answer() replies later. A false
    // result means every Reply object is in use: answer the call now instead
    // (e.g. with a `busy` error).
    DeferredCall defer();
    // The handler keeps a capability that came with the call: the loop will
    // not delete it.
    void keep(Slot received);
    // Delete `slot` once the call is answered (a capability minted for its
    // reply). Up to kMaxReleases per call; beyond that, false and nothing is
    // recorded.
    bool release_after_reply(Slot slot);
    // Make run() return once this call is answered.
    void stop() {
        stop_ = true;
        general_ = true;
    }

    // --- Anywhere in the serving thread.
    // Answer a deferred call with `reply` (built by a generated encoder, e.g.
    // io::file::reply::read, or set_error_reply), then delete the
    // capabilities that came with the call. Errors: InvalidArgument (not a
    // call held open: already answered, or never deferred), PeerGone (its
    // caller went away), the Reply syscall's errors for a refused reply (the
    // caller then gets an error reply carrying that error).
    Error answer(DeferredCall call, const Message& reply);
    template <class Encode, class Value>
    Error answer(DeferredCall call, Encode encode, const Value& result) {
        Message reply;
        encode(reply, result);
        return answer(call, reply);
    }
    size_t deferred_count() const { return deferred_count_; }
    // Whether a deferred call's caller still waits for the answer (Reply.Info).
    // A call whose caller went away (killed, its task torn down) is let go as
    // answer() lets a call go — its capabilities deleted, its Reply object
    // free for the next call — and false is returned; false too for a call
    // not held (already answered, never deferred). A server whose held calls
    // occupy what a new client asks for checks them before answering `busy`.
    bool still_waiting(DeferredCall call);

private:
    struct Received {
        Error error;
        uint64_t badge;
    };
    // A deferred call: its Reply object and what to delete once it is
    // answered. Each slot is remembered with its fill count (CapabilitySpace
    // .Info): while the call is held its capabilities may die with their
    // owner (a client killed), the kernel then empties the slots and may fill
    // them again with other capabilities, which the guarded Delete spares.
    struct Held {
        Slot reply = kNoSlot;
        uint32_t generation = 0;
        bool used = false;
        Slot cleanup[kMaxMessageCaps + kMaxReleases];
        uint32_t cleanup_fills[kMaxMessageCaps + kMaxReleases];
        size_t cleanup_count = 0;
    };
    // Adds `slot` to a held call's cleanup with its fill count now; a slot
    // already empty (its capability died) needs no cleanup and is skipped.
    void hold_for_cleanup(Held& held, Slot slot);

    Received receive(Message& request);
    Received receive_with_notification(Message& request, uint64_t* bits);
    // Answers the call in hand (unless deferred) and deletes what it no longer needs.
    void finish_call(const Message& reply);
    Error send_reply(Slot reply_object, const Message& reply);
    void delete_capability(Slot slot);
    void delete_capability(Slot slot, uint32_t fills); // only if the slot still holds that capability
    // (finish_call leaves deferred_, current_held_ and release_count_ reset.)
    void begin_call(uint64_t badge) {
        badge_ = badge;
        in_call_ = true;
    }

    // The received message in registers (and the IPC buffer beyond them).
    Received take_message(const user::Registers& regs, Message& request) {
        const Error error = static_cast<Error>(regs.r[reg::kStatus]);
        if (error != Error::None) return {error, 0};
        const MessageTag tag{regs.r[reg::kTag]};
        request.tag = tag;
        for (size_t i = 0; i < kRegisterMessageWords; ++i) request.words[i] = regs.r[reg::kWord0 + i];
        received_count_ = 0;
        general_ = false;
        if (tag.words() > kRegisterMessageWords || tag.caps() != 0) [[unlikely]]
            take_from_buffer(request);
        return {Error::None, regs.r[reg::kBadge]};
    }
    // Words beyond the registers and the capabilities (recorded in received_).
    void take_from_buffer(Message& request);

    // Contract: `reply` has a valid tag of ≤ 4 words and no capabilities, and
    // its register words beyond the tag's count are 0 (run() clears them
    // before the handler: nothing of an earlier reply leaks to this caller).
    // IpcBuffer::receive_slots are still kAnySlot from the last receive (see
    // the contract on handlers at the top).
    Received reply_receive_registers(const Message& reply, Message& request) {
        user::Registers regs{
            {endpoint_, reply.tag.raw, reply.words[0], reply.words[1], reply.words[2], reply.words[3], reply_, 0}};
        user::syscall_raw(static_cast<uint64_t>(Syscall::ReplyRecv), regs);
        return take_message(regs, request);
    }

    Slot endpoint_ = kNoSlot;
    Slot cspace_ = kNoSlot;
    Slot notification_ = kNoSlot;
    IpcBuffer* buffer_ = nullptr;
    Slot reply_ = kNoSlot; // offered with the next receive; bound to the call in hand
    Slot free_replies_[kMaxReplyObjects];
    size_t free_count_ = 0;
    Held held_[kMaxReplyObjects];
    size_t deferred_count_ = 0;
    static constexpr size_t kNotHeld = ~size_t{0};
    size_t current_held_ = kNotHeld; // the held_ entry of the call in hand, once deferred

    // The call in hand.
    uint64_t badge_ = 0;
    bool in_call_ = false;
    bool general_ = false; // it needs finish_call: deferred, stop, capabilities received or to release
    bool deferred_ = false;
    bool stop_ = false;
    Slot received_[kMaxMessageCaps];
    size_t received_count_ = 0;
    Slot releases_[kMaxReleases];
    size_t release_count_ = 0;
};

template <class Handler, class OnSignal>
Error ServerLoop::run(Handler&& handler, OnSignal&& on_signal) {
    Message request;
    Message reply;
    stop_ = false;
    uint64_t bits = 0;
    Received in = notification_ == kNoSlot ? receive(request) : receive_with_notification(request, &bits);
    for (;;) {
        if (in.error != Error::None) return in.error;
        if (bits) {
            on_signal(bits);
            bits = 0;
        } else {
            begin_call(in.badge);
            set_error_reply(reply, Error::NotSupported);
            for (size_t i = 0; i < kRegisterMessageWords; ++i) reply.words[i] = 0;
            handler(in.badge, static_cast<const Message&>(request), reply);
            // The fast path: answer in registers and wait for the next call in one syscall.
            if (!general_ && notification_ == kNoSlot && (reply.tag.raw & 0xff00) == 0 &&
                reply.tag.words() <= kRegisterMessageWords) [[likely]] {
                in_call_ = false;
                in = reply_receive_registers(reply, request);
                continue;
            }
            finish_call(reply);
        }
        if (stop_) return Error::None;
        in = notification_ == kNoSlot ? receive(request) : receive_with_notification(request, &bits);
    }
}

} // namespace vesta::ipc
