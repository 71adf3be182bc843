// Tests of userland/drivers/keyboard/key_layout: Linux input key codes (what
// virtio-input reports) to the bytes a terminal sends, US layout — the same
// bytes the i8042 decoder produces for the same keys (checked side by side).
#include <catch2/catch_test_macros.hpp>
#include <initializer_list>
#include <string>
#include <utility>

#include "i8042/scancode_decoder.hpp"
#include "key_layout.hpp"

using keyboard::KeyLayout;
using keyboard::KeyOutcome;
namespace key = keyboard::key;

namespace {

// Each pair: a key code and 1 (press), 0 (release) or 2 (repeat, as
// virtio-input reports them).
std::string type(KeyLayout& layout, std::initializer_list<std::pair<uint16_t, int>> events) {
    std::string typed;
    for (const auto& [code, value] : events) {
        const keyboard::KeyBytes bytes = layout.key(code, value != 0);
        REQUIRE(bytes.length <= keyboard::kMaxKeyBytes);
        if (bytes.outcome != KeyOutcome::Typed) REQUIRE(bytes.length == 0);
        typed.append(reinterpret_cast<const char*>(bytes.bytes), bytes.length);
    }
    return typed;
}

constexpr uint16_t kH = 35, kI = 23, kC = 46, k2 = 3, kSlash = 53;

} // namespace

TEST_CASE("key layout: letters on presses and repeats, nothing on releases") {
    KeyLayout layout;
    CHECK(type(layout, {{kH, 1}, {kH, 0}, {kI, 1}, {kI, 2}, {kI, 2}, {kI, 0}}) == "hiii");
    CHECK(type(layout, {{key::kEnter, 1}, {key::kBackspace, 1}, {key::kTab, 1}, {key::kEscape, 1}, {key::kSpace, 1}}) ==
          "\r\x7f\t\x1b ");
}

TEST_CASE("key layout: Shift, Caps Lock, Ctrl and Alt") {
    KeyLayout layout;
    CHECK(type(layout, {{key::kLeftShift, 1}, {key::kA, 1}, {k2, 1}, {key::kLeftShift, 0}, {key::kA, 1}}) == "A@a");
    CHECK(type(layout, {{key::kRightShift, 1}, {kSlash, 1}, {key::kRightShift, 0}, {kSlash, 1}}) == "?/");
    CHECK(type(layout, {{key::kCapsLock, 1}, {key::kCapsLock, 0}, {key::kA, 1}, {k2, 1}}) == "A2");
    CHECK(layout.caps_lock());
    CHECK(type(layout, {{key::kLeftShift, 1}, {key::kA, 1}, {key::kLeftShift, 0}, {key::kCapsLock, 1}}) == "a");
    CHECK(!layout.caps_lock());
    CHECK(type(layout, {{key::kLeftCtrl, 1}, {kC, 1}, {key::kLeftCtrl, 0}, {key::kRightCtrl, 1}, {key::kA, 1}}) ==
          "\x03\x01");
    CHECK(type(layout, {{key::kLeftShift, 1}, {k2, 1}}) == std::string(1, '\0')); // Ctrl-@ is NUL
    CHECK(type(layout, {{key::kLeftShift, 0}, {key::kRightCtrl, 0}, {key::kLeftAlt, 1}, {key::kA, 1}}) == "a");
    CHECK(layout.alt());
    CHECK(type(layout, {{key::kLeftAlt, 0}, {key::kRightAlt, 1}, {key::kRightAlt, 0}}) == "");
    CHECK(!layout.alt());
}

TEST_CASE("key layout: arrows, Home, End, Delete and the keypad") {
    KeyLayout layout;
    CHECK(type(layout, {{key::kUp, 1}, {key::kDown, 1}, {key::kRight, 1}, {key::kLeft, 1}}) ==
          "\x1b[A\x1b[B\x1b[C\x1b[D");
    CHECK(type(layout, {{key::kHome, 1}, {key::kEnd, 1}, {key::kDelete, 1}, {key::kDelete, 0}}) ==
          "\x1b[H\x1b[F\x1b[3~");
    CHECK(type(layout, {{key::kKeypadEnter, 1}, {key::kKeypadSlash, 1}, {71, 1}, {key::kKeypadDot, 1}, {55, 1}}) ==
          "\r/7.*");
}

TEST_CASE("key layout: keys that type nothing are Unknown, modifiers are not") {
    KeyLayout layout;
    CHECK(layout.key(key::kF1, true).outcome == KeyOutcome::Unknown);
    CHECK(layout.key(key::kF1, false).outcome == KeyOutcome::Released);
    CHECK(layout.key(key::kPageUp, true).outcome == KeyOutcome::Unknown);
    CHECK(layout.key(key::kLeftMeta, true).outcome == KeyOutcome::Unknown);
    CHECK(layout.key(0x2ff, true).outcome == KeyOutcome::Unknown); // beyond every table
    CHECK(layout.key(0xffff, true).outcome == KeyOutcome::Unknown);
    CHECK(layout.key(key::kLeftShift, true).outcome == KeyOutcome::Modifier);
    CHECK(layout.key(key::kCapsLock, false).outcome == KeyOutcome::Modifier);
    CHECK(layout.key(key::kA, true).outcome == KeyOutcome::Typed);
}

TEST_CASE("key layout: the US rows by Linux key code, plain and shifted") {
    // Written from the keyboard, not from the layout's tables.
    struct Row {
        uint16_t first;
        const char* plain;
        const char* shifted;
    };
    const Row rows[] = {
        {2, "1234567890-=", "!@#$%^&*()_+"},
        {16, "qwertyuiop[]", "QWERTYUIOP{}"},
        {30, "asdfghjkl;'`", "ASDFGHJKL:\"~"},
        {43, "\\zxcvbnm,./", "|ZXCVBNM<>?"},
        {55, "*", "*"},
        {57, " ", " "},
        {71, "789-456+1230.", "789-456+1230."},
    };
    for (const Row& row : rows) {
        for (size_t i = 0; row.plain[i]; ++i) {
            const auto code = static_cast<uint16_t>(row.first + i);
            CAPTURE(code);
            KeyLayout plain, shifted;
            CHECK(type(plain, {{code, 1}}) == std::string(1, row.plain[i]));
            CHECK(type(shifted, {{key::kLeftShift, 1}, {code, 1}}) == std::string(1, row.shifted[i]));
        }
    }
}

TEST_CASE("key layout: the i8042 decoder's set-1 codes, plain and E0, reach the layout's keys") {
    // Both drivers share the layout: each set-1 make code (plain and
    // E0-extended) through the decoder types what its Linux key code types
    // through the layout, under each modifier state. What the bytes are is
    // checked above and by the i8042 decoder's own tests.
    for (int modifiers = 0; modifiers < 8; ++modifiers) {
        for (int extended = 0; extended < 2; ++extended) {
            for (uint8_t code = 1; code < 0x80; ++code) {
                if (code == 0x2a || code == 0x36 || code == 0x1d || code == 0x3a || code == 0x38) continue; // modifiers
                const uint16_t linux_code = i8042::ScancodeDecoder::key_code(code, extended);
                if (linux_code == 0) continue;
                i8042::ScancodeDecoder decoder;
                KeyLayout layout;
                uint8_t out[i8042::ScancodeDecoder::kMaxOutput];
                if (modifiers & 1) {
                    decoder.feed(0x2a, out);
                    layout.key(key::kLeftShift, true);
                }
                if (modifiers & 2) {
                    decoder.feed(0x1d, out);
                    layout.key(key::kLeftCtrl, true);
                }
                if (modifiers & 4) {
                    decoder.feed(0x3a, out);
                    layout.key(key::kCapsLock, true);
                }
                if (extended) decoder.feed(0xe0, out);
                const size_t n = decoder.feed(code, out);
                const keyboard::KeyBytes bytes = layout.key(linux_code, true);
                CAPTURE(modifiers, extended, code, linux_code);
                CHECK(std::string(reinterpret_cast<const char*>(out), n) ==
                      std::string(reinterpret_cast<const char*>(bytes.bytes), bytes.length));
            }
        }
    }
}
