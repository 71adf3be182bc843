// userland/shell/line_editor.cpp — line_editor.hpp.
#include "line_editor.hpp"

namespace shell {

namespace {

void put(char* echo, size_t* n, char c) { echo[(*n)++] = c; }
void put(char* echo, size_t* n, const char* text) {
    while (*text) echo[(*n)++] = *text++;
}

void copy_text(char* to, const char* from, size_t capacity) {
    size_t i = 0;
    for (; from[i] && i + 1 < capacity; ++i) to[i] = from[i];
    to[i] = '\0';
}

bool same(const char* a, const char* b) {
    for (; *a && *a == *b; ++a, ++b) {
    }
    return *a == *b;
}

} // namespace

void LineEditor::set_prompt(const char* prompt) { copy_text(prompt_, prompt, sizeof(prompt_)); }

const char* LineEditor::history(size_t newest_first) const {
    if (newest_first >= history_count_) return nullptr;
    return history_[(history_next_ + kHistory - 1 - newest_first) % kHistory];
}

void LineEditor::redraw(char* echo, size_t* n) const {
    put(echo, n, '\r');
    put(echo, n, prompt_);
    put(echo, n, line_);
    put(echo, n, "\x1b[K");
}

void LineEditor::prompt_again(char* echo, size_t* echo_length) const {
    size_t n = 0;
    put(echo, &n, '\r');
    put(echo, &n, prompt_);
    if (!line_done_) put(echo, &n, line_);
    put(echo, &n, "\x1b[K");
    *echo_length = n;
}

void LineEditor::show(const char* text, char* echo, size_t* n) {
    copy_text(line_, text, sizeof(line_));
    length_ = 0;
    while (line_[length_]) ++length_;
    too_long_ = false;
    redraw(echo, n);
}

void LineEditor::remember() {
    if (length_ == 0) return;
    if (history_count_ > 0 && same(history(0), line_)) return;
    copy_text(history_[history_next_], line_, kMaxLine + 1);
    history_next_ = (history_next_ + 1) % kHistory;
    if (history_count_ < kHistory) ++history_count_;
}

void LineEditor::recall(int direction, char* echo, size_t* n) {
    if (direction > 0) { // older
        if (browsing_ >= history_count_) return;
        if (browsing_ == 0) copy_text(draft_, line_, sizeof(draft_));
        ++browsing_;
        show(history(browsing_ - 1), echo, n);
    } else { // newer
        if (browsing_ == 0) return;
        --browsing_;
        show(browsing_ == 0 ? draft_ : history(browsing_ - 1), echo, n);
    }
}

LineEditor::Event LineEditor::feed(uint8_t byte, char* echo, size_t* echo_length) {
    size_t n = 0;
    Event event = Event::None;
    if (line_done_) { // the line of the last Event::Line was read: a new one starts
        line_done_ = false;
        length_ = 0;
        line_[0] = '\0';
    }
    const bool lf_after_cr = after_cr_ && byte == '\n';
    after_cr_ = byte == '\r';
    if (escape_ != Escape::None) {
        if (escape_ == Escape::Started) {
            escape_ = byte == '[' ? Escape::Bracket : byte == 'O' ? Escape::SingleShift : Escape::None;
        } else if (escape_ == Escape::SingleShift) {
            escape_ = Escape::None;
        } else if (byte >= 0x40 && byte <= 0x7e) { // the final byte of ESC [ …
            escape_ = Escape::None;
            if (byte == 'A') recall(+1, echo, &n);
            if (byte == 'B') recall(-1, echo, &n);
        } else if (byte < 0x20 || byte > 0x3f) {
            escape_ = Escape::None; // not a parameter byte: a broken sequence ends here
        }
        *echo_length = n;
        return Event::None;
    }
    if (byte == '\r' || byte == '\n') {
        if (!lf_after_cr) {
            put(echo, &n, "\r\n");
            event = too_long_ ? Event::TooLong : Event::Line;
            if (event == Event::Line) remember();
            browsing_ = 0;
            if (event == Event::TooLong) length_ = 0;
            line_[length_] = '\0';
            too_long_ = false;
        }
        line_done_ = event == Event::Line; // readable until the next feed
        *echo_length = n;
        return event;
    }
    switch (byte) {
    case 0x1b: escape_ = Escape::Started; break;
    case 0x7f:
    case 0x08:
        if (length_ > 0) {
            line_[--length_] = '\0';
            put(echo, &n, "\b \b");
        }
        too_long_ = false;
        break;
    case 0x15: // Ctrl-U
        length_ = 0;
        line_[0] = '\0';
        too_long_ = false;
        redraw(echo, &n);
        break;
    case 0x03: // Ctrl-C
        length_ = 0;
        line_[0] = '\0';
        too_long_ = false;
        browsing_ = 0;
        put(echo, &n, "^C\r\n");
        event = Event::Cancelled;
        break;
    default:
        if (byte < 0x20 || byte > 0x7e) break;
        if (length_ == kMaxLine) {
            if (!too_long_) put(echo, &n, '\a');
            too_long_ = true;
            break;
        }
        line_[length_++] = static_cast<char>(byte);
        line_[length_] = '\0';
        put(echo, &n, static_cast<char>(byte));
        break;
    }
    *echo_length = n;
    return event;
}

} // namespace shell
