// userland/drivers/serial/serial_driver.cpp — SerialDriver (serial_driver.hpp).
#include <lib/new.hpp>
#include <sys/devregistry.ipc.hpp>
#include <user/runtime.hpp>
#include <vesta/ipc/syscall_transport.hpp>

#include "serial_driver.hpp"

namespace vesta::serial {

using user::invoke;
using user::InvokeResult;
using user::print;
namespace devregistry = proto::sys::devregistry;

void adopt_console() {
    if (user::runtime.console != kNoSlot) return;
    const startup::Block& block = user::runtime.startup;
    for (size_t i = 0; i < block.capability_count(); ++i) {
        if (block.capability(i).type == static_cast<uint8_t>(ObjectType::Console)) {
            user::runtime.console = block.capability(i).slot;
            return;
        }
    }
}

SerialPort* SerialDriver::add_port(Uart& uart, const char* description, ConsoleRange console) {
    if (port_count_ == kMaxPorts) return nullptr;
    auto* port = new (storage_[port_count_]) SerialPort(uart, host_);
    ports_[port_count_++] = Port{port, &uart, description, console, false};
    return port;
}

bool SerialDriver::add_irq_handler(uint64_t slot) {
    if (handler_count_ == kMaxHandlers || slot == kNoSlot) return false;
    handlers_[handler_count_++] = slot;
    return true;
}

void SerialDriver::register_ports() {
    const uint64_t registry = user::service(devregistry::kId);
    if (registry == kNoSlot) {
        print("{}: no device registry in the start-up block: no port can be opened\n", name_);
        return;
    }
    ipc::SyscallTransport transport(user::runtime.ipc_buffer);
    for (size_t i = 0; i < port_count_; ++i) {
        Port& p = ports_[i];
        if (!p.serving) continue;
        // Clients need Write to call and Grant to pass their pages.
        const InvokeResult copy = invoke(user::runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, endpoint_,
                                         rights::kWrite | rights::kGrant, i + 1);
        if (copy.error != Error::None) {
            print("{}: {}: cannot make its endpoint: {}\n", name_, p.description, error_name(copy.error));
            continue;
        }
        auto index = devregistry::new_device(transport, registry, copy.words[0], proto::dev::serial::kId);
        invoke(user::runtime.cspace, CapabilitySpaceLabel::Delete, copy.words[0]); // the registry has its copy
        if (index.ok())
            print("{}: {} is serial{}\n", name_, p.description, index.value());
        else
            print("{}: {}: the device registry refused it (label {:x})\n", name_, p.description, index.error().label());
    }
}

// The environment's `log-from=SEQ` (a restart), or 0.
uint64_t SerialDriver::log_from() {
    const char* text = user::environment("log-from");
    uint64_t value = 0;
    for (; text && *text >= '0' && *text <= '9'; ++text) value = value * 10 + static_cast<uint64_t>(*text - '0');
    return text && *text == '\0' ? value : 0;
}

void SerialDriver::take_console(uint64_t notification) {
    if (user::runtime.console == kNoSlot) return;
    const InvokeResult info = invoke(user::runtime.console, ConsoleLabel::Info);
    if (info.error != Error::None) return; // no Read right: not the console's driver
    for (size_t i = 0; i < port_count_; ++i) {
        Port& p = ports_[i];
        if (!p.serving || p.console.kind == 0 || p.console.kind != info.words[0] || p.console.first != info.words[1])
            continue;
        if (info.words[3] == kConsoleNotReleased) {
            print("{}: {} is the kernel's console and the kernel still writes to it: not forwarding its log\n", name_,
                  p.description);
            return;
        }
        // A restarted driver: its supervisor says where the log stood when the last one ended.
        uint64_t from = info.words[3];
        const uint64_t resumed = log_from();
        if (resumed > from) from = resumed;
        log_ = new (log_storage_) LogForwarder(*p.port, user::runtime.console, from);
        if (const Error e = log_->start_ticker(notification); e != Error::None)
            print("{}: no log ticker ({}): the kernel log is forwarded only between calls\n", name_, error_name(e));
        print("{}: {} is the console: the kernel log follows on it{}\n", name_, p.description,
              resumed ? " (from where the last driver ended)" : "");
        log_->forward();
        return;
    }
}

void SerialDriver::on_signal() {
    for (size_t i = 0; i < port_count_; ++i) {
        if (!ports_[i].serving) continue;
        ports_[i].port->receive();
        ports_[i].uart->acknowledge_receive();
    }
    for (size_t i = 0; i < handler_count_; ++i) invoke(handlers_[i], IrqHandlerLabel::Acknowledge);
    for (size_t i = 0; i < port_count_; ++i) {
        if (!ports_[i].serving) continue;
        ports_[i].port->receive();
        if (const uint64_t dropped = ports_[i].port->take_new_drops())
            print("{}: {}: {} received bytes dropped: nobody read them and the receive buffer ({} bytes) was full\n",
                  name_, ports_[i].description, dropped, ReceiveBuffer::kCapacity);
    }
    if (log_) log_->forward();
}

void SerialDriver::handle(uint64_t badge, const ipc::Message& request, ipc::Message& reply) {
    if (badge == 0 || badge > port_count_ || !ports_[badge - 1].serving) {
        ipc::set_error_reply(reply, Error::InvalidCapability); // not an endpoint this driver handed out
        return;
    }
    // What a client logged before writing reaches the line before its write.
    if (log_ && request.tag.label() == proto::io::file::label::write) log_->forward();
    proto::dev::serial::dispatch(*ports_[badge - 1].port, request, reply);
}

Error SerialDriver::run(uint64_t notification) {
    if (const Error e = user::create(ObjectType::Endpoint, 0, &endpoint_); e != Error::None) return e;
    ipc::ServerOptions options;
    options.endpoint = endpoint_;
    options.reply_objects = 1 + SerialPort::kMaxPendingReads;
    options.notification = notification;
    if (const Error e = loop_.init(options); e != Error::None) return e;
    size_t serving = 0;
    for (size_t i = 0; i < port_count_; ++i) {
        Port& p = ports_[i];
        auto started = p.port->start(LineSettings{});
        p.serving = started.ok();
        if (!p.serving) print("{}: {}: the line cannot be set to 8N1 at 115200 baud\n", name_, p.description);
        serving += p.serving;
    }
    if (serving == 0) return Error::NotFound;
    take_console(notification);
    register_ports();
    on_signal(); // what was typed before the driver started
    return loop_.run(
        [this](uint64_t badge, const ipc::Message& request, ipc::Message& reply) { handle(badge, request, reply); },
        [this](uint64_t) { on_signal(); });
}

} // namespace vesta::serial
