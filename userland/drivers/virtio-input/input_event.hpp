// userland/drivers/virtio-input/input_event.hpp — virtio-input events
// (virtio 1.x, 5.8: struct virtio_input_event, Linux's input_event without
// the time) to what a key types, through the shared layout. Portable and
// host-tested (test/unit/userland/keyboard).
//
// Contract: an event is 8 little-endian bytes: le16 type, le16 code, le32
// value. EV_KEY (1) with value 1 (press) or 2 (repeat) is a press of Linux
// key `code`, value 0 a release; every other event (EV_SYN, EV_MSC, LEDs,
// an EV_KEY value above 2, a short buffer) types nothing and is not
// counted: the outcome is Released.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "keyboard/key_layout.hpp"

namespace virtio_input {

inline constexpr size_t kEventSize = 8;
inline constexpr uint16_t kEventKey = 1;

struct InputEvent {
    uint16_t type = 0;
    uint16_t code = 0;
    uint32_t value = 0;
};

inline InputEvent decode_event(const volatile uint8_t* bytes) {
    InputEvent event;
    event.type = static_cast<uint16_t>(bytes[0] | bytes[1] << 8);
    event.code = static_cast<uint16_t>(bytes[2] | bytes[3] << 8);
    event.value = static_cast<uint32_t>(bytes[4]) | static_cast<uint32_t>(bytes[5]) << 8 |
                  static_cast<uint32_t>(bytes[6]) << 16 | static_cast<uint32_t>(bytes[7]) << 24;
    return event;
}

// What `length` bytes of one event buffer type (length < kEventSize: nothing).
inline keyboard::KeyBytes key_of(const volatile uint8_t* bytes, size_t length, keyboard::KeyLayout& layout) {
    if (length < kEventSize) return keyboard::KeyBytes{};
    const InputEvent event = decode_event(bytes);
    if (event.type != kEventKey || event.value > 2) return keyboard::KeyBytes{};
    return layout.key(event.code, event.value != 0);
}

} // namespace virtio_input
