// Tests of the shell's line editing (userland/shell/line_editor.cpp): what
// each key does to the line and what is echoed back to the raw terminal.
#include <catch2/catch_test_macros.hpp>
#include <string>

#include "line_editor.hpp"

using shell::LineEditor;
using Event = LineEditor::Event;

namespace {

struct Typed {
    std::string echo;
    Event last = Event::None;
};

Typed type(LineEditor& editor, const std::string& keys) {
    Typed typed;
    for (char key : keys) {
        char echo[LineEditor::kMaxEcho];
        size_t n = 0;
        typed.last = editor.feed(static_cast<uint8_t>(key), echo, &n);
        REQUIRE(n <= LineEditor::kMaxEcho);
        typed.echo.append(echo, n);
    }
    return typed;
}

} // namespace

TEST_CASE("printable keys are echoed and Enter ends the line", "[shell]") {
    LineEditor editor;
    const Typed typed = type(editor, "ls /\r");
    CHECK(typed.last == Event::Line);
    CHECK(typed.echo == "ls /\r\n");
    CHECK(std::string(editor.line()) == "ls /");
    CHECK(editor.length() == 4);
    // CR LF is one Enter; the next key starts a new line.
    CHECK(type(editor, "\n").last == Event::None);
    CHECK(type(editor, "x\n").last == Event::Line);
    CHECK(std::string(editor.line()) == "x");
}

TEST_CASE("backspace and DEL rub out one byte, never past the start", "[shell]") {
    LineEditor editor;
    const Typed typed = type(editor, "ab\x7f\bc\x7f\x7f\x7f"
                                     "d\r");
    CHECK(std::string(editor.line()) == "d");
    CHECK(typed.echo == "ab\b \b\b \bc\b \bd\r\n");
}

TEST_CASE("Ctrl-U erases the line and redraws the prompt", "[shell]") {
    LineEditor editor;
    editor.set_prompt("vesta> ");
    const Typed typed = type(editor, "hello\x15");
    CHECK(editor.length() == 0);
    CHECK(typed.echo == "hello\rvesta> \x1b[K");
    CHECK(type(editor, "ps\r").last == Event::Line);
    CHECK(std::string(editor.line()) == "ps");
}

TEST_CASE("Ctrl-C drops the line", "[shell]") {
    LineEditor editor;
    const Typed typed = type(editor, "spin\x03");
    CHECK(typed.last == Event::Cancelled);
    CHECK(typed.echo == "spin^C\r\n");
    CHECK(editor.length() == 0);
    CHECK(editor.history_count() == 0);
}

TEST_CASE("a line longer than the buffer is refused whole, with one BEL", "[shell]") {
    LineEditor editor;
    const std::string line(LineEditor::kMaxLine + 20, 'a');
    const Typed typed = type(editor, line + "\r");
    CHECK(typed.last == Event::TooLong);
    CHECK(typed.echo == std::string(LineEditor::kMaxLine, 'a') + "\a\r\n");
    CHECK(editor.length() == 0);
    CHECK(editor.history_count() == 0);
    CHECK(type(editor, "ok\r").last == Event::Line); // the next line is fine
    CHECK(std::string(editor.line()) == "ok");
}

TEST_CASE("Up and Down walk the history and come back to the line being typed", "[shell]") {
    LineEditor editor;
    editor.set_prompt("> ");
    type(editor, "one\rtwo\rtwo\rthree\r\r");
    REQUIRE(editor.history_count() == 3); // the repeated and the empty line are not kept
    CHECK(std::string(editor.history(0)) == "three");
    CHECK(std::string(editor.history(2)) == "one");
    CHECK(editor.history(3) == nullptr);
    type(editor, "dra");
    Typed typed = type(editor, "\x1b[A");
    CHECK(std::string(editor.line()) == "three");
    CHECK(typed.echo == "\r> three\x1b[K");
    type(editor, "\x1b[A\x1b[A\x1b[A\x1b[A"); // past the oldest: stays there
    CHECK(std::string(editor.line()) == "one");
    type(editor, "\x1b[B");
    CHECK(std::string(editor.line()) == "two");
    type(editor, "\x1b[B\x1b[B");
    CHECK(std::string(editor.line()) == "dra");
    type(editor, "\x1b[B");
    CHECK(std::string(editor.line()) == "dra");
    CHECK(type(editor, "\x1b[A\r").last == Event::Line);
    CHECK(std::string(editor.line()) == "three");
}

TEST_CASE("the history keeps the newest kHistory lines", "[shell]") {
    LineEditor editor;
    for (size_t i = 0; i < LineEditor::kHistory + 5; ++i) type(editor, "line" + std::to_string(i) + "\r");
    REQUIRE(editor.history_count() == LineEditor::kHistory);
    CHECK(std::string(editor.history(0)) == "line" + std::to_string(LineEditor::kHistory + 4));
    CHECK(std::string(editor.history(LineEditor::kHistory - 1)) == "line5");
}

TEST_CASE("other escape sequences and control bytes are ignored", "[shell]") {
    LineEditor editor;
    const Typed typed = type(editor, "a\x1b[C\x1b[1;5D\x1bOP\x01\x02\x80\xff"
                                     "b\r");
    CHECK(std::string(editor.line()) == "ab");
    CHECK(typed.echo == "ab\r\n");
}

TEST_CASE("prompt_again shows the prompt and the line being typed, nothing after a finished line", "[shell]") {
    LineEditor editor;
    editor.set_prompt("vesta> ");
    auto again = [&] {
        char echo[LineEditor::kMaxEcho];
        size_t n = 99;
        editor.prompt_again(echo, &n);
        REQUIRE(n <= LineEditor::kMaxEcho);
        return std::string(echo, n);
    };
    CHECK(again() == "\rvesta> \x1b[K");
    type(editor, "ls /b");
    CHECK(again() == "\rvesta> ls /b\x1b[K");
    type(editor, "in\r");
    CHECK(std::string(editor.line()) == "ls /bin"); // still readable
    CHECK(again() == "\rvesta> \x1b[K");
    type(editor, "x");
    CHECK(again() == "\rvesta> x\x1b[K");
    type(editor, "\x03"); // Ctrl-C drops it
    CHECK(again() == "\rvesta> \x1b[K");
}
