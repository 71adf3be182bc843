// userland/drivers/serial/serial_port.hpp — one serial port served over
// dev::serial (and the io::file it extends): the part of every serial
// driver that is not hardware. A driver gives it a Uart and a PortHost (the
// server loop and the caller's pages) and hands it the calls its generated
// dispatch() decodes.
//
// Contracts (docs/writing-a-driver.md, "The shared serial core"):
// - read: returns at once with up to `amt` bytes when some were received;
//   with none, the call is held open (PortHost::defer) and answered when the
//   receive interrupt brings bytes. Readers held open are answered in the
//   order they called, each with what has arrived, up to its `amt`. A read
//   of 0 bytes returns 0 at once. At most kMaxPendingReads are held; beyond
//   that, or when the host can hold no more calls, io::busy.
// - Bytes are taken from the buffer only once they reached a reader: a
//   reader whose pages cannot be written gets the error and the bytes stay
//   for the next one; a held reader that went away (PeerGone) takes nothing.
// - Bytes that arrive while nobody reads wait in a ReceiveBuffer; when it is
//   full they are dropped and counted (dropped(), take_new_drops()).
// - write: sends the bytes of the caller's pages as they are (no newline
//   translation: io::file is a byte stream) and returns how many were sent;
//   a transmitter that never gets ready is io::io_error.
// - seek: io::unseekable. Settings: the Uart decides what it supports
//   (dev::unsupported changes nothing).
// - Every member runs on the driver's one serving thread.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <dev/serial.ipc.hpp>
#include <io/file.ipc.hpp>

#include "receive_buffer.hpp"
#include "uart.hpp"

namespace vesta::serial {

namespace io = proto::io;

// What a handler returns for a call it held open. Equal to
// ipc::kDeferred of the server loop (checked where both are visible).
inline constexpr ipc::Status kDeferredRead = Error::WouldBlock;

// What the server loop and the kernel provide to a port. In the drivers it
// is the ServerLoop and page mapping (serial_driver.cpp); in host tests a fake.
class PortHost {
public:
    using CallToken = uint64_t;
    static constexpr CallToken kNoCall = ~uint64_t{0};

    // Hold the call being handled open: its caller stays blocked until
    // answer(). kNoCall when no more calls can be held.
    virtual CallToken defer() = 0;
    // Answer a held call with `reply`. Returns Error::PeerGone when its
    // caller went away (nothing was delivered), Error::None otherwise.
    virtual Error answer(CallToken call, const ipc::Message& reply) = 0;
    // Whether a held call's caller still waits. A call whose caller went
    // away is let go (as if answered) and false is returned.
    virtual bool still_waiting(CallToken call) = 0;
    // Copy `length` bytes into / out of the caller's buffer, starting
    // `position` bytes into it. The buffer is io::file's: it begins at byte
    // `buf` of the first page and runs on through the following pages.
    // Returns the bytes copied (fewer where the pages end); errors: the
    // pages cannot be mapped, `buf` is beyond the first page.
    virtual ipc::Result<size_t> copy_to_pages(const ipc::CapList& pages, uintptr_t buf, size_t position,
                                              const uint8_t* data, size_t length) = 0;
    virtual ipc::Result<size_t> copy_from_pages(const ipc::CapList& pages, uintptr_t buf, size_t position,
                                                uint8_t* data, size_t length) = 0;

protected:
    PortHost() = default;
    PortHost(const PortHost&) = default;
    PortHost& operator=(const PortHost&) = default;
    ~PortHost() = default;
};

class SerialPort {
public:
    static constexpr size_t kMaxPendingReads = 8;
    // Polls of transmitter_ready() per byte before a write gives up (io_error).
    static constexpr uint32_t kTransmitPolls = 1u << 22;

    SerialPort(Uart& uart, PortHost& host) : uart_(uart), host_(host) {}

    // Program the line and enable the receive interrupt.
    ipc::Result<void> start(const LineSettings& settings);

    // --- io::file
    ipc::Result<size_t> read(const ipc::CapList& pages, uintptr_t buf, size_t amt);
    ipc::Result<size_t> write(const ipc::CapList& pages, uintptr_t buf, size_t amt);
    ipc::Result<uint64_t> seek(int64_t offset, io::whence from);

    // --- dev::serial
    ipc::Result<void> set_baud(uint32_t baud);
    ipc::Result<uint32_t> get_baud() { return settings_.baud; }
    ipc::Result<void> set_char_length(dev::char_length length);
    ipc::Result<dev::char_length> get_char_length() { return settings_.length; }
    ipc::Result<void> set_stop_bits(dev::stop_bits bits);
    ipc::Result<dev::stop_bits> get_stop_bits() { return settings_.stop_bits; }
    ipc::Result<void> set_parity(dev::parity mode);
    ipc::Result<dev::parity> get_parity() { return settings_.parity; }

    // --- Events
    // The receive interrupt fired (or may have): move every byte the UART
    // holds into the buffer, then answer the readers held open.
    void receive();
    // Text for a person at the line (the kernel log): LF goes out as CR LF.
    // Returns false if the transmitter got stuck (the rest is not sent).
    bool write_text(const char* text, size_t length);

    // --- State, for the driver's reports and the tests.
    const LineSettings& settings() const { return settings_; }
    size_t buffered() const { return buffer_.size(); }
    size_t pending_reads() const { return pending_count_; }
    uint64_t dropped() const { return buffer_.dropped(); }
    // Drops since the last call (for a log line per overflow, not per byte).
    uint64_t take_new_drops();

private:
    struct PendingRead {
        PortHost::CallToken call;
        ipc::CapList pages;
        uintptr_t buf;
        size_t amt;
    };

    ipc::Result<void> change(const LineSettings& candidate);
    // Copy up to `amt` buffered bytes into `pages`; returns the count copied
    // (the bytes are not consumed).
    ipc::Result<size_t> copy_out(const ipc::CapList& pages, uintptr_t buf, size_t amt);
    void answer_pending();
    // Lets go of held reads whose callers went away (PortHost::still_waiting),
    // keeping the others in order; returns how many it let go.
    size_t forget_gone_readers();
    bool send(uint8_t byte);

    Uart& uart_;
    PortHost& host_;
    LineSettings settings_;
    ReceiveBuffer buffer_;
    PendingRead pending_[kMaxPendingReads] = {};
    size_t pending_head_ = 0;
    size_t pending_count_ = 0;
    uint64_t reported_drops_ = 0;
};

static_assert(dev::serial::Server<SerialPort>);

} // namespace vesta::serial
