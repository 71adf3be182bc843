// kernel/object/system.hpp — System: the authority to stop or reset the
// machine (one per kernel, given to the root task at root_slot::kSystem).
//
// Separate from Console on purpose: printing is harmless, halting is not, and
// the runtime hands the console to every child. Only tasks the root service
// chooses (usrinit, the shell's poweroff, the test supervisor) get a copy.
#pragma once

#include <object/object.hpp>

namespace vesta {

class System : public Object {
public:
    static constexpr ObjectType kType = ObjectType::System;
    System() : Object(kType) {}
};

} // namespace vesta
