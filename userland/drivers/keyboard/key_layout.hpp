// userland/drivers/keyboard/key_layout.hpp — what a key types on a US
// layout, from Linux input key codes (the codes virtio-input reports, and
// what set-1 scan codes translate to: codes 1–88 are the set-1 make codes
// themselves). Shared by every keyboard driver (i8042 through its
// ScancodeDecoder, virtio-input directly), portable and host-tested.
//
// Contracts (protocols/dev/keyboard.ipc names the bytes):
// - key(code, pressed) is told every press (also the keyboard's repeats)
//   and every release; it writes 0 to kMaxKeyBytes bytes, only on presses.
// - Modifiers: Shift (either) gives the shifted character; Caps Lock
//   (toggled on its press) swaps the case of letters only; Ctrl (either)
//   turns @, a–z, [, \, ], ^, _ into the control characters 0x00–0x1f
//   (Ctrl-C is 0x03) and leaves other keys alone; Alt (either) is tracked
//   and ignored.
// - Keys: Enter and keypad Enter CR; Backspace DEL (0x7f); Tab; Esc 0x1b;
//   arrows ESC [ A/B/C/D, Home ESC [ H, End ESC [ F, Delete ESC [ 3 ~;
//   keypad digits and operators as characters (Num Lock is not modelled).
// - The outcome says what the key was: Typed (bytes written), Modifier (a
//   modifier or lock changed state), Released (a release: nothing), or
//   Unknown (a press of a key that types nothing on this layout: function
//   keys, Page Up, codes beyond the table — drivers count those in
//   dev::keyboard.dropped).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace keyboard {

inline constexpr size_t kMaxKeyBytes = 4;

// Linux input key codes (include/uapi/linux/input-event-codes.h) that the
// layout and the drivers name.
namespace key {
inline constexpr uint16_t kEscape = 1, kBackspace = 14, kTab = 15, kEnter = 28, kLeftCtrl = 29, kA = 30,
                          kLeftShift = 42, kRightShift = 54, kLeftAlt = 56, kSpace = 57, kCapsLock = 58, kF1 = 59,
                          kKeypadDot = 83, kF12 = 88, kKeypadEnter = 96, kRightCtrl = 97, kKeypadSlash = 98,
                          kSysRq = 99, kRightAlt = 100, kHome = 102, kUp = 103, kPageUp = 104, kLeft = 105,
                          kRight = 106, kEnd = 107, kDown = 108, kPageDown = 109, kInsert = 110, kDelete = 111,
                          kLeftMeta = 125, kRightMeta = 126, kCompose = 127;
} // namespace key

enum class KeyOutcome : uint8_t { Typed, Modifier, Released, Unknown };

struct KeyBytes {
    KeyOutcome outcome = KeyOutcome::Released;
    uint8_t length = 0;
    uint8_t bytes[kMaxKeyBytes] = {};
};

class KeyLayout {
public:
    // One key event: `code` a Linux key code, `pressed` true for a press or
    // a repeat, false for a release.
    KeyBytes key(uint16_t code, bool pressed);

    bool shift() const { return left_shift_ || right_shift_; }
    bool control() const { return left_control_ || right_control_; }
    bool alt() const { return left_alt_ || right_alt_; }
    bool caps_lock() const { return caps_lock_; }

private:
    bool left_shift_ = false, right_shift_ = false;
    bool left_control_ = false, right_control_ = false;
    bool left_alt_ = false, right_alt_ = false;
    bool caps_lock_ = false;
};

} // namespace keyboard
