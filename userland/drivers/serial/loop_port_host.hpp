// userland/drivers/serial/loop_port_host.hpp — the PortHost a driver's
// serving thread gives its devices (SerialPort, fbcon's ConsoleDevice):
// calls held with the thread's ServerLoop (defer / answer), the caller's
// pages copied through a PageWindow. Host tests use a fake PortHost instead.
//
// Contract: every member runs on the thread that runs `loop`.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vesta/ipc/server_loop.hpp>

#include "page_window.hpp"
#include "serial_port.hpp"

namespace vesta::serial {

static_assert(kDeferredRead == ipc::kDeferred);

class LoopPortHost final : public PortHost {
public:
    explicit LoopPortHost(ipc::ServerLoop& loop) : loop_(loop) {}

    CallToken defer() override {
        const ipc::DeferredCall call = loop_.defer();
        if (!call) return kNoCall;
        return uint64_t{call.index} << 32 | call.generation;
    }
    Error answer(CallToken token, const ipc::Message& reply) override { return loop_.answer(call_of(token), reply); }
    bool still_waiting(CallToken token) override { return loop_.still_waiting(call_of(token)); }
    ipc::Result<size_t> copy_to_pages(const ipc::CapList& pages, uintptr_t buf, size_t position, const uint8_t* data,
                                      size_t length) override {
        return window_.copy_in(pages, buf, position, data, length);
    }
    ipc::Result<size_t> copy_from_pages(const ipc::CapList& pages, uintptr_t buf, size_t position, uint8_t* data,
                                        size_t length) override {
        return window_.copy_out(pages, buf, position, data, length);
    }

private:
    static ipc::DeferredCall call_of(CallToken token) {
        ipc::DeferredCall call;
        call.index = static_cast<uint32_t>(token >> 32);
        call.generation = static_cast<uint32_t>(token);
        return call;
    }
    ipc::ServerLoop& loop_;
    PageWindow window_;
};

} // namespace vesta::serial
