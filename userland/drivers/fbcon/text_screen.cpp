// userland/drivers/fbcon/text_screen.cpp — cells, cursor and the escape
// parser of the framebuffer console (text_screen.hpp).
#include "text_screen.hpp"

namespace fbcon {

namespace {

constexpr uint8_t kEscape = 0x1b;
constexpr uint32_t kMaxParameterValue = 9999;
constexpr uint32_t kTabWidth = 8;

uint32_t clamp(uint32_t value, uint32_t low, uint32_t high) { return value < low ? low : value > high ? high : value; }

} // namespace

bool TextScreen::Damage::any() const {
    for (uint64_t word : rows)
        if (word) return true;
    return false;
}

TextScreen::TextScreen(Cell* cells, uint32_t columns, uint32_t rows)
    : cells_(cells), columns_(clamp(columns, 1, kMaxColumns)), rows_(clamp(rows, 1, kMaxRows)) {
    reset();
}

void TextScreen::reset() {
    top_ = column_ = row_ = 0;
    wrap_pending_ = false;
    cursor_visible_ = true;
    foreground_ = kDefaultForeground;
    background_ = kDefaultBackground;
    bold_ = reverse_ = false;
    state_ = State::Ground;
    utf8_remaining_ = 0;
    for (uint32_t r = 0; r < rows_; ++r) erase(r, 0, columns_);
    mark_all();
}

Cell& TextScreen::at(uint32_t column, uint32_t row) { return cells_[(top_ + row) % rows_ * columns_ + column]; }

const Cell& TextScreen::cell(uint32_t column, uint32_t row) const {
    return cells_[(top_ + row) % rows_ * columns_ + column];
}

void TextScreen::mark_all() {
    for (uint32_t r = 0; r < rows_; ++r) mark(r);
}

TextScreen::Damage TextScreen::take_damage() {
    Damage taken = damage_;
    damage_ = Damage{};
    return taken;
}

Cell TextScreen::blank() const {
    Cell cell;
    cell.background = reverse_ ? foreground_ : background_;
    cell.foreground = reverse_ ? background_ : foreground_;
    return cell;
}

void TextScreen::erase(uint32_t row, uint32_t from, uint32_t to) {
    const Cell empty = blank();
    for (uint32_t c = from; c < to && c < columns_; ++c) at(c, row) = empty;
    mark(row);
}

void TextScreen::move_cursor(uint32_t column, uint32_t row) {
    mark(row_);
    column_ = column < columns_ ? column : columns_ - 1;
    row_ = row < rows_ ? row : rows_ - 1;
    wrap_pending_ = false;
    mark(row_);
}

void TextScreen::scroll_up() {
    top_ = (top_ + 1) % rows_;
    erase(rows_ - 1, 0, columns_);
    mark_all();
}

void TextScreen::line_feed() {
    mark(row_);
    if (row_ + 1 < rows_)
        ++row_;
    else
        scroll_up();
    wrap_pending_ = false;
    mark(row_);
}

void TextScreen::put(uint16_t character) {
    if (wrap_pending_) {
        column_ = 0;
        line_feed();
    }
    uint8_t foreground = bold_ && foreground_ < 8 ? static_cast<uint8_t>(foreground_ + 8) : foreground_;
    uint8_t background = background_;
    if (reverse_) {
        const uint8_t swapped = foreground;
        foreground = background;
        background = swapped;
    }
    at(column_, row_) = Cell{character, foreground, background};
    mark(row_);
    if (column_ + 1 < columns_)
        ++column_;
    else
        wrap_pending_ = true;
}

void TextScreen::control(uint8_t byte) {
    switch (byte) {
    case '\r': move_cursor(0, row_); break;
    case '\n': line_feed(); break;
    case '\b':
        if (column_ > 0) move_cursor(column_ - 1, row_);
        break;
    case '\t': move_cursor((column_ / kTabWidth + 1) * kTabWidth, row_); break;
    default: break; // BEL and the other C0 controls: nothing to show
    }
}

void TextScreen::write(const char* text) {
    size_t length = 0;
    while (text[length]) ++length;
    write(reinterpret_cast<const uint8_t*>(text), length);
}

void TextScreen::write(const uint8_t* bytes, size_t length) {
    for (size_t i = 0; i < length; ++i) {
        const uint8_t byte = bytes[i];
        switch (state_) {
        case State::Ground: ground_byte(byte); break;
        case State::Escape:
            if (byte == '[') {
                state_ = State::Csi;
                parameter_count_ = 0;
                parameters_[0] = 0;
                private_marker_ = false;
            } else if (byte == 'c') {
                reset();
            } else if (byte == kEscape || (byte >= 0x20 && byte <= 0x2f)) {
                // another ESC starts the sequence again; an intermediate
                // (ESC ( 0 …) waits for its final byte
            } else {
                state_ = State::Ground; // an unsupported escape: consumed
            }
            break;
        case State::Csi: csi_byte(byte); break;
        }
    }
}

void TextScreen::ground_byte(uint8_t byte) {
    if (utf8_remaining_ > 0) {
        if ((byte & 0xc0) == 0x80) {
            utf8_value_ = utf8_value_ << 6 | (byte & 0x3f);
            if (--utf8_remaining_ == 0) {
                const bool valid = utf8_value_ >= utf8_minimum_;
                put(valid && utf8_value_ <= 0xff ? static_cast<uint16_t>(utf8_value_) : kReplacement);
            }
            return;
        }
        utf8_remaining_ = 0; // a sequence cut short shows as one replacement
        put(kReplacement);
    }
    if (byte == kEscape) {
        state_ = State::Escape;
    } else if (byte < 0x20 || byte == 0x7f) {
        control(byte);
    } else if (byte < 0x80) {
        put(byte);
    } else if ((byte & 0xe0) == 0xc0) {
        utf8_value_ = byte & 0x1f, utf8_remaining_ = 1, utf8_minimum_ = 0x80;
    } else if ((byte & 0xf0) == 0xe0) {
        utf8_value_ = byte & 0x0f, utf8_remaining_ = 2, utf8_minimum_ = 0x800;
    } else if ((byte & 0xf8) == 0xf0) {
        utf8_value_ = byte & 0x07, utf8_remaining_ = 3, utf8_minimum_ = 0x10000;
    } else {
        put(kReplacement); // a continuation byte or 0xf8–0xff out of place
    }
}

void TextScreen::csi_byte(uint8_t byte) {
    if (byte >= '0' && byte <= '9') {
        uint32_t& value = parameters_[parameter_count_ < kMaxParameters ? parameter_count_ : kMaxParameters - 1];
        value = value * 10 + (byte - '0');
        if (value > kMaxParameterValue) value = kMaxParameterValue;
    } else if (byte == ';') {
        if (parameter_count_ + 1 < kMaxParameters) parameters_[++parameter_count_] = 0;
    } else if (byte == '?') {
        private_marker_ = true;
    } else if (byte >= 0x40 && byte <= 0x7e) {
        ++parameter_count_;
        state_ = State::Ground;
        csi_final(byte);
    } else if (byte == kEscape) {
        state_ = State::Escape;
    } else if (byte == 0x18 || byte == 0x1a) {
        state_ = State::Ground; // CAN, SUB: the sequence is abandoned
    } else if (byte < 0x20) {
        control(byte); // C0 controls act inside a sequence too
    }
    // intermediates (0x20–0x2f) and other bytes: part of a sequence we ignore
}

uint32_t TextScreen::parameter(size_t index, uint32_t fallback) const {
    if (index >= parameter_count_ || parameters_[index] == 0) return fallback;
    return parameters_[index];
}

void TextScreen::csi_final(uint8_t final) {
    if (private_marker_) {
        if (parameter(0, 0) == 25 && (final == 'h' || final == 'l')) {
            cursor_visible_ = final == 'h';
            mark(row_);
        }
        return;
    }
    const uint32_t n = parameter(0, 1);
    switch (final) {
    case 'A': move_cursor(column_, row_ > n ? row_ - n : 0); break;
    case 'B': move_cursor(column_, row_ + n); break;
    case 'C': move_cursor(column_ + n, row_); break;
    case 'D': move_cursor(column_ > n ? column_ - n : 0, row_); break;
    case 'H':
    case 'f': move_cursor(parameter(1, 1) - 1, n - 1); break;
    case 'J': {
        const uint32_t mode = parameters_[0];
        if (mode == 0) {
            erase(row_, column_, columns_);
            for (uint32_t r = row_ + 1; r < rows_; ++r) erase(r, 0, columns_);
        } else if (mode == 1) {
            for (uint32_t r = 0; r < row_; ++r) erase(r, 0, columns_);
            erase(row_, 0, column_ + 1);
        } else if (mode == 2) {
            for (uint32_t r = 0; r < rows_; ++r) erase(r, 0, columns_);
        }
        break;
    }
    case 'K': {
        const uint32_t mode = parameters_[0];
        if (mode == 0) erase(row_, column_, columns_);
        if (mode == 1) erase(row_, 0, column_ + 1);
        if (mode == 2) erase(row_, 0, columns_);
        break;
    }
    case 'm': select_graphic_rendition(); break;
    default: break; // not a sequence the console implements
    }
}

void TextScreen::select_graphic_rendition() {
    for (size_t i = 0; i < parameter_count_; ++i) {
        const uint32_t p = parameters_[i];
        if (p == 0) {
            foreground_ = kDefaultForeground, background_ = kDefaultBackground;
            bold_ = reverse_ = false;
        } else if (p == 1) {
            bold_ = true;
        } else if (p == 22) {
            bold_ = false;
        } else if (p == 7) {
            reverse_ = true;
        } else if (p == 27) {
            reverse_ = false;
        } else if (p >= 30 && p <= 37) {
            foreground_ = static_cast<uint8_t>(p - 30);
        } else if (p >= 90 && p <= 97) {
            foreground_ = static_cast<uint8_t>(p - 90 + 8);
        } else if (p == 39) {
            foreground_ = kDefaultForeground;
        } else if (p >= 40 && p <= 47) {
            background_ = static_cast<uint8_t>(p - 40);
        } else if (p >= 100 && p <= 107) {
            background_ = static_cast<uint8_t>(p - 100 + 8);
        } else if (p == 49) {
            background_ = kDefaultBackground;
        }
    }
}

} // namespace fbcon
