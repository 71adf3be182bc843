// userland/drivers/fbcon — the text console on the framebuffer the firmware
// left (docs/framebuffer-console.md, "The driver"). It maps the framebuffer
// the loader grants (device memory, never RAM), draws a TextScreen with the
// console font, registers one dev::console device (console0 on every
// machine we boot) and serves it: writes are drawn, reads deliver what
// dev::keyboard device 0 types (KeyboardLink's thread). A machine without a
// framebuffer never runs it: the loader refuses the manifest's
// `framebuffer` entry, and usrinit goes on without it.
#include <console_font.hpp>
#include <lib/new.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/devregistry.ipc.hpp>
#include <user/manifest.hpp>
#include <user/runtime.hpp>
#include <vesta/ipc/server_loop.hpp>
#include <vesta/ipc/syscall_transport.hpp>

#include "console_device.hpp"
#include "framebuffer_geometry.hpp"
#include "keyboard_link.hpp"
#include "serial/loop_port_host.hpp"
#include "serial/serial_driver.hpp"

VESTA_MANIFEST(R"manifest(# fbcon: the loader grants exactly these, at these slots.
[driver]
name = fbcon
desc = "text console on the firmware's framebuffer (dev::console)"

[capabilities]
0:framebuffer =                   # the pages, with FRAMEBUFFER= in the environment
_:cspace = self
_:vspace = self
_:memory = pages=160              # the cells (up to 128 KiB), page tables, a thread

[services]
devregistry =
devmgr =                          # to open the keyboard (dev::keyboard 0)
)manifest");

using namespace vesta;
using namespace fbcon;
namespace devregistry = proto::sys::devregistry;

namespace {

constexpr uint64_t kFramebuffer = 0; // the slot the manifest names
constexpr uint64_t kBadge = 1;       // console0's endpoint copy

const char* format_name(boot::PixelFormat format) {
    switch (format) {
    case boot::PixelFormat::Rgbx8888: return "RGBX";
    case boot::PixelFormat::Bgrx8888: return "BGRX";
    case boot::PixelFormat::Bitmask: return "bit mask";
    default: return "unknown";
    }
}

// Prints why the console cannot start and ends the driver. Status 0: the
// framebuffer or its description is unusable, and a restart would find the
// same (the supervisor's on-failure policy leaves a status-0 exit alone).
[[noreturn]] void give_up(const char* why, const char* detail) {
    user::print("fbcon: {}{}; no console on the screen\n", why, detail);
    user::exit(0);
}

} // namespace

void main(uint64_t) {
    serial::adopt_console();
    // 1. The framebuffer: its geometry, its pixels, its pages.
    const char* text = user::environment("FRAMEBUFFER");
    const auto geometry = parse_geometry(text);
    if (!geometry.ok()) give_up("FRAMEBUFFER= in the environment: ", message(geometry.error()));
    const FramebufferGeometry& g = geometry.value();
    const auto layout = PixelLayout::make(g.format, g.red_mask, g.green_mask, g.blue_mask);
    if (!layout.ok()) give_up("the framebuffer's pixel format: ", message(layout.error()));
    const user::InvokeResult info = user::invoke(kFramebuffer, FrameLabel::Info);
    if (info.error != Error::None)
        give_up("the framebuffer's pages (slot 0): Page.Info failed: ", error_name(info.error));
    const uint64_t physical = info.words[0], bytes = info.words[1] * kPageSize;
    const auto mapped = user::map_frame(kFramebuffer, rights::kRead | rights::kWrite);
    if (!mapped.ok()) give_up("cannot map the framebuffer: ", error_name(mapped.error()));
    const Surface surface{reinterpret_cast<uint8_t*>(mapped.value() + g.offset), g.width, g.height, g.pitch,
                          layout.value()};
    if (bytes <= g.offset || !surface.check(bytes - g.offset))
        give_up("the framebuffer's geometry does not fit its pages", "");

    // 2. The text grid over it.
    static const Font font{font::kWidth,         font::kHeight,        font::kBytesPerRow, font::kGlyphCount,
                           &font::kGlyphs[0][0], font::kGlyphOfLatin1, font::kReplacement};
    static GlyphRenderer renderer(surface, font);
    uint32_t columns = renderer.grid_columns(), rows = renderer.grid_rows();
    if (columns == 0 || rows == 0) give_up("the framebuffer is smaller than one character cell", "");
    if (columns > TextScreen::kMaxColumns) columns = TextScreen::kMaxColumns;
    if (rows > TextScreen::kMaxRows) rows = TextScreen::kMaxRows;
    auto* cells = static_cast<Cell*>(user::allocate(sizeof(Cell) * columns * rows));
    if (!cells) give_up("no memory for the text cells", "");
    for (size_t i = 0; i < size_t{columns} * rows; ++i) new (&cells[i]) Cell{};
    static TextScreen screen(cells, columns, rows);
    renderer.clear();
    static ipc::ServerLoop loop;
    static serial::LoopPortHost host(loop);
    static ConsoleDevice device(screen, renderer, host);

    // 3. The server: one loop, one held read, the keyboard thread's signals.
    uint64_t endpoint = kNoSlot, signal = kNoSlot;
    if (const Error e = user::create(ObjectType::Endpoint, 0, &endpoint); e != Error::None)
        give_up("no endpoint: ", error_name(e));
    if (const Error e = user::create(ObjectType::Notification, 0, &signal); e != Error::None)
        give_up("no notification: ", error_name(e));
    ipc::ServerOptions options;
    options.endpoint = endpoint;
    options.reply_objects = 2; // the call in hand and the held read
    options.notification = signal;
    if (const Error e = loop.init(options); e != Error::None) give_up("no server loop: ", error_name(e));

    // 4. console0 in the registry.
    const uint64_t registry = user::service(devregistry::kId);
    if (registry == kNoSlot) give_up("no device registry in the start-up block", "");
    const user::InvokeResult copy = user::invoke(user::runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, endpoint,
                                                 rights::kWrite | rights::kGrant, kBadge);
    if (copy.error != Error::None) give_up("cannot copy its endpoint: ", error_name(copy.error));
    ipc::SyscallTransport transport(user::runtime.ipc_buffer);
    auto index = devregistry::new_device(transport, registry, copy.words[0], proto::dev::console::kId);
    user::invoke(user::runtime.cspace, CapabilitySpaceLabel::Delete, copy.words[0]); // the registry has its copy
    if (!index.ok()) {
        user::print("fbcon: the device registry refused console0 (label {:x})\n", index.error().label());
        user::exit(1);
    }
    user::print("fbcon: {}x{} framebuffer at {:x} ({}, {} bytes a line): {}x{} text cells, console{}\n", g.width,
                g.height, physical + g.offset, format_name(g.format), g.pitch, columns, rows, index.value());
    char banner[128];
    BufferSink sink(banner, sizeof(banner));
    format(sink, "Vesta console{}: {} x {} cells on a {} x {} framebuffer\r\n", index.value(), columns, rows, g.width,
           g.height);
    device.show(sink.text());

    // 5. The keyboard.
    static KeyboardLink keyboard;
    const uint64_t devmgr_service = user::service(proto::sys::devmgr::kId);
    if (devmgr_service == kNoSlot)
        user::print("fbcon: no sys::devmgr in the start-up block: console{} has no keyboard\n", index.value());
    else if (const Error e = keyboard.start(devmgr_service, signal); e != Error::None)
        user::print("fbcon: no keyboard thread ({}): console{} has no keyboard\n", error_name(e), index.value());

    uint32_t opens_reported = 0;
    auto pump = [&] {
        uint8_t chunk[ConsoleDevice::InputBuffer::kCapacity];
        while (device.room() > 0) {
            const size_t n = keyboard.take(chunk, device.room() < sizeof(chunk) ? device.room() : sizeof(chunk));
            if (n == 0) break;
            device.type(chunk, n);
        }
        if (const uint32_t opens = keyboard.opens(); opens != opens_reported) {
            user::print(opens_reported == 0 ? "fbcon: console{} reads keyboard0\n"
                                            : "fbcon: console{}: keyboard0 opened again (its driver was restarted)\n",
                        index.value());
            opens_reported = opens;
        }
    };
    const Error stopped = loop.run(
        [&](uint64_t badge, const ipc::Message& request, ipc::Message& reply) {
            if (badge != kBadge) {
                ipc::set_error_reply(reply, Error::InvalidCapability); // not an endpoint this driver handed out
                return;
            }
            proto::dev::console::dispatch(device, request, reply);
            // A read may have made room for what the keyboard thread holds:
            // taken on the next turn of the loop, not while this call is in hand.
            if (keyboard.pending()) user::syscall(Syscall::Signal, signal);
        },
        [&](uint64_t) { pump(); });
    user::print("fbcon: stopped: {}\n", error_name(stopped));
    user::exit(static_cast<uint64_t>(stopped));
}
