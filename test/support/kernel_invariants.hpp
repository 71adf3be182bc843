// test/support/kernel_invariants.hpp — what must hold of the kernel's object
// graph after every kernel entry, checked by walking all of it.
//
// Reached from the boot pool: every object a pool paid for (recursively
// through split pools) and every object on the teardown queue. Checked:
//   - each pool's page runs are consistent (Memory::verify);
//   - every object's capability count equals the capabilities on its list,
//     each of which sits in a slot of a known cspace; a live object other
//     than a pool has a capability, a live split pool exactly one owner;
//   - every cspace's empty slots add up to its free count;
//   - nothing points at an object that is not known (freed): capabilities,
//     bindings (cspace, vspace, fault endpoint, IPC buffer, IRQ notification,
//     mappings), queues, reply links, IRQ registrations, the current task;
//   - both sides of every binding agree (binder lists, reply caller and
//     receiver, mapping lists and the page tables);
//   - task states agree with the queues they are in; a dying task is detached;
//   - frames' writable and executable use counts match their mappings and
//     IPC-buffer bindings, and never both are non-zero;
//   - when the teardown queue is empty, no object is dying.
#pragma once

#include <string>
#include <vector>

#include <kernel.hpp>
#include <object/memory.hpp>

namespace vesta::test {

// Every object reachable from `boot_pool` (pools first-to-last, depth first)
// and then the teardown queue: the walk order snapshots and tests rely on.
std::vector<Object*> all_objects(Kernel& kernel, Memory& boot_pool);

// Empty when every invariant holds, else the first violation found.
std::string check_invariants(Kernel& kernel, Memory& boot_pool);

} // namespace vesta::test
