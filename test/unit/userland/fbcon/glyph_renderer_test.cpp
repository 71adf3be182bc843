// Tests of userland/drivers/fbcon/{glyph_renderer,pixel_format}: glyphs
// land on their cells exactly (with the real console font and a made-up
// odd-sized one), both pixel formats and bit masks, odd strides, the
// cursor, damage-limited drawing, and refused geometry and masks.
#include <catch2/catch_test_macros.hpp>
#include <console_font.hpp>
#include <cstring>
#include <glyph_renderer.hpp>
#include <vector>

using namespace fbcon;
using vesta::boot::PixelFormat;

namespace {

PixelLayout layout(PixelFormat format, uint32_t r = 0, uint32_t g = 0, uint32_t b = 0) {
    auto made = PixelLayout::make(format, r, g, b);
    REQUIRE(made.ok());
    return made.value();
}

Font console_font() {
    return Font{font::kWidth,         font::kHeight,        font::kBytesPerRow, font::kGlyphCount,
                &font::kGlyphs[0][0], font::kGlyphOfLatin1, font::kReplacement};
}

struct Framebuffer {
    std::vector<uint8_t> bytes;
    Surface surface;
    Framebuffer(uint32_t width, uint32_t height, uint32_t pitch, PixelLayout pixels)
        : bytes(size_t{pitch} * height + 16, 0xee), surface{bytes.data(), width, height, pitch, pixels} {}
    uint32_t pixel(uint32_t x, uint32_t y) const {
        uint32_t value;
        std::memcpy(&value, bytes.data() + size_t{y} * surface.pitch + size_t{x} * 4, 4);
        return value;
    }
};

// Whether cell (column, row) shows `glyph_bytes` in foreground `fg` on `bg`.
bool shows(const Framebuffer& fb, const Font& f, uint32_t column, uint32_t row, const uint8_t* glyph_bytes, uint32_t fg,
           uint32_t bg) {
    for (uint32_t y = 0; y < f.height; ++y)
        for (uint32_t x = 0; x < f.width; ++x) {
            const bool set = glyph_bytes[y * f.bytes_per_row + x / 8] >> (7 - x % 8) & 1;
            if (fb.pixel(column * f.width + x, row * f.height + y) != (set ? fg : bg)) return false;
        }
    return true;
}

const uint8_t* console_glyph(char c) { return font::kGlyphs[font::kGlyphOfLatin1[static_cast<uint8_t>(c)]]; }

} // namespace

TEST_CASE("fbcon pixels: RGBX, BGRX and bit masks place each channel") {
    CHECK(layout(PixelFormat::Rgbx8888).pack({0x11, 0x22, 0x33}) == 0x332211);
    CHECK(layout(PixelFormat::Bgrx8888).pack({0x11, 0x22, 0x33}) == 0x112233);
    const auto rgb565 = layout(PixelFormat::Bitmask, 0xf800, 0x07e0, 0x001f);
    CHECK(rgb565.pack({0xff, 0xff, 0xff}) == 0xffff);
    CHECK(rgb565.pack({0x80, 0x00, 0x08}) == 0x8001);
    CHECK(rgb565.unpack(0x8001) == Rgb{0x80, 0x00, 0x08});
}

TEST_CASE("fbcon pixels: formats and masks that cannot be drawn are refused") {
    CHECK(PixelLayout::make(PixelFormat::None, 0, 0, 0).error() == FormatError::NoFramebuffer);
    CHECK(PixelLayout::make(static_cast<PixelFormat>(9), 0, 0, 0).error() == FormatError::UnknownFormat);
    CHECK(PixelLayout::make(PixelFormat::Bitmask, 0, 0xff00, 0xff).error() == FormatError::EmptyMask);
    CHECK(PixelLayout::make(PixelFormat::Bitmask, 0xf0f, 0xf000, 0xf0).error() == FormatError::SplitMask);
    CHECK(PixelLayout::make(PixelFormat::Bitmask, 0x3ff, 0xffc00, 0x3ff00000).error() == FormatError::WideMask);
    CHECK(PixelLayout::make(PixelFormat::Bitmask, 0xff, 0x1f8, 0xff0000).error() == FormatError::OverlappingMask);
    CHECK(std::strlen(message(FormatError::SplitMask)) > 0);
}

TEST_CASE("fbcon render: the console font's glyphs land on their cells, both formats, odd stride") {
    for (PixelFormat format : {PixelFormat::Rgbx8888, PixelFormat::Bgrx8888}) {
        const PixelLayout pixels = layout(format);
        Framebuffer fb(8 * 10 + 3, 16 * 3 + 5, (8 * 10 + 3) * 4 + 3, pixels); // odd pitch, a strip right and below
        const Font f = console_font();
        GlyphRenderer renderer(fb.surface, f);
        REQUIRE(renderer.grid_columns() == 10);
        REQUIRE(renderer.grid_rows() == 3);
        std::vector<Cell> cells(30);
        TextScreen screen(cells.data(), 10, 3);
        renderer.clear();
        screen.write("Hi\r\n\x1b[32mok");
        renderer.render(screen, screen.take_damage());
        const uint32_t fg = pixels.pack(palette(kDefaultForeground)), bg = pixels.pack(palette(kDefaultBackground));
        const uint32_t green = pixels.pack(palette(2));
        CHECK(shows(fb, f, 0, 0, console_glyph('H'), fg, bg));
        CHECK(shows(fb, f, 1, 0, console_glyph('i'), fg, bg));
        CHECK(shows(fb, f, 0, 1, console_glyph('o'), green, bg));
        CHECK(shows(fb, f, 1, 1, console_glyph('k'), green, bg));
        CHECK(shows(fb, f, 2, 1, console_glyph(' '), bg, fg)); // the cursor: colours swapped
        CHECK(shows(fb, f, 5, 2, console_glyph(' '), fg, bg));
        CHECK(fb.pixel(8 * 10 + 2, 0) == bg);      // the strip right of the grid
        CHECK(fb.pixel(0, 16 * 3 + 4) == bg);      // and below it
        CHECK(fb.bytes[(8 * 10 + 3) * 4] == 0xee); // the pitch's padding is not drawn
    }
}

TEST_CASE("fbcon render: an odd-sized font and only the damaged rows") {
    // A 3×5 font of three glyphs: 0 blank, 1 a box, 2 a diagonal.
    const uint8_t glyphs[3][5] = {{0, 0, 0, 0, 0}, {0xe0, 0xa0, 0xa0, 0xa0, 0xe0}, {0x80, 0x40, 0x20, 0x40, 0x80}};
    uint16_t map[256] = {};
    map['#'] = 1;
    map['/'] = 2;
    const Font f{3, 5, 1, 3, &glyphs[0][0], map, 2};
    const PixelLayout pixels = layout(PixelFormat::Bitmask, 0xf800, 0x07e0, 0x001f);
    Framebuffer fb(3 * 4, 5 * 2, 3 * 4 * 4, pixels);
    GlyphRenderer renderer(fb.surface, f);
    std::vector<Cell> cells(8);
    TextScreen screen(cells.data(), 4, 2);
    renderer.clear();
    screen.write("#\xe2\x82\xac\x1b[?25l"); // € is beyond Latin-1: the replacement glyph
    renderer.render(screen, screen.take_damage());
    const uint32_t fg = pixels.pack(palette(kDefaultForeground)), bg = pixels.pack(palette(kDefaultBackground));
    CHECK(shows(fb, f, 0, 0, glyphs[1], fg, bg));
    CHECK(shows(fb, f, 1, 0, glyphs[2], fg, bg));
    CHECK(shows(fb, f, 2, 0, glyphs[0], fg, bg)); // hidden cursor: not drawn
    // Row 1 changes behind the renderer's back; undamaged, it is not redrawn.
    std::memset(fb.bytes.data() + 5 * fb.surface.pitch, 0x5a, 4);
    screen.write("\x1b[1;4H#");
    renderer.render(screen, screen.take_damage());
    CHECK(shows(fb, f, 3, 0, glyphs[1], fg, bg));
    CHECK(fb.bytes[5 * fb.surface.pitch] == 0x5a);
}

TEST_CASE("fbcon render: surfaces whose rows do not fit are refused") {
    const PixelLayout pixels = layout(PixelFormat::Rgbx8888);
    uint8_t byte = 0;
    CHECK(Surface{&byte, 640, 480, 2560, pixels}.check(2560 * 480));
    CHECK_FALSE(Surface{&byte, 640, 480, 2560, pixels}.check(2560 * 480 - 1));
    CHECK_FALSE(Surface{&byte, 640, 480, 2559, pixels}.check(1u << 30)); // pitch below 4 × width
    CHECK_FALSE(Surface{&byte, 0, 480, 2560, pixels}.check(1u << 30));
    CHECK_FALSE(Surface{nullptr, 640, 480, 2560, pixels}.check(1u << 30));
    CHECK_FALSE(Surface{&byte, 0xffffffff, 0xffffffff, 0xffffffff, pixels}.check(~uint64_t{0} >> 1));
}
