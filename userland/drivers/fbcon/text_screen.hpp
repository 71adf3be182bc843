// userland/drivers/fbcon/text_screen.hpp — the framebuffer console's text:
// a grid of character cells, a cursor, and the byte stream that drives
// them (printable UTF-8, control characters and the ANSI escape sequences
// the shell uses). Portable and host-tested; the renderer
// (glyph_renderer.hpp) turns the cells into pixels.
//
// The byte stream (docs/framebuffer-console.md has the table):
// - Printable characters go at the cursor, which moves right; at the right
//   edge the wrap is deferred until the next printable character (as on a
//   VT100/xterm), so a line of exactly `columns` characters does not leave
//   an empty line behind. UTF-8 is decoded; code points above U+00FF and
//   malformed sequences show as U+FFFD (kReplacement).
// - CR: column 0. LF: next row (no carriage return: io::file is a byte
//   stream and the shell sends CR LF). At the bottom the screen scrolls up
//   one row and the new row is blank. BS: one column left (not past 0);
//   TAB: next multiple of 8; BEL, other C0 controls and DEL: ignored.
// - ESC [ params final: A/B/C/D cursor up/down/forward/back by n (default
//   1, clamped to the screen); H and f: row;column (1-based, default 1;1,
//   clamped); J: erase below (0), above (1) or all (2); K: erase to the
//   right (0), to the left (1) or the line (2); m: SGR 0 reset, 1 bold
//   (bright foreground), 22 normal, 7 reverse, 27 not reversed, 30–37/90–97
//   foreground, 39 default, 40–47/100–107 background, 49 default;
//   ESC [ ? 25 h / l: show / hide the cursor. ESC c resets the screen.
//   Parameters are at most 16, each at most 9999 (larger saturate); any
//   other sequence is consumed and ignored. Nothing a writer sends can move
//   the cursor or write outside the grid.
// - Damage: every cell whose contents or cursor state changed is in a
//   dirty row until take_damage() hands the set over; a scroll marks
//   every row dirty.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace fbcon {

// A 16-colour palette index: 0–7 the normal ANSI colours, 8–15 bright.
inline constexpr uint8_t kDefaultForeground = 7;
inline constexpr uint8_t kDefaultBackground = 0;
inline constexpr uint16_t kReplacement = 0xFFFD;

struct Cell {
    uint16_t character = ' '; // Latin-1 code point, or kReplacement
    uint8_t foreground = kDefaultForeground;
    uint8_t background = kDefaultBackground;
    bool operator==(const Cell&) const = default;
};

class TextScreen {
public:
    static constexpr uint32_t kMaxColumns = 256;
    static constexpr uint32_t kMaxRows = 128;
    static constexpr size_t kMaxParameters = 16;

    // A screen of `columns` × `rows` cells (each 1 … kMax*; larger values
    // are clamped) stored in `cells`, which must hold columns × rows cells.
    TextScreen(Cell* cells, uint32_t columns, uint32_t rows);

    void write(const uint8_t* bytes, size_t length);
    void write(const char* text);

    uint32_t columns() const { return columns_; }
    uint32_t rows() const { return rows_; }
    uint32_t cursor_column() const { return column_; }
    uint32_t cursor_row() const { return row_; }
    bool cursor_visible() const { return cursor_visible_; }
    // The cell at (column, row) of the visible screen; both in range.
    const Cell& cell(uint32_t column, uint32_t row) const;

    // Rows changed since the last call, as a bit per row (bit r of word
    // r / 64), and clears them.
    struct Damage {
        uint64_t rows[kMaxRows / 64] = {};
        bool row(uint32_t r) const { return rows[r / 64] >> (r % 64) & 1; }
        bool any() const;
    };
    Damage take_damage();

private:
    enum class State : uint8_t { Ground, Escape, Csi };

    Cell& at(uint32_t column, uint32_t row);
    void mark(uint32_t row) { damage_.rows[row / 64] |= uint64_t{1} << (row % 64); }
    void mark_all();
    void move_cursor(uint32_t column, uint32_t row); // clamped; marks old and new rows
    void put(uint16_t character);
    void line_feed();
    void scroll_up();
    void erase(uint32_t row, uint32_t from, uint32_t to); // columns [from, to)
    void reset();
    void ground_byte(uint8_t byte);
    void control(uint8_t byte);
    void csi_byte(uint8_t byte);
    void csi_final(uint8_t final);
    void select_graphic_rendition();
    uint32_t parameter(size_t index, uint32_t fallback) const;
    Cell blank() const;

    Cell* cells_;
    uint32_t columns_;
    uint32_t rows_;
    uint32_t top_ = 0; // the stored row shown as row 0 (scrolling moves it, not the cells)
    uint32_t column_ = 0;
    uint32_t row_ = 0;
    bool wrap_pending_ = false;
    bool cursor_visible_ = true;
    uint8_t foreground_ = kDefaultForeground;
    uint8_t background_ = kDefaultBackground;
    bool bold_ = false;
    bool reverse_ = false;
    State state_ = State::Ground;
    uint32_t parameters_[kMaxParameters] = {};
    size_t parameter_count_ = 0;
    bool private_marker_ = false;
    uint32_t utf8_value_ = 0;
    uint8_t utf8_remaining_ = 0;
    uint32_t utf8_minimum_ = 0;
    Damage damage_;
};

} // namespace fbcon
