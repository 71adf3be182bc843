// Tests of userland/drivers/fbcon/console_device (dev::console through its
// generated dispatch, over the serial tests' fake server loop and pages):
// writes drawn before they are answered, reads held until keys come, one held read at a time,
// a reader that went away, unseekable, the grid's size, malformed requests.
#include <catch2/catch_test_macros.hpp>
#include <console_device.hpp>
#include <console_font.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "serial_fakes.hpp"

namespace {

using namespace fbcon;
using serial_test::FakeHost;
using vesta::Error;
using vesta::MessageTag;
using vesta::boot::PixelFormat;
namespace dev = vesta::proto::dev;

constexpr uint32_t kColumns = 20, kRows = 4;

struct Fixture {
    FakeHost host;
    Font font{font::kWidth,         font::kHeight,        font::kBytesPerRow, font::kGlyphCount,
              &font::kGlyphs[0][0], font::kGlyphOfLatin1, font::kReplacement};
    uint32_t width = kColumns * font::kWidth, height = kRows * font::kHeight, pitch = width * 4 + 12;
    std::vector<uint8_t> pixels = std::vector<uint8_t>(size_t{pitch} * height, 0xee);
    Surface surface{pixels.data(), width, height, pitch, PixelLayout::make(PixelFormat::Bgrx8888, 0, 0, 0).value()};
    GlyphRenderer renderer{surface, font};
    std::vector<Cell> cells = std::vector<Cell>(kColumns * kRows);
    TextScreen screen{cells.data(), kColumns, kRows};
    ConsoleDevice device{screen, renderer, host};
    ipc::Message reply;

    Fixture() { host.capacity = 1; } // fbcon's loop: one Reply object beside the call in hand

    ipc::Message request(uint64_t label, std::initializer_list<uint64_t> words, const ipc::CapList& caps = {}) {
        return serial_test::make_request(label, words, caps);
    }
    uint64_t call(const ipc::Message& message) {
        reply = ipc::Message{};
        dev::console::dispatch(device, message, reply);
        return reply.tag.label();
    }
    uint64_t read(const ipc::CapList& pages, uint64_t buf, uint64_t amt) {
        return call(request(io::file::label::read, {buf, amt}, pages));
    }
    uint64_t write(const ipc::CapList& pages, uint64_t buf, uint64_t amt) {
        return call(request(io::file::label::write, {buf, amt}, pages));
    }
    void type(const std::string& keys) {
        CHECK(device.type(reinterpret_cast<const uint8_t*>(keys.data()), keys.size()) == keys.size());
    }
    std::string row_text(uint32_t row) const {
        std::string text;
        for (uint32_t c = 0; c < kColumns; ++c) text += static_cast<char>(screen.cell(c, row).character);
        return text;
    }
    uint32_t pixel(uint32_t x, uint32_t y) const {
        uint32_t value;
        std::memcpy(&value, pixels.data() + size_t{y} * pitch + size_t{x} * 4, 4);
        return value;
    }
    // Whether cell (column, row) shows character c, white on black (or black on white for the cursor).
    bool drawn(uint32_t column, uint32_t row, char c, bool cursor = false) const {
        const uint8_t* glyph = font::kGlyphs[font::kGlyphOfLatin1[static_cast<uint8_t>(c)]];
        const uint32_t fg = surface.layout.pack(palette(kDefaultForeground));
        const uint32_t bg = surface.layout.pack(palette(kDefaultBackground));
        for (uint32_t y = 0; y < font::kHeight; ++y)
            for (uint32_t x = 0; x < font::kWidth; ++x) {
                const bool set = glyph[y * font::kBytesPerRow + x / 8] >> (7 - x % 8) & 1;
                if (pixel(column * font::kWidth + x, row * font::kHeight + y) != (set != cursor ? fg : bg))
                    return false;
            }
        return true;
    }
    static uint64_t label_of(ipc::Status status) { return status.label(); }
};

const uint64_t kDeferred = ipc::Status(vesta::serial::kDeferredRead).label();

} // namespace

TEST_CASE("console: a write is on the screen, drawn, when it is answered", "[fbcon]") {
    Fixture f;
    const ipc::CapList page = f.host.page_list({5});
    f.host.put(5, 100, "hi\r\nthere");
    REQUIRE(f.write(page, 100, 9) == 0);
    CHECK(f.reply.words[0] == 9);
    CHECK(f.row_text(0).substr(0, 3) == "hi ");
    CHECK(f.row_text(1).substr(0, 6) == "there ");
    CHECK(f.drawn(0, 0, 'h'));
    CHECK(f.drawn(1, 0, 'i'));
    CHECK(f.drawn(4, 1, 'e'));
    CHECK(f.drawn(5, 1, ' ', true)); // the cursor, after "there"
}

TEST_CASE("console: a write across pages, one beyond the pages' end, and refusals", "[fbcon]") {
    Fixture f;
    const ipc::CapList pages = f.host.page_list({1, 2});
    f.host.put(1, FakeHost::kPage - 2, "ab");
    f.host.put(2, 0, "cd");
    REQUIRE(f.write(pages, FakeHost::kPage - 2, 4) == 0);
    CHECK(f.reply.words[0] == 4);
    CHECK(f.row_text(0).substr(0, 4) == "abcd");
    // More than the pages hold: what they hold is drawn and counted.
    REQUIRE(f.write(f.host.page_list({3}), FakeHost::kPage - 3, 100) == 0);
    CHECK(f.reply.words[0] == 3);
    // Nothing to write; no pages; pages that cannot be read.
    REQUIRE(f.write(pages, 0, 0) == 0);
    CHECK(f.reply.words[0] == 0);
    CHECK(f.write({}, 0, 5) == f.label_of(Error::InvalidArgument));
    f.host.unmappable.insert(7);
    CHECK(f.write(f.host.page_list({7}), 0, 5) == f.label_of(Error::InvalidCapability));
    // An escape sequence split across two writes still works.
    f.host.put(1, 0, "\x1b[");
    REQUIRE(f.write(f.host.page_list({1}), 0, 2) == 0);
    f.host.put(1, 0, "2J");
    REQUIRE(f.write(f.host.page_list({1}), 0, 2) == 0);
    CHECK(f.row_text(0) == std::string(kColumns, ' '));
}

TEST_CASE("console: a read returns typed bytes at once, or is held until keys come", "[fbcon]") {
    Fixture f;
    const ipc::CapList page = f.host.page_list({4});
    f.type("ls\r");
    REQUIRE(f.read(page, 10, 2) == 0);
    CHECK(f.reply.words[0] == 2);
    CHECK(f.host.text(4, 10, 2) == "ls");
    REQUIRE(f.read(page, 0, 64) == 0);
    CHECK(f.reply.words[0] == 1);
    CHECK(f.host.text(4, 0, 1) == "\r");
    // Nothing typed: held.
    REQUIRE(f.read(page, 8, 16) == kDeferred);
    CHECK(f.device.read_held());
    CHECK(f.host.answers.empty());
    f.type("\x1b[A");
    REQUIRE(f.host.answers.size() == 1);
    CHECK(f.host.answers.begin()->second.words[0] == 3);
    CHECK(f.host.text(4, 8, 3) == "\x1b[A");
    CHECK_FALSE(f.device.read_held());
    CHECK(f.device.buffered() == 0);
}

TEST_CASE("console: one read waits at a time; a second is io::busy", "[fbcon]") {
    Fixture f;
    f.host.capacity = 5; // the refusal is the console's, not the loop's
    const ipc::CapList a = f.host.page_list({1}), b = f.host.page_list({2});
    REQUIRE(f.read(a, 0, 8) == kDeferred);
    CHECK(f.read(b, 0, 8) == f.label_of(io::busy));
    f.type("x");
    REQUIRE(f.host.answers.size() == 1);
    CHECK(f.host.text(1, 0, 1) == "x");
    // The hold is free again.
    CHECK(f.read(b, 0, 8) == kDeferred);
}

TEST_CASE("console: a held read whose reader went away makes way for the next reader", "[fbcon]") {
    Fixture f;
    f.host.capacity = 5;
    const ipc::CapList a = f.host.page_list({1}), b = f.host.page_list({2});
    REQUIRE(f.read(a, 0, 8) == kDeferred);
    const auto held = *f.host.held.begin();
    CHECK(f.read(b, 0, 8) == f.label_of(io::busy));
    f.host.gone.insert(held); // the console shell was killed while it waited for a key
    REQUIRE(f.read(b, 0, 8) == kDeferred);
    CHECK(f.host.let_go == 1);
    f.type("y");
    REQUIRE(f.host.answers.size() == 1);
    CHECK(f.host.answers.begin()->first != held);
    CHECK(f.host.text(2, 0, 1) == "y");
}

TEST_CASE("console: the loop that can hold no call answers io::busy", "[fbcon]") {
    Fixture f;
    f.host.capacity = 0;
    CHECK(f.read(f.host.page_list({1}), 0, 8) == f.label_of(io::busy));
    CHECK_FALSE(f.device.read_held());
}

TEST_CASE("console: a held reader that went away takes nothing; the next one gets the keys", "[fbcon]") {
    Fixture f;
    const ipc::CapList page = f.host.page_list({1});
    REQUIRE(f.read(page, 0, 8) == kDeferred);
    f.host.gone.insert(*f.host.held.begin());
    f.type("ab");
    CHECK(f.host.answers.empty());
    CHECK_FALSE(f.device.read_held());
    CHECK(f.device.buffered() == 2);
    REQUIRE(f.read(page, 0, 8) == 0);
    CHECK(f.reply.words[0] == 2);
    CHECK(f.host.text(1, 0, 2) == "ab");
}

TEST_CASE("console: a held reader whose pages fail gets the error; the keys stay", "[fbcon]") {
    Fixture f;
    f.host.unmappable.insert(9);
    f.host.pages.emplace(9, std::vector<uint8_t>(FakeHost::kPage));
    REQUIRE(f.read(ipc::CapList{{9}, 1}, 0, 8) == kDeferred);
    f.type("q");
    REQUIRE(f.host.answers.size() == 1);
    CHECK(f.host.answers.begin()->second.tag.label() == f.label_of(Error::InvalidCapability));
    CHECK(f.device.buffered() == 1);
}

TEST_CASE("console: typed bytes beyond the buffer are not taken", "[fbcon]") {
    Fixture f;
    const std::string many(ConsoleDevice::InputBuffer::kCapacity + 10, 'k');
    CHECK(f.device.type(reinterpret_cast<const uint8_t*>(many.data()), many.size()) ==
          ConsoleDevice::InputBuffer::kCapacity);
    CHECK(f.device.room() == 0);
    CHECK(f.device.type(reinterpret_cast<const uint8_t*>("z"), 1) == 0);
    REQUIRE(f.read(f.host.page_list({1}), 0, 100) == 0);
    CHECK(f.device.room() == 100);
}

TEST_CASE("console: reads of nothing, without pages; seek; the grid's size", "[fbcon]") {
    Fixture f;
    REQUIRE(f.read(f.host.page_list({1}), 0, 0) == 0);
    CHECK(f.reply.words[0] == 0);
    CHECK(f.read({}, 0, 4) == f.label_of(Error::InvalidArgument));
    CHECK(f.call(f.request(io::file::label::seek, {0, 0})) == f.label_of(io::unseekable));
    REQUIRE(f.call(f.request(dev::console::label::columns, {})) == 0);
    CHECK(f.reply.words[0] == kColumns);
    REQUIRE(f.call(f.request(dev::console::label::rows, {})) == 0);
    CHECK(f.reply.words[0] == kRows);
}

TEST_CASE("console: malformed requests get error replies and change nothing", "[fbcon]") {
    Fixture f;
    const ipc::CapList page = f.host.page_list({1});
    CHECK(f.call(f.request(dev::console::label::rows + 100, {})) == f.label_of(Error::NotSupported));
    CHECK(f.call(f.request(dev::console::label::columns, {1})) == f.label_of(Error::Malformed));
    CHECK(f.call(f.request(io::file::label::read, {0}, page)) == f.label_of(Error::Malformed));
    CHECK(f.call(f.request(io::file::label::write, {0, 1, 2}, page)) == f.label_of(Error::Malformed));
    CHECK(f.call(f.request(io::file::label::seek, {0, 99})) != 0);
    CHECK_FALSE(f.device.read_held());
    CHECK(f.row_text(0) == std::string(kColumns, ' '));
}
