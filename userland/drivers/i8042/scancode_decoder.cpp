// userland/drivers/i8042/scancode_decoder.cpp — set-1 scan codes to Linux
// key codes, then to bytes through the shared layout (scancode_decoder.hpp).
#include "scancode_decoder.hpp"

namespace i8042 {

namespace {
constexpr uint8_t kReleased = 0x80;
constexpr uint8_t kFakeLeftShift = 0x2a, kFakeRightShift = 0x36;
} // namespace

uint16_t ScancodeDecoder::key_code(uint8_t code, bool extended) {
    namespace key = keyboard::key;
    if (!extended) return code <= key::kF12 ? code : 0;
    switch (code) {
    case 0x1c: return key::kKeypadEnter;
    case 0x1d: return key::kRightCtrl;
    case 0x35: return key::kKeypadSlash;
    case 0x37: return key::kSysRq; // Print Screen
    case 0x38: return key::kRightAlt;
    case 0x47: return key::kHome;
    case 0x48: return key::kUp;
    case 0x49: return key::kPageUp;
    case 0x4b: return key::kLeft;
    case 0x4d: return key::kRight;
    case 0x4f: return key::kEnd;
    case 0x50: return key::kDown;
    case 0x51: return key::kPageDown;
    case 0x52: return key::kInsert;
    case 0x53: return key::kDelete;
    case 0x5b: return key::kLeftMeta;
    case 0x5c: return key::kRightMeta;
    case 0x5d: return key::kCompose;
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
        if (scancode == 0xaa && !extended_) layout_.key(keyboard::key::kLeftShift, false);
        extended_ = false;
        return 0;
    }
    const bool released = scancode & kReleased;
    const uint8_t code = scancode & ~kReleased;
    const bool extended = extended_;
    extended_ = false;
    if (extended && (code == kFakeLeftShift || code == kFakeRightShift)) return 0; // fake shifts
    const uint16_t key = key_code(code, extended);
    if (key == 0) {
        if (!released) ++unknown_keys_;
        return 0;
    }
    const keyboard::KeyBytes bytes = layout_.key(key, !released);
    if (bytes.outcome == keyboard::KeyOutcome::Unknown) ++unknown_keys_;
    for (size_t i = 0; i < bytes.length; ++i) out[i] = bytes.bytes[i];
    return bytes.length;
}

} // namespace i8042
