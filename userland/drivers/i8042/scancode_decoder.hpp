// userland/drivers/i8042/scancode_decoder.hpp — PC keyboard scan codes (set
// 1, which the i8042 controller produces when it translates, as firmware
// leaves it) to the bytes a terminal sends, for a US layout. Portable and
// host-tested; the driver feeds it every byte it reads from port 0x60.
//
// Contracts:
// - feed() takes one scan-code byte and writes 0 to kMaxOutput bytes:
//   a key's character on its make code (repeats too: the keyboard repeats
//   make codes), nothing on break codes.
// - Modifiers: Shift (either) gives the shifted character; Caps Lock
//   (toggled on its make code) swaps the case of letters only; Ctrl
//   (either) turns @, a–z, [, \, ], ^, _ into the control characters
//   0x00–0x1f (Ctrl-C is 0x03) and leaves other keys alone; Alt is tracked
//   and ignored.
// - Keys: Enter (and keypad Enter) CR; Backspace DEL (0x7f, as a VT sends
//   it); Tab; Escape 0x1b; the arrow keys ESC [ A/B/C/D, Home ESC [ H, End
//   ESC [ F, Delete ESC [ 3 ~; keypad digits and operators as characters
//   (Num Lock is not modelled: the keypad always types). Function keys
//   and the rest: nothing.
// - Prefixes: 0xE0 marks the next byte as an extended key; the "fake
//   shift" codes some keyboards send around extended keys (E0 2A, E0 AA,
//   E0 36, E0 B6) change nothing; Pause's six bytes (E1 1D 45 E1 9D C5)
//   produce nothing and leave no state behind. 0x00, 0xFF (errors) and the
//   controller's replies (0xFA ack, 0xFE resend, 0xAA self-test passed)
//   are ignored.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace i8042 {

class ScancodeDecoder {
public:
    static constexpr size_t kMaxOutput = 4;

    // Decodes `scancode`; writes what the key types to `out` and returns its length.
    size_t feed(uint8_t scancode, uint8_t (&out)[kMaxOutput]);

    bool shift() const { return left_shift_ || right_shift_; }
    bool control() const { return left_control_ || right_control_; }
    bool caps_lock() const { return caps_lock_; }

private:
    size_t extended(uint8_t code, bool released, uint8_t (&out)[kMaxOutput]);

    bool left_shift_ = false, right_shift_ = false;
    bool left_control_ = false, right_control_ = false;
    bool alt_ = false;
    bool caps_lock_ = false;
    bool extended_ = false;   // the previous byte was 0xE0
    uint8_t pause_bytes_ = 0; // bytes of Pause's sequence still to swallow
};

} // namespace i8042
