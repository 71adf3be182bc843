// kernel/object/reply.hpp — Reply: the right to answer one call.
//
// A server offers a Reply object when it receives; a call that arrives binds
// its caller to it (caller BlockedReply). Reply or ReplyRecv through it wakes
// the caller and unbinds. Several Reply objects let a server hold several
// calls open. Destroying a bound Reply wakes the caller with PeerGone, and a
// receiver that offered it with PeerGone too. Both pointers are bindings: the
// task side (Task::reply) points back, and detaching either side clears both.
#pragma once

#include <object/task.hpp>

namespace vesta {

class Reply : public Object {
public:
    static constexpr ObjectType kType = ObjectType::Reply;
    Reply() : Object(kType) {}

    Task* caller = nullptr;   // bound caller (BlockedReply)
    Task* receiver = nullptr; // the task that offered it in a blocked receive
};

} // namespace vesta
