// userland/drivers/serial/log_forwarder.hpp — the kernel log on the console
// line, once a driver has taken the console's UART (docs/writing-a-driver.md,
// "The console and the kernel log").
//
// The kernel keeps every message (its own, and every task's Console.Write)
// in a ring read with Console.Read; after System.ReleaseConsole it no
// longer writes them to the UART. The driver that owns that UART forwards
// the ring to the line from the hand-over point (Console.Info), so nothing
// printed meanwhile is lost and nothing is printed twice.
//
// Who runs what: forward() runs on the driver's serving thread — the only
// thread that touches the UART — between calls, so log text and io::file
// writes never interleave inside a message. A small ticker thread only
// watches the ring's end (Console.Read of nothing, every kTicks scheduler
// ticks) and signals the serving thread's notification when it moved.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vesta/error.hpp>

#include "serial_port.hpp"

namespace vesta::serial {

class LogForwarder {
public:
    static constexpr uint64_t kTicks = 2; // how often the ticker looks at the ring (10 ms ticks)

    // Forward to `port` from log sequence number `from`, through `console`
    // (a Console capability with Read).
    LogForwarder(SerialPort& port, uint64_t console, uint64_t from) : port_(port), console_(console), next_(from) {}

    // Start the ticker thread, which signals `notification` (a slot of this
    // task holding a Notification with Write) when the log grew. Paid by
    // runtime.memory (a thread, its cspace, stack and IPC buffer).
    Error start_ticker(uint64_t notification);

    // Copy what the ring holds from the last position to the line (LF as CR
    // LF). Bytes the ring lost before they were read are reported as a line
    // of their own. Uses the calling thread's IPC buffer.
    void forward();

private:
    SerialPort& port_;
    uint64_t console_;
    uint64_t next_;
};

} // namespace vesta::serial
