// Tests of userland/drivers/virtio-input/input_event: virtio-input events
// (le16 type, le16 code, le32 value) to terminal bytes through the shared
// layout: presses, repeats, releases, other event types, short buffers.
#include <catch2/catch_test_macros.hpp>
#include <string>

#include "input_event.hpp"

namespace {

struct Event {
    uint8_t bytes[8];
    Event(uint16_t type, uint16_t code, uint32_t value)
        : bytes{static_cast<uint8_t>(type),        static_cast<uint8_t>(type >> 8),  static_cast<uint8_t>(code),
                static_cast<uint8_t>(code >> 8),   static_cast<uint8_t>(value),      static_cast<uint8_t>(value >> 8),
                static_cast<uint8_t>(value >> 16), static_cast<uint8_t>(value >> 24)} {}
};

std::string typed(const keyboard::KeyBytes& k) { return std::string(reinterpret_cast<const char*>(k.bytes), k.length); }

constexpr uint16_t kKey = 1, kSyn = 0, kMsc = 4, kLed = 0x11;

} // namespace

TEST_CASE("virtio-input events: EV_KEY presses and repeats type, releases and other events do not") {
    keyboard::KeyLayout layout;
    using virtio_input::key_of;
    CHECK(typed(key_of(Event(kKey, 30, 1).bytes, 8, layout)) == "a");
    CHECK(typed(key_of(Event(kKey, 30, 2).bytes, 8, layout)) == "a"); // repeat
    CHECK(key_of(Event(kKey, 30, 0).bytes, 8, layout).outcome == keyboard::KeyOutcome::Released);
    CHECK(key_of(Event(kSyn, 0, 0).bytes, 8, layout).outcome == keyboard::KeyOutcome::Released);
    CHECK(key_of(Event(kMsc, 4, 0x70004).bytes, 8, layout).outcome == keyboard::KeyOutcome::Released);
    CHECK(key_of(Event(kLed, 1, 1).bytes, 8, layout).outcome == keyboard::KeyOutcome::Released);
    CHECK(key_of(Event(kKey, 30, 3).bytes, 8, layout).outcome == keyboard::KeyOutcome::Released); // no such value
    CHECK(key_of(Event(kKey, 30, 1).bytes, 7, layout).outcome == keyboard::KeyOutcome::Released); // short
    // Shift through events, then Ctrl-C and an arrow: what showkey's boot test sends.
    CHECK(key_of(Event(kKey, 42, 1).bytes, 8, layout).outcome == keyboard::KeyOutcome::Modifier);
    CHECK(typed(key_of(Event(kKey, 30, 1).bytes, 8, layout)) == "A");
    key_of(Event(kKey, 42, 0).bytes, 8, layout);
    key_of(Event(kKey, 29, 1).bytes, 8, layout);
    CHECK(typed(key_of(Event(kKey, 46, 1).bytes, 8, layout)) == "\x03");
    key_of(Event(kKey, 29, 0).bytes, 8, layout);
    CHECK(typed(key_of(Event(kKey, 103, 1).bytes, 8, layout)) == "\x1b[A");
    CHECK(key_of(Event(kKey, 0x110, 1).bytes, 8, layout).outcome == keyboard::KeyOutcome::Unknown); // BTN_LEFT
}
