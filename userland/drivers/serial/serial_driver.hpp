// userland/drivers/serial/serial_driver.hpp — the process around one or
// more SerialPorts: what every serial driver's main() hands its UARTs to
// (docs/writing-a-driver.md walks through it with pcserial).
//
// run():
//  1. makes an endpoint and one ipc::ServerLoop on it that also waits on
//     the driver's IRQ notification (ServerOptions::notification);
//  2. starts each port (8N1 at the line's speed, receive interrupt on);
//  3. registers each port with sys::devregistry (the service in the
//     start-up block) as a dev::serial device: a copy of the endpoint with
//     Write and Grant, badged with the port's number (1, 2, …), so one loop
//     serves every port and tells them apart by badge;
//  4. if a port is the kernel console's UART (Console.Info names its range),
//     forwards the kernel log to it from the hand-over (LogForwarder), or,
//     restarted by its supervisor, from the environment's `log-from=SEQ`
//     (where the log stood when the last driver ended);
//  5. serves: calls go to dev::serial::dispatch for the port of their
//     badge; the notification means "an interrupt or the log": every port
//     is drained, the IRQ handlers acknowledged, the ports drained again
//     (bytes that came meanwhile raise no new edge on an edge-triggered
//     line), held reads answered, new drops reported, the log forwarded.
//
// The ports' PortHost is a LoopPortHost over the loop (which has
// 1 + SerialPort::kMaxPendingReads Reply objects, shared by the ports).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vesta/ipc/server_loop.hpp>

#include "log_forwarder.hpp"
#include "loop_port_host.hpp"
#include "serial_port.hpp"

namespace vesta::serial {

// A driver gets only what its manifest names (no standard slots), so the
// Console comes from its supervisor: usrinit grants it through
// procmgr.grant, and the start-up block lists it by type (role None). This
// makes it runtime.console (unless a Role::Console entry already did), so
// the driver's print() works and the console's driver can read the log.
// Call it first in main().
void adopt_console();

// How Console.Info would name a UART: kind 1 with its first port, kind 2
// with the physical address of its registers' page.
struct ConsoleRange {
    uint64_t kind = 0;
    uint64_t first = 0;
};

class SerialDriver final {
public:
    static constexpr size_t kMaxPorts = 2;
    static constexpr size_t kMaxHandlers = 2;

    explicit SerialDriver(const char* name) : name_(name) {}

    // A port on `uart` (which must outlive the driver), described in log
    // lines as `description` (e.g. "COM1 (port 0x3f8, IRQ 4)"); nullptr
    // when kMaxPorts are taken.
    SerialPort* add_port(Uart& uart, const char* description, ConsoleRange console);
    // An IRQ handler capability to acknowledge after each interrupt.
    bool add_irq_handler(uint64_t slot);

    // Serve until the loop fails (returns its error; the caller exits).
    // `notification`: the one the IRQ handlers signal (Read right).
    Error run(uint64_t notification);

private:
    struct Port {
        SerialPort* port = nullptr;
        Uart* uart = nullptr;
        const char* description = "";
        ConsoleRange console;
        bool serving = false;
    };

    void register_ports();
    void take_console(uint64_t notification);
    static uint64_t log_from();
    void on_signal();
    void handle(uint64_t badge, const ipc::Message& request, ipc::Message& reply);

    const char* name_;
    ipc::ServerLoop loop_;
    LoopPortHost host_{loop_};
    uint64_t endpoint_ = kNoSlot;
    Port ports_[kMaxPorts];
    size_t port_count_ = 0;
    uint64_t handlers_[kMaxHandlers] = {};
    size_t handler_count_ = 0;
    alignas(SerialPort) unsigned char storage_[kMaxPorts][sizeof(SerialPort)] = {};
    alignas(LogForwarder) unsigned char log_storage_[sizeof(LogForwarder)] = {};
    LogForwarder* log_ = nullptr;
};

} // namespace vesta::serial
