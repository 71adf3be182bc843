// Tests of userland/drivers/i8042/scancode_decoder: set-1 scan codes to the
// bytes a terminal sends, with Shift, Ctrl and Caps Lock, extended keys,
// prefixes and the controller's replies.
#include <catch2/catch_test_macros.hpp>
#include <initializer_list>
#include <scancode_decoder.hpp>
#include <string>

using i8042::ScancodeDecoder;

namespace {

std::string type(ScancodeDecoder& decoder, std::initializer_list<uint8_t> codes) {
    std::string typed;
    for (uint8_t code : codes) {
        uint8_t out[ScancodeDecoder::kMaxOutput];
        const size_t n = decoder.feed(code, out);
        REQUIRE(n <= ScancodeDecoder::kMaxOutput);
        typed.append(reinterpret_cast<const char*>(out), n);
    }
    return typed;
}

} // namespace

TEST_CASE("i8042 keys: letters, digits and punctuation type on make codes only") {
    ScancodeDecoder d;
    CHECK(type(d, {0x23, 0xa3, 0x17, 0x97}) == "hi");
    CHECK(type(d, {0x02, 0x0b, 0x0c, 0x0d, 0x1a, 0x1b, 0x27, 0x28, 0x29, 0x2b, 0x33, 0x34, 0x35, 0x39}) ==
          "10-=[];'`\\,./ ");
    CHECK(type(d, {0x1c, 0x0e, 0x0f, 0x01}) == "\r\x7f\t\x1b");
    CHECK(type(d, {0x1e, 0x1e, 0x1e, 0x9e}) == "aaa"); // typematic repeats are make codes
}

TEST_CASE("i8042 keys: Shift, Caps Lock and their combination") {
    ScancodeDecoder d;
    CHECK(type(d, {0x2a, 0x1e, 0x03, 0x27, 0xaa, 0x1e}) == "A@:a");
    CHECK(type(d, {0x36, 0x35, 0xb6, 0x35}) == "?/");
    CHECK(type(d, {0x3a, 0xba, 0x1e, 0x02}) == "A1"); // Caps Lock: letters only
    CHECK(d.caps_lock());
    CHECK(type(d, {0x2a, 0x1e, 0xaa}) == "a"); // Shift undoes Caps Lock for letters
    CHECK(type(d, {0x3a, 0xba, 0x1e}) == "a");
    CHECK_FALSE(d.caps_lock());
}

TEST_CASE("i8042 keys: Ctrl makes control characters, either Ctrl key") {
    ScancodeDecoder d;
    CHECK(type(d, {0x1d, 0x2e, 0x16, 0x9d}) == "\x03\x15"); // Ctrl-C, Ctrl-U
    CHECK(type(d, {0xe0, 0x1d, 0x20, 0xe0, 0x9d, 0x20}) == "\x04"
                                                           "d"); // right Ctrl-D, then d
    CHECK(type(d, {0x1d, 0x02, 0x9d}) == "1");                   // Ctrl-1: no control character
    CHECK_FALSE(d.control());
}

TEST_CASE("i8042 keys: extended keys, keypad and fake shifts") {
    ScancodeDecoder d;
    CHECK(type(d, {0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x50, 0xe0, 0x4d, 0xe0, 0x4b}) == "\x1b[A\x1b[B\x1b[C\x1b[D");
    CHECK(type(d, {0xe0, 0x47, 0xe0, 0x4f, 0xe0, 0x53}) == "\x1b[H\x1b[F\x1b[3~");
    CHECK(type(d, {0xe0, 0x1c, 0xe0, 0x35, 0x47, 0x4e, 0x37}) == "\r/7+*");
    CHECK(type(d, {0xe0, 0x2a, 0xe0, 0x48, 0xe0, 0xaa, 0x1e}) == "\x1b[Aa"); // fake shift changes nothing
    CHECK_FALSE(d.shift());
    CHECK(type(d, {0x3b, 0x58, 0xe0, 0x5b}) == ""); // F1, F12, the Windows key
}

TEST_CASE("i8042 keys: Pause, controller replies and stray bytes leave no state") {
    ScancodeDecoder d;
    CHECK(type(d, {0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5, 0x1e}) == "a");
    CHECK(type(d, {0xfa, 0xfe, 0x00, 0xff, 0xaa, 0x30}) == "b");
    CHECK_FALSE(d.control());
    // Out-of-table codes; a doubled prefix marks only the next byte (E0 1E is no key).
    CHECK(type(d, {0x7f, 0xd9, 0xe0, 0xe0, 0x1e, 0x1e}) == "a");
}
