// kernel/object/notification.hpp — Notification: a word of pending signal bits.
//
// Signal ORs the signalling capability's badge (1 when unbadged) into `bits`
// or hands it straight to the first waiter; it never blocks. Wait takes and
// clears all bits, blocking while there are none.
#pragma once

#include <object/irq.hpp>
#include <object/task.hpp>

namespace vesta {

class Notification : public Object {
public:
    static constexpr ObjectType kType = ObjectType::Notification;
    Notification() : Object(kType) {}

    uint64_t bits = 0;
    TaskQueue waiters;
    PollerList pollers;      // woken when bits become non-zero
    IrqBinders irq_handlers; // IRQ handlers bound to it
};

} // namespace vesta
