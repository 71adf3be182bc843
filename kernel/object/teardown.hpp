// kernel/object/teardown.hpp — killing objects and tearing them down in
// bounded steps.
//
// kill() marks an object dying and queues it on Kernel::teardown; nothing is
// freed there. run_teardown() drains the queue one step at a time with a work
// budget: each step does a few units of an object's teardown (empty a slot,
// wake a waiter, unbind a task, free a page-table page…) and may kill and
// queue further objects at the front, so teardown is depth-first, iterative
// and uses a fixed amount of kernel stack whatever the object graph (chains,
// cycles, a cspace holding itself). An object whose steps are all done is
// finalised: its storage goes back to the pool that paid for it.
//
// Order of an object's teardown: (1) empty every slot that still names it (a
// forced death: its pool died), (2) clear what is bound to it and wake what
// waits on it, (3) release what it owns (slots, page tables, pages, the
// objects a pool paid for), (4) free its storage.
//
// Who drains: CapabilitySpace.Delete drains until the queue is empty, a budget
// per kernel entry, restarting its syscall in between (so when Delete
// returns, everything it freed is back in its pool); each timer tick drains a
// little, so work orphaned by a task that died mid-Delete still finishes.
#pragma once

#include <stdint.h>

namespace vesta {

struct Cpu;
struct Object;

// Work units per kernel entry (docs/capabilities.md, "Teardown bounds").
inline constexpr uint32_t kTeardownBudgetPerCall = 1024;
inline constexpr uint32_t kTeardownBudgetPerTick = 64;

// Mark `object` dying and queue its teardown. No effect on permanent objects
// or objects already dying. A task is detached at once: it never runs again.
void kill(Cpu& cpu, Object& object);

// Do at most `budget` units of queued teardown; true when the queue is empty.
bool run_teardown(Cpu& cpu, uint32_t budget);

} // namespace vesta
