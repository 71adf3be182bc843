// userland/shell/line_editor.hpp — the shell's line editing: what a typed
// byte does to the line and what goes back to the terminal (portable: the
// host tests drive it byte by byte, test/unit/userland/shell/).
//
// The terminal is a raw serial line: nothing is echoed unless the editor
// says so. Keys:
//   printable ASCII (0x20-0x7e)  appended and echoed, while the line has room;
//                                 past kMaxLine bytes the line is marked too
//                                 long (a BEL is echoed) and Enter reports it
//   Enter (CR, LF, or CR LF)      ends the line: Event::Line (Event::TooLong
//                                 for an over-long one); echo CR LF
//   Backspace (DEL 0x7f, BS 0x08) removes the last byte: "\b \b"
//   Ctrl-U (0x15)                 erases the whole line
//   Ctrl-C (0x03)                 drops the line: echo "^C" CR LF, Event::Cancelled
//   Up / Down (ESC [ A, ESC [ B)  the previous / next line of the history
//                                 (kHistory lines; Down past the newest gives
//                                 back the line being typed)
// Other control bytes, bytes above 0x7e and other escape sequences (ESC [
// parameters final-byte, ESC O x) are ignored. A line enters the history
// when it ends (Event::Line), unless it is empty or repeats the newest entry.
//
// Redrawing a line (history, Ctrl-U) echoes CR, the prompt, the line and
// ESC [ K (erase to the end of the screen line).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace shell {

class LineEditor {
public:
    static constexpr size_t kMaxLine = 200; // bytes of a command line
    static constexpr size_t kHistory = 16;
    static constexpr size_t kMaxPrompt = 32;
    // The most one byte can echo: a redraw.
    static constexpr size_t kMaxEcho = kMaxPrompt + kMaxLine + 8;

    enum class Event : uint8_t { None, Line, TooLong, Cancelled };

    // The prompt a redraw prints (at most kMaxPrompt - 1 bytes are kept).
    void set_prompt(const char* prompt);
    const char* prompt() const { return prompt_; }

    // One typed byte. Writes what to send back to `echo` (room for kMaxEcho
    // bytes) and sets *echo_length. After Event::Line, line() is the line
    // (NUL-terminated) until the next feed.
    Event feed(uint8_t byte, char* echo, size_t* echo_length);

    // The prompt and the line being typed (nothing after a finished line)
    // drawn again over the current screen line (CR first, erase after: the
    // same whether or not the prompt is already there), after something else
    // was printed (the terminal came back after its driver's restart). Up
    // to kMaxEcho bytes.
    void prompt_again(char* echo, size_t* echo_length) const;

    const char* line() const { return line_; }
    size_t length() const { return length_; }
    // Lines in the history, and the i-th newest (0 = newest), or nullptr.
    size_t history_count() const { return history_count_; }
    const char* history(size_t newest_first) const;

private:
    enum class Escape : uint8_t { None, Started, Bracket, SingleShift };
    void redraw(char* echo, size_t* n) const;
    void show(const char* text, char* echo, size_t* n); // replaces the line with `text` and redraws
    void remember();
    void recall(int direction, char* echo, size_t* n);

    char prompt_[kMaxPrompt] = {'>', ' ', '\0'};
    char line_[kMaxLine + 1] = {};
    size_t length_ = 0;
    bool too_long_ = false;
    bool line_done_ = false; // Event::Line was returned: the next feed starts a new line
    bool after_cr_ = false;  // the byte before was CR: a LF right after it is part of the same Enter
    Escape escape_ = Escape::None;
    char history_[kHistory][kMaxLine + 1] = {};
    size_t history_count_ = 0;
    size_t history_next_ = 0; // where the next line goes (a ring)
    size_t browsing_ = 0;     // 0: the line being typed; k: the k-th newest entry shown
    char draft_[kMaxLine + 1] = {};
};

} // namespace shell
