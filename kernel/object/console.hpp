// kernel/object/console.hpp — Console: the right to write to the kernel's
// debug console (one per kernel, given to the root task at root_slot::kConsole).
//
// This is how user tasks print before they have drivers of their own: the
// capability gates it, so a task prints only if something handed it a copy.
#pragma once

#include <object/object.hpp>

namespace vesta {

class Console : public Object {
public:
    static constexpr ObjectType kType = ObjectType::Console;
    Console() : Object(kType) {}
};

} // namespace vesta
