// userland/drivers/keyboard/keyboard_device.hpp — one keyboard served over
// dev::keyboard (protocols/dev/keyboard.ipc): the part of every keyboard
// driver that is not hardware. The driver turns what its device reports
// into KeyBytes (KeyLayout) and hands them to key(); calls come from the
// generated dev::keyboard::dispatch. Portable, host-tested over a fake
// PortHost (the same host interface as the serial core's).
//
// Contracts:
// - read: with keys buffered, returns at once the whole keys that fit in
//   `amt` (a key's sequence is never split between reads); with none, the
//   call is held open (PortHost::defer) and answered when a key comes. A
//   read of 0 returns 0. One read is held at a time: a second one while the
//   first waits is io::busy. A read whose `amt` is smaller than the next
//   key's sequence (an arrow key is 3 bytes, Delete 4) is InvalidArgument
//   and takes nothing.
// - Bytes leave the buffer only once they reached the reader: a reader
//   whose pages cannot be written gets the error, a held reader that went
//   away (PeerGone) takes nothing; the keys stay for the next read.
// - Keys typed while nobody reads wait in a KeyBuffer (256 bytes); a key
//   that does not fit is dropped whole and counted, as is every Unknown key
//   (dropped(), take_new_drops()).
// - write: io::io_error; seek: io::unseekable.
// - Every member runs on the driver's one serving thread.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <dev/keyboard.ipc.hpp>
#include <io/file.ipc.hpp>

#include "key_buffer.hpp"
#include "key_layout.hpp"
#include "serial/serial_port.hpp"

namespace keyboard {

namespace ipc = vesta::ipc;
namespace io = vesta::proto::io;
using vesta::Error;
using vesta::serial::PortHost;

class KeyboardDevice {
public:
    explicit KeyboardDevice(PortHost& host) : host_(host) {}

    // --- io::file
    ipc::Result<size_t> read(const ipc::CapList& pages, uintptr_t buf, size_t amt);
    ipc::Result<size_t> write(const ipc::CapList& pages, uintptr_t buf, size_t amt);
    ipc::Result<uint64_t> seek(int64_t offset, io::whence from);

    // --- dev::keyboard
    ipc::Result<uint64_t> dropped() { return dropped_; }

    // --- Events
    // One key event from the layout: Typed bytes are buffered (or dropped
    // whole when full), Unknown keys counted; then the held read is answered.
    void key(const KeyBytes& bytes);
    // Answer the held read if keys are buffered (key() does it).
    void answer_pending();

    // --- State, for the driver's reports and the tests.
    size_t buffered() const { return buffer_.size(); }
    bool read_pending() const { return pending_; }
    // Drops since the last call (for one log line per burst, not per key).
    uint64_t take_new_drops();

private:
    ipc::Result<size_t> copy_out(const ipc::CapList& pages, uintptr_t buf, size_t amt);

    PortHost& host_;
    KeyBuffer buffer_;
    bool pending_ = false;
    PortHost::CallToken pending_call_ = PortHost::kNoCall;
    ipc::CapList pending_pages_ = {};
    uintptr_t pending_buf_ = 0;
    size_t pending_amt_ = 0;
    uint64_t dropped_ = 0;
    uint64_t reported_drops_ = 0;
};

static_assert(vesta::proto::dev::keyboard::Server<KeyboardDevice>);

} // namespace keyboard
