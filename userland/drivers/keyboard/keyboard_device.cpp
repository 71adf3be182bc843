// userland/drivers/keyboard/keyboard_device.cpp — KeyboardDevice
// (keyboard_device.hpp).
#include "keyboard_device.hpp"

namespace keyboard {

ipc::Result<size_t> KeyboardDevice::copy_out(const ipc::CapList& pages, uintptr_t buf, size_t amt) {
    uint8_t chunk[KeyBuffer::kCapacity];
    const size_t n = buffer_.peek(chunk, amt < sizeof(chunk) ? amt : sizeof(chunk));
    if (n == 0) return Error::InvalidArgument; // the next key does not fit in `amt`
    return host_.copy_to_pages(pages, buf, 0, chunk, n);
}

ipc::Result<size_t> KeyboardDevice::read(const ipc::CapList& pages, uintptr_t buf, size_t amt) {
    if (amt == 0) return size_t{0};
    if (pages.count == 0) return Error::InvalidArgument; // nowhere to put the bytes
    // One read waits at a time; one whose reader went away (showkey stopped
    // with Ctrl-C while it waited) makes way for this one.
    if (pending_ && host_.still_waiting(pending_call_)) return io::busy;
    pending_ = false;
    if (!buffer_.empty()) {
        auto copied = copy_out(pages, buf, amt);
        if (copied.ok()) buffer_.consume(copied.value());
        return copied;
    }
    const PortHost::CallToken call = host_.defer();
    if (call == PortHost::kNoCall) return io::busy;
    pending_ = true;
    pending_call_ = call;
    pending_pages_ = pages;
    pending_buf_ = buf;
    pending_amt_ = amt;
    return vesta::serial::kDeferredRead;
}

ipc::Result<size_t> KeyboardDevice::write(const ipc::CapList&, uintptr_t, size_t) { return io::io_error; }

ipc::Result<uint64_t> KeyboardDevice::seek(int64_t, io::whence) { return io::unseekable; }

void KeyboardDevice::answer_pending() {
    if (!pending_ || buffer_.empty()) return;
    pending_ = false;
    const ipc::Result<size_t> copied = copy_out(pending_pages_, pending_buf_, pending_amt_);
    ipc::Message reply;
    io::file::reply::read(reply, copied);
    // A caller that went away got nothing: its keys stay for the next reader.
    if (host_.answer(pending_call_, reply) != Error::PeerGone && copied.ok()) buffer_.consume(copied.value());
}

void KeyboardDevice::key(const KeyBytes& bytes) {
    if (bytes.outcome == KeyOutcome::Unknown) ++dropped_;
    if (bytes.outcome != KeyOutcome::Typed || bytes.length == 0) return;
    if (!buffer_.push(bytes.bytes, bytes.length)) ++dropped_;
    answer_pending();
}

uint64_t KeyboardDevice::take_new_drops() {
    const uint64_t fresh = dropped_ - reported_drops_;
    reported_drops_ = dropped_;
    return fresh;
}

} // namespace keyboard
