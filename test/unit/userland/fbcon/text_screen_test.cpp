// Tests of userland/drivers/fbcon/text_screen: printable text, wrapping,
// scrolling, control characters, the escape sequences the shell uses,
// UTF-8, damage, and that no byte stream escapes the grid.
#include <catch2/catch_test_macros.hpp>
#include <string>
#include <text_screen.hpp>
#include <vector>

using namespace fbcon;

namespace {

struct Screen {
    std::vector<Cell> cells;
    TextScreen screen;
    Screen(uint32_t columns, uint32_t rows) : cells(size_t{columns} * rows), screen(cells.data(), columns, rows) {}
    std::string row(uint32_t r) const {
        std::string text;
        for (uint32_t c = 0; c < screen.columns(); ++c) {
            const uint16_t ch = screen.cell(c, r).character;
            text += ch == kReplacement ? '#' : static_cast<char>(ch);
        }
        return text;
    }
};

} // namespace

TEST_CASE("fbcon text: characters go at the cursor and CR LF starts the next line") {
    Screen s(10, 3);
    s.screen.write("ab\r\ncd");
    CHECK(s.row(0) == "ab        ");
    CHECK(s.row(1) == "cd        ");
    CHECK(s.screen.cursor_column() == 2);
    CHECK(s.screen.cursor_row() == 1);
    s.screen.write("\n");
    CHECK(s.screen.cursor_column() == 2); // LF alone keeps the column
}

TEST_CASE("fbcon text: a full line wraps only when the next character comes") {
    Screen s(4, 3);
    s.screen.write("abcd");
    CHECK(s.screen.cursor_row() == 0);
    CHECK(s.screen.cursor_column() == 3);
    s.screen.write("\r\n");
    CHECK(s.screen.cursor_row() == 1); // no blank line after a line of exactly 4
    s.screen.write("efghi");
    CHECK(s.row(1) == "efgh");
    CHECK(s.row(2) == "i   ");
}

TEST_CASE("fbcon text: the bottom line feeds scroll the screen up with a blank row") {
    Screen s(3, 2);
    s.screen.write("1\r\n2\r\n3");
    CHECK(s.row(0) == "2  ");
    CHECK(s.row(1) == "3  ");
    for (int i = 0; i < 1000; ++i) s.screen.write("\r\nx");
    CHECK(s.row(0) == "x  ");
    CHECK(s.screen.cursor_row() == 1);
    auto damage = s.screen.take_damage();
    CHECK(damage.row(0));
    CHECK(damage.row(1));
    CHECK_FALSE(s.screen.take_damage().any());
}

TEST_CASE("fbcon text: backspace, tab and ignored controls") {
    Screen s(20, 2);
    s.screen.write("abc\b\bX");
    CHECK(s.row(0).substr(0, 3) == "aXc");
    s.screen.write("\r\b\b\x07\x7f");
    CHECK(s.screen.cursor_column() == 0);
    s.screen.write("\t");
    CHECK(s.screen.cursor_column() == 8);
    s.screen.write("\t\t\t\t");
    CHECK(s.screen.cursor_column() == 19); // clamped to the last column
}

TEST_CASE("fbcon text: cursor movement and positioning are clamped to the screen") {
    Screen s(10, 5);
    s.screen.write("\x1b[3;4H");
    CHECK(s.screen.cursor_row() == 2);
    CHECK(s.screen.cursor_column() == 3);
    s.screen.write("\x1b[A\x1b[2C");
    CHECK(s.screen.cursor_row() == 1);
    CHECK(s.screen.cursor_column() == 5);
    s.screen.write("\x1b[99B\x1b[99D");
    CHECK(s.screen.cursor_row() == 4);
    CHECK(s.screen.cursor_column() == 0);
    s.screen.write("\x1b[99999;99999H");
    CHECK(s.screen.cursor_row() == 4);
    CHECK(s.screen.cursor_column() == 9);
    s.screen.write("\x1b[H");
    CHECK(s.screen.cursor_row() == 0);
    CHECK(s.screen.cursor_column() == 0);
}

TEST_CASE("fbcon text: erase line and display") {
    Screen s(6, 3);
    s.screen.write("abcdef\r\nghijkl\r\nmnopqr");
    s.screen.write("\x1b[2;3H\x1b[K");
    CHECK(s.row(1) == "gh    ");
    s.screen.write("\x1b[1K");
    CHECK(s.row(1) == "      ");
    s.screen.write("\x1b[1;3H\x1b[1J");
    CHECK(s.row(0) == "   def");
    s.screen.write("\x1b[J");
    CHECK(s.row(0) == "      ");
    CHECK(s.row(2) == "      ");
    s.screen.write("zz\x1b[2J");
    CHECK(s.row(0) == "      ");
}

TEST_CASE("fbcon text: colours, bold and reverse") {
    Screen s(10, 1);
    s.screen.write("\x1b[31;44ma\x1b[1mb\x1b[7mc\x1b[0md\x1b[92;101me\x1b[39;49mf");
    CHECK(s.screen.cell(0, 0) == Cell{'a', 1, 4});
    CHECK(s.screen.cell(1, 0) == Cell{'b', 9, 4});
    CHECK(s.screen.cell(2, 0) == Cell{'c', 4, 9});
    CHECK(s.screen.cell(3, 0) == Cell{'d', kDefaultForeground, kDefaultBackground});
    CHECK(s.screen.cell(4, 0) == Cell{'e', 10, 9});
    CHECK(s.screen.cell(5, 0) == Cell{'f', kDefaultForeground, kDefaultBackground});
}

TEST_CASE("fbcon text: cursor visibility, reset, unknown and malformed sequences") {
    Screen s(8, 2);
    s.screen.write("\x1b[?25l");
    CHECK_FALSE(s.screen.cursor_visible());
    s.screen.write("\x1b[?25h");
    CHECK(s.screen.cursor_visible());
    s.screen.write("\x1b[5n\x1b)0\x1b[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20mA");
    CHECK(s.row(0) == "A       "); // consumed, nothing shown
    s.screen.write("\x1b[12\x18"
                   "B"); // CAN abandons the sequence; B is printed
    CHECK(s.row(0) == "AB      ");
    s.screen.write("\x1b"
                   "c");
    CHECK(s.row(0) == "        ");
    CHECK(s.screen.cursor_column() == 0);
}

TEST_CASE("fbcon text: UTF-8 is decoded to Latin-1, the rest shows the replacement") {
    Screen s(10, 1);
    s.screen.write("\xc3\xa9\xe2\x82\xac\xc0\xaf\xc3(\x80");
    CHECK(s.screen.cell(0, 0).character == 0xe9);
    CHECK(s.screen.cell(1, 0).character == kReplacement); // €: beyond Latin-1
    CHECK(s.screen.cell(2, 0).character == kReplacement); // overlong
    CHECK(s.screen.cell(3, 0).character == kReplacement); // cut short by '('
    CHECK(s.screen.cell(4, 0).character == '(');
    CHECK(s.screen.cell(5, 0).character == kReplacement); // stray continuation
}

TEST_CASE("fbcon text: no byte stream moves the cursor off the grid") {
    Screen s(7, 3);
    uint32_t state = 12345;
    for (int i = 0; i < 200000; ++i) {
        state = state * 1103515245 + 12345;
        const char alphabet[] = "\x1b[;?0123456789ABCDHJKfmhlc\r\n\b\t\x18\xc3\xa9 xyz";
        const uint8_t byte = static_cast<uint8_t>(alphabet[(state >> 16) % (sizeof(alphabet) - 1)]);
        s.screen.write(&byte, 1);
        REQUIRE(s.screen.cursor_column() < 7);
        REQUIRE(s.screen.cursor_row() < 3);
    }
}
