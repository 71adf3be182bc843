// userland/drivers/serial/log_forwarder.cpp — LogForwarder (log_forwarder.hpp).
#include <lib/format.hpp>
#include <user/runtime.hpp>

#include "log_forwarder.hpp"

namespace vesta::serial {

using user::invoke;
using user::InvokeResult;

namespace {

// The ticker's cspace: spawn() puts the Console in slot 1 (the standard
// slots); the driver gives it the two notifications.
constexpr uint64_t kTickerConsole = 1, kTickerSignal = 2, kTickerSleep = 3;
constexpr uint64_t kLogEnd = ~uint64_t{0}; // Console.Read from here copies nothing and returns the end

[[noreturn]] void tick(uint64_t ipc_buffer_address) {
    auto* buffer = reinterpret_cast<IpcBuffer*>(ipc_buffer_address);
    uint64_t seen = kLogEnd;
    for (;;) {
        buffer->poll[0] = kTickerSleep; // never signalled: Poll sleeps kTicks
        user::syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, LogForwarder::kTicks);
        const InvokeResult end = invoke(kTickerConsole, ConsoleLabel::Read, kLogEnd);
        if (end.error == Error::None && end.words[0] != seen) {
            seen = end.words[0];
            user::syscall(Syscall::Signal, kTickerSignal);
        }
    }
}

} // namespace

Error LogForwarder::start_ticker(uint64_t notification) {
    uint64_t stack = 0, stack_page = 0;
    if (const Error e = user::map_new_pages(2, rights::kRead | rights::kWrite, &stack, &stack_page); e != Error::None)
        return e;
    uint64_t sleep = kNoSlot;
    if (const Error e = user::create(ObjectType::Notification, 0, &sleep); e != Error::None) return e;
    user::SpawnOptions options;
    options.vspace = user::runtime.vspace;
    options.cspace_slots = 8;
    options.entry = reinterpret_cast<uint64_t>(&tick);
    options.stack_top = user::thread_stack_top(stack, 2 * kPageSize);
    options.name = "log-ticker";
    user::Spawned thread{};
    Error spawned = user::spawn(nullptr, 0, options, &thread);
    if (spawned == Error::MissingRights) { // the driver runs below the default priority
        options.priority = 1;
        spawned = user::spawn(nullptr, 0, options, &thread);
    }
    if (spawned != Error::None) return spawned;
    if (const Error e = user::give(thread, kTickerSignal, notification, rights::kWrite); e != Error::None) return e;
    if (const Error e = user::give(thread, kTickerSleep, sleep, rights::kRead); e != Error::None) return e;
    return user::start(thread);
}

void LogForwarder::forward() {
    IpcBuffer* buffer = user::runtime.ipc_buffer;
    if (!buffer) return;
    // At most the whole ring per call: the serving thread goes back to its calls.
    for (int reads = 0; reads < 80; ++reads) {
        const InvokeResult read = invoke(console_, ConsoleLabel::Read, next_);
        if (read.error != Error::None || read.words[1] == 0) return;
        if (read.words[2] != 0) {
            char line[80];
            BufferSink sink(line, sizeof(line));
            format(sink, "[{} bytes of the kernel log were lost before they could be shown]\n", read.words[2]);
            port_.write_text(sink.text(), sink.length());
        }
        char text[kMaxMessageWords * 8];
        const size_t count = read.words[1] < sizeof(text) ? read.words[1] : sizeof(text);
        for (size_t i = 0; i < count; ++i) text[i] = static_cast<char>(buffer->words[i / 8] >> (8 * (i % 8)));
        next_ = read.words[0];
        if (!port_.write_text(text, count)) return; // the transmitter is stuck: try again on the next signal
    }
}

} // namespace vesta::serial
