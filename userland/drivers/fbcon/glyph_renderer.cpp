// userland/drivers/fbcon/glyph_renderer.cpp — cells to pixels (glyph_renderer.hpp).
#include "glyph_renderer.hpp"

namespace fbcon {

namespace {

constexpr Rgb kPalette[16] = {
    {0x00, 0x00, 0x00}, {0xaa, 0x00, 0x00}, {0x00, 0xaa, 0x00}, {0xaa, 0x55, 0x00},
    {0x00, 0x00, 0xaa}, {0xaa, 0x00, 0xaa}, {0x00, 0xaa, 0xaa}, {0xaa, 0xaa, 0xaa},
    {0x55, 0x55, 0x55}, {0xff, 0x55, 0x55}, {0x55, 0xff, 0x55}, {0xff, 0xff, 0x55},
    {0x55, 0x55, 0xff}, {0xff, 0x55, 0xff}, {0x55, 0xff, 0xff}, {0xff, 0xff, 0xff},
};

void store(uint8_t* at, uint32_t pixel) {
    // Byte by byte: a pitch that is not a multiple of 4 leaves rows unaligned.
    at[0] = static_cast<uint8_t>(pixel);
    at[1] = static_cast<uint8_t>(pixel >> 8);
    at[2] = static_cast<uint8_t>(pixel >> 16);
    at[3] = static_cast<uint8_t>(pixel >> 24);
}

} // namespace

Rgb palette(uint8_t index) { return kPalette[index & 15]; }

bool Surface::check(uint64_t size) const {
    if (!pixels || width == 0 || height == 0) return false;
    if (uint64_t{pitch} < uint64_t{width} * 4) return false;
    // The last row ends at (height - 1) × pitch + 4 × width: within size.
    return (uint64_t{height} - 1) * pitch + uint64_t{width} * 4 <= size;
}

void GlyphRenderer::clear() {
    const uint32_t background = surface_.layout.pack(palette(kDefaultBackground));
    for (uint32_t y = 0; y < surface_.height; ++y) {
        uint8_t* row = surface_.pixels + static_cast<size_t>(y) * surface_.pitch;
        for (uint32_t x = 0; x < surface_.width; ++x) store(row + x * 4, background);
    }
}

const uint8_t* GlyphRenderer::glyph(uint16_t character) const {
    const uint16_t index = character <= 0xff ? font_.glyph_of_latin1[character] : font_.replacement;
    const size_t glyph_bytes = static_cast<size_t>(font_.height) * font_.bytes_per_row;
    return font_.glyphs + (index < font_.glyph_count ? index : font_.replacement) * glyph_bytes;
}

void GlyphRenderer::draw_cell(uint32_t column, uint32_t row, const Cell& cell, bool cursor) {
    if (column >= grid_columns() || row >= grid_rows()) return;
    uint32_t foreground = surface_.layout.pack(palette(cell.foreground));
    uint32_t background = surface_.layout.pack(palette(cell.background));
    if (cursor) {
        const uint32_t swapped = foreground;
        foreground = background;
        background = swapped;
    }
    const uint8_t* bits = glyph(cell.character);
    for (uint32_t y = 0; y < font_.height; ++y) {
        uint8_t* line = surface_.pixels + static_cast<size_t>(row * font_.height + y) * surface_.pitch +
                        static_cast<size_t>(column) * font_.width * 4;
        const uint8_t* glyph_row = bits + y * font_.bytes_per_row;
        for (uint32_t x = 0; x < font_.width; ++x) {
            const bool set = glyph_row[x / 8] >> (7 - x % 8) & 1;
            store(line + x * 4, set ? foreground : background);
        }
    }
}

void GlyphRenderer::render(const TextScreen& screen, const TextScreen::Damage& damage) {
    const uint32_t rows = screen.rows() < grid_rows() ? screen.rows() : grid_rows();
    const uint32_t columns = screen.columns() < grid_columns() ? screen.columns() : grid_columns();
    for (uint32_t row = 0; row < rows; ++row) {
        if (!damage.row(row)) continue;
        for (uint32_t column = 0; column < columns; ++column) {
            const bool cursor =
                screen.cursor_visible() && row == screen.cursor_row() && column == screen.cursor_column();
            draw_cell(column, row, screen.cell(column, row), cursor);
        }
    }
}

} // namespace fbcon
