// vesta/ipc/message.hpp — the in-memory form of an IPC message, as generated
// protocol code builds and reads it (docs/idl.md, "Wire encoding").
//
// A Message mirrors the syscall ABI's message layout (vesta/message.hpp): a
// tag, up to kMaxMessageWords data words and up to kMaxMessageCaps
// capability-slot indices. Only the first tag.words() words and tag.caps()
// caps are meaningful; the rest may be uninitialised.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <vesta/message.hpp>

namespace vesta::ipc {

// A capability named by its slot index in the task's capability space.
using Slot = uint64_t;

struct Message {
    MessageTag tag;
    uint64_t words[kMaxMessageWords];
    Slot caps[kMaxMessageCaps];
};

// A variable-length list of capabilities (an IDL `name: type...` list).
// Contract: count <= kMaxMessageCaps; only slots[0..count) are meaningful.
struct CapList {
    Slot slots[kMaxMessageCaps] = {};
    size_t count = 0;

    friend constexpr bool operator==(const CapList& a, const CapList& b) {
        if (a.count != b.count) return false;
        for (size_t i = 0; i < a.count && i < kMaxMessageCaps; ++i) {
            if (a.slots[i] != b.slots[i]) return false;
        }
        return true;
    }
};

} // namespace vesta::ipc
