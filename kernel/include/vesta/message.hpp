// vesta/message.hpp — the IPC message format shared by kernel, userland and
// the IDL generator (docs/syscall-abi.md).
//
// A message is a tag word, up to kMaxMessageWords data words and up to
// kMaxMessageCaps capabilities. The tag packs:
//   bits  0..7   number of data words   (0..kMaxMessageWords)
//   bits  8..11  number of capabilities (0..kMaxMessageCaps)
//   bits 12..15  reserved, must be zero
//   bits 16..63  label (48 bits): protocol call labels are (interface id << 16 | call index);
//                in a reply, the label is 0 for success or an error code.
// The first kRegisterMessageWords data words travel in registers (the fast
// path); the rest in the thread's IPC buffer.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace vesta {

inline constexpr size_t kMaxMessageWords = 32;
inline constexpr size_t kMaxMessageCaps = 4;
inline constexpr size_t kRegisterMessageWords = 4;
inline constexpr uint64_t kMaxLabel = (uint64_t{1} << 48) - 1;

struct MessageTag {
    uint64_t raw = 0;

    static constexpr MessageTag make(uint64_t label, size_t words, size_t caps) {
        return MessageTag{(label << 16) | (uint64_t{caps} & 0xf) << 8 | (uint64_t{words} & 0xff)};
    }
    constexpr uint64_t label() const { return raw >> 16; }
    constexpr size_t words() const { return raw & 0xff; }
    constexpr size_t caps() const { return (raw >> 8) & 0xf; }
    // A tag is well-formed when its counts are within limits and reserved bits are zero.
    constexpr bool valid() const {
        return words() <= kMaxMessageWords && caps() <= kMaxMessageCaps && ((raw >> 12) & 0xf) == 0;
    }
};

} // namespace vesta
