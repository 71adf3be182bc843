// userland/drivers/serial/serial_port.cpp — SerialPort (serial_port.hpp).
#include <lib/result.hpp>
#include <lib/utility.hpp>

#include "serial_port.hpp"

namespace vesta::serial {

ipc::Result<void> SerialPort::start(const LineSettings& settings) {
    TRY(change(settings));
    uart_.set_receive_interrupt(true);
    return {};
}

ipc::Result<size_t> SerialPort::copy_out(const ipc::CapList& pages, uintptr_t buf, size_t amt) {
    uint8_t chunk[ReceiveBuffer::kCapacity];
    const size_t n = buffer_.peek(chunk, min(amt, sizeof(chunk)));
    return host_.copy_to_pages(pages, buf, 0, chunk, n);
}

ipc::Result<size_t> SerialPort::read(const ipc::CapList& pages, uintptr_t buf, size_t amt) {
    if (amt == 0) return size_t{0};
    if (pages.count == 0) return Error::InvalidArgument; // nowhere to put the bytes
    if (!buffer_.empty()) {
        // Readers are held only while the buffer is empty (receive() answers
        // them as soon as bytes come), so no earlier reader is waiting.
        auto copied = copy_out(pages, buf, amt);
        if (copied.ok()) buffer_.consume(copied.value());
        return copied;
    }
    PortHost::CallToken call = pending_count_ == kMaxPendingReads ? PortHost::kNoCall : host_.defer();
    if (call == PortHost::kNoCall && forget_gone_readers() > 0) call = host_.defer();
    if (call == PortHost::kNoCall) return io::busy;
    pending_[(pending_head_ + pending_count_) % kMaxPendingReads] = PendingRead{call, pages, buf, amt};
    ++pending_count_;
    return kDeferredRead;
}

size_t SerialPort::forget_gone_readers() {
    size_t kept = 0;
    for (size_t i = 0; i < pending_count_; ++i) {
        const PendingRead pending = pending_[(pending_head_ + i) % kMaxPendingReads];
        if (host_.still_waiting(pending.call)) pending_[(pending_head_ + kept++) % kMaxPendingReads] = pending;
    }
    const size_t forgotten = pending_count_ - kept;
    pending_count_ = kept;
    return forgotten;
}

void SerialPort::answer_pending() {
    while (pending_count_ > 0 && !buffer_.empty()) {
        const PendingRead pending = pending_[pending_head_];
        pending_head_ = (pending_head_ + 1) % kMaxPendingReads;
        --pending_count_;
        const ipc::Result<size_t> copied = copy_out(pending.pages, pending.buf, pending.amt);
        ipc::Message reply;
        io::file::reply::read(reply, copied);
        // A caller that went away got nothing: its bytes stay for the next reader.
        if (host_.answer(pending.call, reply) != Error::PeerGone && copied.ok()) buffer_.consume(copied.value());
    }
}

void SerialPort::receive() {
    uint8_t chunk[64];
    for (size_t n; (n = uart_.drain(chunk, sizeof(chunk))) != 0;) buffer_.push(chunk, n);
    answer_pending();
}

bool SerialPort::send(uint8_t byte) {
    for (uint32_t polls = 0; !uart_.transmitter_ready(); ++polls) {
        if (polls == kTransmitPolls) return false;
    }
    uart_.transmit(byte);
    return true;
}

ipc::Result<size_t> SerialPort::write(const ipc::CapList& pages, uintptr_t buf, size_t amt) {
    if (amt == 0) return size_t{0};
    if (pages.count == 0) return Error::InvalidArgument;
    size_t sent = 0;
    while (sent < amt) {
        uint8_t chunk[256];
        const size_t want = min(amt - sent, sizeof(chunk));
        auto copied = host_.copy_from_pages(pages, buf, sent, chunk, want);
        if (!copied.ok()) {
            if (sent == 0) return copied.error();
            break; // what was sent stays sent: report it
        }
        for (size_t i = 0; i < copied.value(); ++i) {
            if (!send(chunk[i])) return sent + i == 0 ? ipc::Result<size_t>(io::io_error) : sent + i;
        }
        sent += copied.value();
        if (copied.value() < want) break; // the pages end here
    }
    return sent;
}

ipc::Result<uint64_t> SerialPort::seek(int64_t, io::whence) { return io::unseekable; }

bool SerialPort::write_text(const char* text, size_t length) {
    for (size_t i = 0; i < length; ++i) {
        if (text[i] == '\n' && !send('\r')) return false;
        if (!send(static_cast<uint8_t>(text[i]))) return false;
    }
    return true;
}

ipc::Result<void> SerialPort::change(const LineSettings& candidate) {
    TRY(uart_.configure(candidate));
    settings_ = candidate;
    return {};
}

ipc::Result<void> SerialPort::set_baud(uint32_t baud) {
    LineSettings candidate = settings_;
    candidate.baud = baud;
    return change(candidate);
}

ipc::Result<void> SerialPort::set_char_length(dev::char_length length) {
    LineSettings candidate = settings_;
    candidate.length = length;
    return change(candidate);
}

ipc::Result<void> SerialPort::set_stop_bits(dev::stop_bits bits) {
    LineSettings candidate = settings_;
    candidate.stop_bits = bits;
    return change(candidate);
}

ipc::Result<void> SerialPort::set_parity(dev::parity mode) {
    LineSettings candidate = settings_;
    candidate.parity = mode;
    return change(candidate);
}

uint64_t SerialPort::take_new_drops() {
    const uint64_t fresh = buffer_.dropped() - reported_drops_;
    reported_drops_ = buffer_.dropped();
    return fresh;
}

} // namespace vesta::serial
