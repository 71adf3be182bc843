// userland/drivers/i8042/scancode_decoder.hpp — PC keyboard scan codes (set
// 1, which the i8042 controller produces when it translates, as firmware
// leaves it) to the bytes a terminal sends, for a US layout. Portable and
// host-tested; the driver feeds it every byte it reads from port 0x60.
//
// It turns scan codes into Linux key codes (make codes 0x01–0x58 are the
// key codes themselves; E0-prefixed ones map to KEY_UP, KEY_RIGHTCTRL, …)
// and leaves the layout to keyboard::KeyLayout (drivers/keyboard/
// key_layout.hpp), which virtio-input shares: one table of characters and
// modifiers for every keyboard.
//
// Contracts:
// - feed() takes one scan-code byte and writes 0 to kMaxOutput bytes:
//   a key's character on its make code (repeats too: the keyboard repeats
//   make codes), nothing on break codes.
// - Modifiers and keys: as KeyLayout says (Shift, Caps Lock on letters
//   only, Ctrl on @ a–z [ \ ] ^ _, Alt ignored; Enter CR, Backspace DEL,
//   arrows ESC [ A–D, Home ESC [ H, End ESC [ F, Delete ESC [ 3 ~; the
//   keypad always types). Function keys and the rest: nothing, counted in
//   unknown_keys().
// - Prefixes: 0xE0 marks the next byte as an extended key; the "fake
//   shift" codes some keyboards send around extended keys (E0 2A, E0 AA,
//   E0 36, E0 B6) change nothing; Pause's six bytes (E1 1D 45 E1 9D C5)
//   produce nothing and leave no state behind. 0x00, 0xFF (errors) and the
//   controller's replies (0xFA ack, 0xFE resend, 0xAA self-test passed)
//   are ignored (0xAA also releases Left Shift: it is its break code).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "keyboard/key_layout.hpp"

namespace i8042 {

class ScancodeDecoder {
public:
    static constexpr size_t kMaxOutput = keyboard::kMaxKeyBytes;

    // Decodes `scancode`; writes what the key types to `out` and returns its length.
    size_t feed(uint8_t scancode, uint8_t (&out)[kMaxOutput]);

    bool shift() const { return layout_.shift(); }
    bool control() const { return layout_.control(); }
    bool caps_lock() const { return layout_.caps_lock(); }
    // Presses of keys that type nothing on the layout (or that set 1 does not name) so far.
    uint64_t unknown_keys() const { return unknown_keys_; }

    // The Linux key code of a set-1 make code (without the release bit),
    // extended (after 0xE0) or not; 0 when there is none.
    static uint16_t key_code(uint8_t code, bool extended);

private:
    keyboard::KeyLayout layout_;
    uint64_t unknown_keys_ = 0;
    bool extended_ = false;   // the previous byte was 0xE0
    uint8_t pause_bytes_ = 0; // bytes of Pause's sequence still to swallow
};

} // namespace i8042
