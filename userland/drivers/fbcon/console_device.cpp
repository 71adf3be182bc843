// userland/drivers/fbcon/console_device.cpp — ConsoleDevice (console_device.hpp).
#include "console_device.hpp"

namespace fbcon {

namespace {
constexpr size_t kWriteChunk = 256;
} // namespace

void ConsoleDevice::draw() {
    const TextScreen::Damage damage = screen_.take_damage();
    if (damage.any()) renderer_.render(screen_, damage);
}

void ConsoleDevice::show(const char* text) {
    screen_.write(text);
    draw();
}

ipc::Result<size_t> ConsoleDevice::write(const ipc::CapList& pages, uintptr_t buf, size_t amt) {
    if (amt == 0) return size_t{0};
    if (pages.count == 0) return vesta::Error::InvalidArgument; // no bytes to take
    size_t done = 0;
    while (done < amt) {
        uint8_t chunk[kWriteChunk];
        const size_t want = amt - done < sizeof(chunk) ? amt - done : sizeof(chunk);
        auto copied = host_.copy_from_pages(pages, buf, done, chunk, want);
        if (!copied.ok()) {
            if (done == 0) return copied.error();
            break; // what was taken is drawn and reported
        }
        screen_.write(chunk, copied.value());
        done += copied.value();
        if (copied.value() < want) break; // the pages end here
    }
    draw(); // once per call: a burst of lines scrolls once, not per line
    return done;
}

ipc::Result<size_t> ConsoleDevice::read(const ipc::CapList& pages, uintptr_t buf, size_t amt) {
    if (amt == 0) return size_t{0};
    if (pages.count == 0) return vesta::Error::InvalidArgument; // nowhere to put the bytes
    // One read waits at a time; one whose reader went away (a shell killed
    // while it waited for a key) makes way for this one.
    if (held_ && host_.still_waiting(held_call_)) return io::busy;
    held_ = false;
    if (!input_.empty()) {
        uint8_t chunk[InputBuffer::kCapacity];
        const size_t n = input_.peek(chunk, amt < sizeof(chunk) ? amt : sizeof(chunk));
        auto copied = host_.copy_to_pages(pages, buf, 0, chunk, n);
        if (copied.ok()) input_.consume(copied.value());
        return copied;
    }
    const PortHost::CallToken call = host_.defer();
    if (call == PortHost::kNoCall) return io::busy;
    held_ = true;
    held_call_ = call;
    held_pages_ = pages;
    held_buf_ = buf;
    held_amt_ = amt;
    return vesta::serial::kDeferredRead;
}

void ConsoleDevice::answer_held() {
    if (!held_ || input_.empty()) return;
    held_ = false;
    uint8_t chunk[InputBuffer::kCapacity];
    const size_t n = input_.peek(chunk, held_amt_ < sizeof(chunk) ? held_amt_ : sizeof(chunk));
    const ipc::Result<size_t> copied = host_.copy_to_pages(held_pages_, held_buf_, 0, chunk, n);
    ipc::Message reply;
    io::file::reply::read(reply, copied);
    // A reader that went away took nothing: the bytes stay for the next one.
    if (host_.answer(held_call_, reply) != vesta::Error::PeerGone && copied.ok()) input_.consume(copied.value());
    held_call_ = PortHost::kNoCall;
}

size_t ConsoleDevice::type(const uint8_t* bytes, size_t length) {
    const size_t taken = length < room() ? length : room();
    input_.push(bytes, taken);
    answer_held();
    return taken;
}

ipc::Result<uint64_t> ConsoleDevice::seek(int64_t, io::whence) { return io::unseekable; }

} // namespace fbcon
