// kernel/object/io_port.hpp — IoPortControl (authority over the I/O-port
// space, one per kernel) and IoPort (a claimed range [first, first + count)).
// Claimed ranges never overlap. Only on backends with I/O ports (x86_64).
#pragma once

#include <lib/intrusive_list.hpp>
#include <object/object.hpp>

namespace vesta {

class IoPortControl : public Object {
public:
    static constexpr ObjectType kType = ObjectType::IoPortControl;
    IoPortControl() : Object(kType) {}
};

class IoPort : public Object {
public:
    static constexpr ObjectType kType = ObjectType::IoPort;
    IoPort(uint32_t first_port, uint32_t port_count) : Object(kType), first(first_port), count(port_count) {}

    uint32_t first;
    uint32_t count;
    ListLink<IoPort> claimed_link; // in Kernel::io_ports

    // other_first + other_count must not overflow (asserted; callers bound
    // both by the 16-bit port space first).
    bool overlaps(uint64_t other_first, uint64_t other_count) const {
        VESTA_ASSERT(other_first + other_count >= other_first);
        return other_first < uint64_t{first} + count && uint64_t{first} < other_first + other_count;
    }
};

} // namespace vesta
