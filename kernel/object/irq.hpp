// kernel/object/irq.hpp — IrqControl (the authority to claim interrupt lines,
// one per kernel) and IrqHandler (one claimed line).
//
// When a claimed line fires, the kernel masks it and signals the bound
// notification with the badge of the capability used to bind; the driver
// acknowledges, which unmasks the line. At most one handler per line.
#pragma once

#include <lib/intrusive_list.hpp>
#include <object/object.hpp>

namespace vesta {

class Notification;

class IrqControl : public Object {
public:
    static constexpr ObjectType kType = ObjectType::IrqControl;
    IrqControl() : Object(kType) {}
};

class IrqHandler : public Object {
public:
    static constexpr ObjectType kType = ObjectType::IrqHandler;
    explicit IrqHandler(uint32_t line) : Object(kType), irq(line) {}

    uint32_t irq;
    Notification* notification = nullptr; // bound notification (a binding)
    uint64_t badge = 0;
    SlimLink<IrqHandler> notification_link; // in notification->irq_handlers
};
using IrqBinders = SlimList<IrqHandler, &IrqHandler::notification_link>;

} // namespace vesta
