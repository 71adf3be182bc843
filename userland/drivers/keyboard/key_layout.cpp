// userland/drivers/keyboard/key_layout.cpp — Linux key codes to terminal
// bytes, US layout (key_layout.hpp).
#include "key_layout.hpp"

namespace keyboard {

namespace {

// Characters of key codes 0–88 (the set-1 make codes), unshifted and
// shifted; 0: no character.
constexpr char kPlain[89] = {
    0,   0x1b, '1', '2', '3', '4', '5', '6', '7',  '8', '9', '0',  '-',  '=', 0x7f, '\t', // 00–0f
    'q', 'w',  'e', 'r', 't', 'y', 'u', 'i', 'o',  'p', '[', ']',  '\r', 0,   'a',  's',  // 10–1f
    'd', 'f',  'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,   '\\', 'z',  'x', 'c',  'v',  // 20–2f
    'b', 'n',  'm', ',', '.', '/', 0,   '*', 0,    ' ', 0,   0,    0,    0,   0,    0,    // 30–3f
    0,   0,    0,   0,   0,   0,   0,   '7', '8',  '9', '-', '4',  '5',  '6', '+',  '1',  // 40–4f
    '2', '3',  '0', '.', 0,   0,   0,   0,   0,                                           // 50–58
};
constexpr char kShifted[89] = {
    0,   0x1b, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_',  '+', 0x7f, '\t', // 00–0f
    'Q', 'W',  'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r', 0,   'A',  'S',  // 10–1f
    'D', 'F',  'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,   '|', 'Z',  'X', 'C',  'V',  // 20–2f
    'B', 'N',  'M', '<', '>', '?', 0,   '*', 0,   ' ', 0,   0,   0,    0,   0,    0,    // 30–3f
    0,   0,    0,   0,   0,   0,   0,   '7', '8', '9', '-', '4', '5',  '6', '+',  '1',  // 40–4f
    '2', '3',  '0', '.', 0,   0,   0,   0,   0,                                         // 50–58
};

KeyBytes typed(const char* text) {
    KeyBytes result;
    result.outcome = KeyOutcome::Typed;
    while (text[result.length] && result.length < kMaxKeyBytes) {
        result.bytes[result.length] = static_cast<uint8_t>(text[result.length]);
        ++result.length;
    }
    return result;
}

KeyBytes modifier() {
    KeyBytes result;
    result.outcome = KeyOutcome::Modifier;
    return result;
}

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The keys beyond the table that type a fixed sequence; nullptr: none.
const char* sequence(uint16_t code) {
    switch (code) {
    case key::kKeypadEnter: return "\r";
    case key::kKeypadSlash: return "/";
    case key::kUp: return "\x1b[A";
    case key::kDown: return "\x1b[B";
    case key::kRight: return "\x1b[C";
    case key::kLeft: return "\x1b[D";
    case key::kHome: return "\x1b[H";
    case key::kEnd: return "\x1b[F";
    case key::kDelete: return "\x1b[3~";
    default: return nullptr;
    }
}

} // namespace

KeyBytes KeyLayout::key(uint16_t code, bool pressed) {
    switch (code) {
    case key::kLeftShift: left_shift_ = pressed; return modifier();
    case key::kRightShift: right_shift_ = pressed; return modifier();
    case key::kLeftCtrl: left_control_ = pressed; return modifier();
    case key::kRightCtrl: right_control_ = pressed; return modifier();
    case key::kLeftAlt: left_alt_ = pressed; return modifier();
    case key::kRightAlt: right_alt_ = pressed; return modifier();
    case key::kCapsLock:
        if (pressed) caps_lock_ = !caps_lock_;
        return modifier();
    default: break;
    }
    if (!pressed) return KeyBytes{};
    if (const char* text = sequence(code)) return typed(text);
    if (code >= sizeof(kPlain)) return KeyBytes{KeyOutcome::Unknown, 0, {}};
    char c = shift() ? kShifted[code] : kPlain[code];
    if (c == 0) return KeyBytes{KeyOutcome::Unknown, 0, {}};
    if (caps_lock_ && is_letter(c)) c = static_cast<char>(c ^ 0x20);
    if (control()) {
        const char upper = c >= 'a' && c <= 'z' ? static_cast<char>(c - 0x20) : c;
        if (upper >= '@' && upper <= '_') c = static_cast<char>(upper - '@');
    }
    KeyBytes result;
    result.outcome = KeyOutcome::Typed;
    result.length = 1;
    result.bytes[0] = static_cast<uint8_t>(c);
    return result;
}

} // namespace keyboard
