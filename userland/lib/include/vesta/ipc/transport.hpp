// vesta/ipc/transport.hpp — how generated client stubs reach a server.
//
// A Transport delivers a request to the server behind an endpoint capability
// and waits for its reply: call(endpoint, message) sends `message` and, when
// it returns Error::None, has replaced it with the reply. Any other return is
// a transport failure (no reply; the message contents are unspecified).
//
// Implementations: the syscall transport in userland/lib (over the `call`
// syscall), and InMemoryTransport below for host tests and in-process servers.
#pragma once

#include <lib/utility.hpp>
#include <vesta/error.hpp>
#include <vesta/ipc/message.hpp>

namespace vesta::ipc {

template <class T>
concept Transport = requires(T& transport, Slot endpoint, Message& message) {
    { transport.call(endpoint, message) } -> same_as<Error>;
};

// Delivers each call synchronously to a handler: handler(endpoint, request,
// reply). Capabilities keep their slot numbers (no capability space is
// involved). The handler is typically a lambda around a generated dispatch().
template <class Handler>
class InMemoryTransport {
public:
    explicit InMemoryTransport(Handler handler) : handler_(move(handler)) {}

    Error call(Slot endpoint, Message& message) {
        if (!message.tag.valid()) return Error::InvalidArgument;
        Message reply;
        reply.tag = MessageTag::make(static_cast<uint64_t>(Error::NotSupported), 0, 0);
        handler_(endpoint, static_cast<const Message&>(message), reply);
        if (!reply.tag.valid()) return Error::Malformed;
        message.tag = reply.tag;
        for (size_t i = 0; i < reply.tag.words(); ++i) message.words[i] = reply.words[i];
        for (size_t i = 0; i < reply.tag.caps(); ++i) message.caps[i] = reply.caps[i];
        return Error::None;
    }

private:
    Handler handler_;
};

} // namespace vesta::ipc
