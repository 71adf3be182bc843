// userland/drivers/fbcon/console_device.hpp — one text console served over
// dev::console (protocols/dev/console.ipc, and the io::file it extends):
// the part of the fbcon driver that is not hardware. The driver gives it
// the screen, the renderer over the mapped framebuffer and a PortHost (the
// server loop and the caller's pages); host tests give a buffer and a fake.
//
// Contracts (protocols/dev/console.ipc, docs/framebuffer-console.md):
// - write: feeds the caller's bytes to the TextScreen, then draws the rows
//   they changed, and only then replies with the count: a write is answered
//   once it is on the screen. A write of 0 bytes is 0; pages that cannot be
//   read fail the call (or, after some bytes, end it with what was drawn).
// - read: as dev::keyboard's read. Typed bytes (type()) wait in a 1 KiB
//   buffer; a read with bytes buffered returns at once, up to `amt`; with
//   none it is held (PortHost::defer) and answered by the next type(). One
//   read is held at a time: a second one is io::busy. A held reader that
//   went away (PeerGone at the answer) takes nothing, and the hold is free
//   again. A read of 0 is 0; a read without pages is InvalidArgument.
// - seek: io::unseekable. columns/rows: the text grid's size.
// - Every member runs on the driver's one serving thread.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <dev/console.ipc.hpp>
#include <io/file.ipc.hpp>

#include "glyph_renderer.hpp"
#include "serial/receive_buffer.hpp"
#include "serial/serial_port.hpp"
#include "text_screen.hpp"

namespace fbcon {

namespace io = vesta::proto::io;
namespace ipc = vesta::ipc;
using vesta::serial::PortHost;

class ConsoleDevice {
public:
    using InputBuffer = vesta::serial::ReceiveBuffer;

    ConsoleDevice(TextScreen& screen, GlyphRenderer& renderer, PortHost& host)
        : screen_(screen), renderer_(renderer), host_(host) {}

    // --- io::file
    ipc::Result<size_t> read(const ipc::CapList& pages, uintptr_t buf, size_t amt);
    ipc::Result<size_t> write(const ipc::CapList& pages, uintptr_t buf, size_t amt);
    ipc::Result<uint64_t> seek(int64_t offset, io::whence from);

    // --- dev::console
    ipc::Result<uint32_t> columns() { return screen_.columns(); }
    ipc::Result<uint32_t> rows() { return screen_.rows(); }

    // --- Events (the serving thread)
    // Bytes from the keyboard: buffered (at most room() of them are taken;
    // returns how many), then the held read, if any, is answered.
    size_t type(const uint8_t* bytes, size_t length);
    // How many more bytes type() can take.
    size_t room() const { return InputBuffer::kCapacity - input_.size(); }
    // The driver's own text on the screen (its banner), drawn at once.
    void show(const char* text);

    size_t buffered() const { return input_.size(); }
    bool read_held() const { return held_; }

private:
    void draw();
    void answer_held();

    TextScreen& screen_;
    GlyphRenderer& renderer_;
    PortHost& host_;
    InputBuffer input_;
    bool held_ = false;
    PortHost::CallToken held_call_ = PortHost::kNoCall;
    ipc::CapList held_pages_{};
    uintptr_t held_buf_ = 0;
    size_t held_amt_ = 0;
};

static_assert(vesta::proto::dev::console::Server<ConsoleDevice>);

} // namespace fbcon
