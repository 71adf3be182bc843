// userland/tests/protocol/server_serial.cpp — the "serial" role: dev::serial
// as a loopback UART. What is written comes back to readers; a read with
// nothing to read is deferred (its caller stays blocked, its pages held)
// and answered when bytes arrive — from a write, or from a signal on the
// "irq" notification standing in for the receive interrupt.
#include <dev/serial.ipc.hpp>

#include "server.hpp"

namespace protocol_server {

namespace dev = vesta::proto::dev;
namespace io = vesta::proto::io;
using vesta::ipc::Result;
using namespace protocol_fixture;

namespace {

class Uart {
public:
    explicit Uart(ServerLoop& loop) : loop_(loop) {}

    Result<size_t> read(const CapList& pages, uintptr_t buf, size_t amt) {
        if (amt == 0) return size_t{0};
        if (count_ > 0) return take(pages, buf, amt);
        if (pending_count_ == kSerialPendingReads) return io::busy;
        const ipc::DeferredCall call = loop_.defer();
        if (!call) return io::busy;
        pending_[pending_count_++] = Pending{call, pages, buf, amt};
        return ipc::kDeferred;
    }

    Result<size_t> write(const CapList& pages, uintptr_t buf, size_t amt) {
        uint8_t bytes[256];
        auto copied = copy_from_pages(pages, buf, bytes, min<size_t>(amt, sizeof(bytes)));
        if (!copied.ok()) return copied.error();
        receive(bytes, copied.value());
        return copied.value();
    }

    Result<uint64_t> seek(int64_t, io::whence) { return io::unseekable; }

    Result<void> set_baud(uint32_t baud) {
        for (uint32_t supported : kSerialBauds) {
            if (baud == supported) {
                baud_ = baud;
                return {};
            }
        }
        return dev::unsupported;
    }
    Result<uint32_t> get_baud() { return baud_; }
    Result<void> set_char_length(dev::char_length length) {
        if (length == dev::char_length::FIVE) return dev::unsupported;
        length_ = length;
        return {};
    }
    Result<dev::char_length> get_char_length() { return length_; }
    Result<void> set_stop_bits(dev::stop_bits bits) {
        stop_bits_ = bits;
        return {};
    }
    Result<dev::stop_bits> get_stop_bits() { return stop_bits_; }
    Result<void> set_parity(dev::parity mode) {
        if (mode == dev::parity::MARK || mode == dev::parity::SPACE) return dev::unsupported;
        parity_ = mode;
        return {};
    }
    Result<dev::parity> get_parity() { return parity_; }

    // Bytes from the line: buffered, then handed to the readers waiting, oldest first.
    void receive(const uint8_t* bytes, size_t n) {
        for (size_t i = 0; i < n && count_ < sizeof(fifo_); ++i) fifo_[count_++] = bytes[i];
        while (pending_count_ > 0 && count_ > 0) {
            const Pending pending = pending_[0];
            for (size_t i = 1; i < pending_count_; ++i) pending_[i - 1] = pending_[i];
            --pending_count_;
            loop_.answer(pending.call, io::file::reply::read, take(pending.pages, pending.buf, pending.amt));
        }
    }

private:
    struct Pending {
        ipc::DeferredCall call;
        CapList pages;
        uintptr_t buf;
        size_t amt;
    };

    Result<size_t> take(const CapList& pages, uintptr_t buf, size_t amt) {
        const size_t n = min<size_t>(amt, count_);
        auto copied = copy_to_pages(pages, buf, fifo_, n);
        if (!copied.ok()) return copied.error();
        count_ -= copied.value();
        for (size_t i = 0; i < count_; ++i) fifo_[i] = fifo_[i + copied.value()];
        return copied.value();
    }

    ServerLoop& loop_;
    uint8_t fifo_[256];
    size_t count_ = 0;
    Pending pending_[kSerialPendingReads];
    size_t pending_count_ = 0;
    uint32_t baud_ = 115200;
    dev::char_length length_ = dev::char_length::EIGHT;
    dev::stop_bits stop_bits_ = dev::stop_bits::ONE;
    dev::parity parity_ = dev::parity::NONE;
};
static_assert(dev::serial::Server<Uart>);

} // namespace

Error serve_serial(ServerLoop& loop) {
    static Uart uart(loop);
    return loop.run([&](uint64_t, const ipc::Message& request,
                        ipc::Message& reply) { dev::serial::dispatch(uart, request, reply); },
                    [&](uint64_t) { uart.receive(reinterpret_cast<const uint8_t*>(kIrqBytes), 4); });
}

} // namespace protocol_server
