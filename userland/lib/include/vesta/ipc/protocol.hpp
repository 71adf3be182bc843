// vesta/ipc/protocol.hpp — the runtime that generated protocol code
// (protocols/**/*.ipc -> *.ipc.hpp) builds on. Freestanding: only
// <stdint.h>, <stddef.h> and Vesta's own headers.
#pragma once

#include <lib/utility.hpp>
#include <vesta/ipc/codec.hpp>
#include <vesta/ipc/message.hpp>
#include <vesta/ipc/status.hpp>
#include <vesta/ipc/transport.hpp>

namespace vesta::ipc {

// The tag carries exactly `words` words and `caps` capabilities and its
// reserved bits are clear: one comparison of its low 16 bits.
constexpr bool counts_are(MessageTag tag, size_t words, size_t caps) {
    return (tag.raw & 0xffff) == MessageTag::make(0, words, caps).raw;
}

// Turn `reply` into an error reply carrying `status` (no words, no caps).
constexpr void set_error_reply(Message& reply, Status status) { reply.tag = MessageTag::make(status.label(), 0, 0); }

// The failure a client reports for a reply whose label is not 0: the
// error itself when the call may return it, Error::Malformed for a protocol
// error the call does not declare or a label outside the encoding.
template <size_t N>
constexpr Status reply_failure(uint64_t label, const ProtocolError (&declared)[N]) {
    Status status = Status::from_label(label);
    if (!status.is_protocol_error()) return status;
    for (const ProtocolError& error : declared) {
        if (status.protocol_error() == error) return status;
    }
    return Error::Malformed;
}
constexpr Status reply_failure(uint64_t label) {
    Status status = Status::from_label(label);
    return status.is_protocol_error() ? Status(Error::Malformed) : status;
}

// A server's failure as it goes on the wire: protocol errors the call does
// not declare become Error::Malformed (a server bug must not smuggle an
// undeclared error to the client).
template <size_t N>
constexpr Status checked_failure(Status status, const ProtocolError (&declared)[N]) {
    return reply_failure(status.label(), declared);
}
constexpr Status checked_failure(Status status) { return reply_failure(status.label()); }

} // namespace vesta::ipc
