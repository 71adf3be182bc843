// userland/drivers/fbcon/glyph_renderer.hpp — draws a TextScreen's cells
// into a 32-bit framebuffer with a bitmap font. Portable: the driver gives
// it the mapped framebuffer, host tests a buffer.
//
// Contracts:
// - A Surface is `width` × `height` pixels of 4 bytes, `pitch` bytes from
//   one row to the next (pitch ≥ 4 × width; any larger value, aligned or
//   not to the pixel, is honoured). Surface::check refuses the others.
// - A Font's glyph g is `height` rows of `bytes_per_row` bytes, most
//   significant bit leftmost; a set bit is foreground. Characters map to
//   glyphs through glyph_of_latin1 (kReplacement uses `replacement`).
// - The grid is as many whole cells as fit (grid_columns/grid_rows); the
//   strip right of and below it keeps the background colour.
// - render() draws exactly the rows the damage names (the cursor's cell
//   drawn with foreground and background swapped when it is visible), so
//   a screen that did not change costs nothing.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "pixel_format.hpp"
#include "text_screen.hpp"

namespace fbcon {

struct Font {
    uint32_t width;         // pixels, 1 … 32
    uint32_t height;        // pixels, 1 … 64
    uint32_t bytes_per_row; // (width + 7) / 8
    uint32_t glyph_count;
    const uint8_t* glyphs;           // glyph_count × height × bytes_per_row bytes
    const uint16_t* glyph_of_latin1; // 256 entries, each < glyph_count
    uint16_t replacement;            // < glyph_count
};

struct Surface {
    uint8_t* pixels;
    uint32_t width;
    uint32_t height;
    uint32_t pitch;
    PixelLayout layout;

    // Whether the geometry is drawable in `size` bytes (pitch, overflow).
    bool check(uint64_t size) const;
};

// The 16-colour palette (VGA's values).
Rgb palette(uint8_t index);

class GlyphRenderer {
public:
    GlyphRenderer(const Surface& surface, const Font& font) : surface_(surface), font_(font) {}

    uint32_t grid_columns() const { return surface_.width / font_.width; }
    uint32_t grid_rows() const { return surface_.height / font_.height; }

    // Fills the whole surface with the background colour.
    void clear();
    void render(const TextScreen& screen, const TextScreen::Damage& damage);
    void draw_cell(uint32_t column, uint32_t row, const Cell& cell, bool cursor);

private:
    const uint8_t* glyph(uint16_t character) const;

    Surface surface_;
    Font font_;
};

} // namespace fbcon
