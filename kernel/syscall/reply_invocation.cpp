// kernel/syscall/reply_invocation.cpp — Reply.Info: whether a call is bound
// to the Reply object, i.e. its caller still waits for the answer.
//
// A server holding a call open (a read held until input arrives) learns
// that the caller went away only when its answer fails with PeerGone. With
// Info it can ask earlier — when a second client wants what the held call
// occupies — and let the dead call go: a caller whose task was suspended,
// destroyed or torn down has been unbound by detach_task, so Info says 0.
// It needs Read, like every operation that only reports an object's state;
// it tells nothing about the caller but that one bit.
#include <object/reply.hpp>
#include <syscall/invocation.hpp>

namespace vesta {
namespace {

InvocationOutcome info(Invocation& invocation) {
    return InvocationResult::of(invocation.object<Reply>().caller ? 1 : 0);
}

constexpr Operation kReply[] = {
    operation(ReplyLabel::Info, rights::kRead, 0, info),
};

} // namespace

const OperationTable kReplyOperations{kReply};

} // namespace vesta
