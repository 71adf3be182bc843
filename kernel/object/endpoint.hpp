// kernel/object/endpoint.hpp — Endpoint: a rendezvous point for synchronous IPC.
//
// Invariant: at most one of `senders` and `receivers` is non-empty. Senders
// wait with their message still in their own registers and IPC buffer; it is
// copied once, at the rendezvous. Destroying an endpoint wakes every queued
// task with PeerGone and leaves the tasks it was fault endpoint of without one.
#pragma once

#include <object/task.hpp>

namespace vesta {

class Endpoint : public Object {
public:
    static constexpr ObjectType kType = ObjectType::Endpoint;
    Endpoint() : Object(kType) {}

    TaskQueue senders;
    TaskQueue receivers;
    PollerList pollers;       // woken when a sender arrives
    FaultBinders fault_tasks; // tasks whose fault endpoint this is
};

} // namespace vesta
