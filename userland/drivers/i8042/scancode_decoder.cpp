// userland/drivers/i8042/scancode_decoder.cpp — set-1 scan codes to bytes,
// US layout (scancode_decoder.hpp).
#include "scancode_decoder.hpp"

namespace i8042 {

namespace {

// Characters of make codes 0x00–0x58, unshifted and shifted; 0: no character.
constexpr char kPlain[0x59] = {
    0,   0x1b, '1', '2', '3', '4', '5', '6', '7',  '8', '9', '0',  '-',  '=', 0x7f, '\t', // 00–0f
    'q', 'w',  'e', 'r', 't', 'y', 'u', 'i', 'o',  'p', '[', ']',  '\r', 0,   'a',  's',  // 10–1f
    'd', 'f',  'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,   '\\', 'z',  'x', 'c',  'v',  // 20–2f
    'b', 'n',  'm', ',', '.', '/', 0,   '*', 0,    ' ', 0,   0,    0,    0,   0,    0,    // 30–3f
    0,   0,    0,   0,   0,   0,   0,   '7', '8',  '9', '-', '4',  '5',  '6', '+',  '1',  // 40–4f
    '2', '3',  '0', '.', 0,   0,   0,   0,   0,                                           // 50–58
};
constexpr char kShifted[0x59] = {
    0,   0x1b, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_',  '+', 0x7f, '\t', // 00–0f
    'Q', 'W',  'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r', 0,   'A',  'S',  // 10–1f
    'D', 'F',  'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,   '|', 'Z',  'X', 'C',  'V',  // 20–2f
    'B', 'N',  'M', '<', '>', '?', 0,   '*', 0,   ' ', 0,   0,   0,    0,   0,    0,    // 30–3f
    0,   0,    0,   0,   0,   0,   0,   '7', '8', '9', '-', '4', '5',  '6', '+',  '1',  // 40–4f
    '2', '3',  '0', '.', 0,   0,   0,   0,   0,                                         // 50–58
};

constexpr uint8_t kLeftShift = 0x2a, kRightShift = 0x36, kControl = 0x1d, kAlt = 0x38, kCapsLock = 0x3a;
constexpr uint8_t kReleased = 0x80;

size_t sequence(uint8_t (&out)[ScancodeDecoder::kMaxOutput], const char* bytes) {
    size_t n = 0;
    while (bytes[n] && n < ScancodeDecoder::kMaxOutput) {
        out[n] = static_cast<uint8_t>(bytes[n]);
        ++n;
    }
    return n;
}

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

} // namespace

size_t ScancodeDecoder::extended(uint8_t code, bool released, uint8_t (&out)[kMaxOutput]) {
    switch (code) {
    case kControl: right_control_ = !released; return 0;
    case kAlt: alt_ = !released; return 0;
    case kLeftShift:
    case kRightShift: return 0; // fake shifts around extended keys
    default: break;
    }
    if (released) return 0;
    switch (code) {
    case 0x1c: return sequence(out, "\r");      // keypad Enter
    case 0x35: return sequence(out, "/");       // keypad /
    case 0x48: return sequence(out, "\x1b[A");  // up
    case 0x50: return sequence(out, "\x1b[B");  // down
    case 0x4d: return sequence(out, "\x1b[C");  // right
    case 0x4b: return sequence(out, "\x1b[D");  // left
    case 0x47: return sequence(out, "\x1b[H");  // Home
    case 0x4f: return sequence(out, "\x1b[F");  // End
    case 0x53: return sequence(out, "\x1b[3~"); // Delete
    default: return 0;
    }
}

size_t ScancodeDecoder::feed(uint8_t scancode, uint8_t (&out)[kMaxOutput]) {
    if (pause_bytes_ > 0) {
        --pause_bytes_;
        return 0;
    }
    if (scancode == 0xe1) {
        pause_bytes_ = 5; // 1D 45 E1 9D C5
        extended_ = false;
        return 0;
    }
    if (scancode == 0xe0) {
        extended_ = true;
        return 0;
    }
    if (scancode == 0x00 || scancode == 0xff || scancode == 0xfa || scancode == 0xfe || scancode == 0xaa) {
        // 0xAA is also Left Shift's break code: release it to be safe.
        if (scancode == 0xaa && !extended_) left_shift_ = false;
        extended_ = false;
        return 0;
    }
    const bool released = scancode & kReleased;
    const uint8_t code = scancode & ~kReleased;
    if (extended_) {
        extended_ = false;
        return extended(code, released, out);
    }
    switch (code) {
    case kLeftShift: left_shift_ = !released; return 0;
    case kRightShift: right_shift_ = !released; return 0;
    case kControl: left_control_ = !released; return 0;
    case kAlt: alt_ = !released; return 0;
    case kCapsLock:
        if (!released) caps_lock_ = !caps_lock_;
        return 0;
    default: break;
    }
    if (released || code >= sizeof(kPlain)) return 0;
    char c = shift() ? kShifted[code] : kPlain[code];
    if (c == 0) return 0;
    if (caps_lock_ && is_letter(c)) c = static_cast<char>(c ^ 0x20);
    if (control()) {
        const char upper = c >= 'a' && c <= 'z' ? static_cast<char>(c - 0x20) : c;
        if (upper >= '@' && upper <= '_') c = static_cast<char>(upper - '@');
    }
    out[0] = static_cast<uint8_t>(c);
    return 1;
}

} // namespace i8042
