// kernel/boot/initial_objects.hpp — turning boot resources into the first
// objects: memory pools for all usable RAM, device-memory ranges for MMIO,
// and the root task that receives capabilities to all of them.
//
// Called once by the boot path, single-threaded, before any task runs. The
// boot path hands every free run of its page allocator (RAM minus the
// kernel's own) to create_initial_memory; each run becomes one pool.
#pragma once

#include <capability/capability_space.hpp>
#include <kernel.hpp>
#include <object/frame.hpp>
#include <object/memory.hpp>
#include <object/virtual_space.hpp>

namespace vesta {

// Make [physical, physical + pages) a permanent memory pool and record it as
// RAM. Fails with Misaligned, InvalidArgument (fewer than 2 pages), OutOfRange
// (too many RAM ranges) or Busy (overlaps RAM already registered).
Result<Memory*> create_initial_memory(Kernel& kernel, uint64_t physical, uint64_t pages);

// A device-memory object for an MMIO range, paid by `memory`. Fails with
// Misaligned, InvalidArgument (empty), Busy (overlaps registered RAM) or
// OutOfMemory.
Result<DeviceMemory*> create_initial_device_memory(Kernel& kernel, Memory& memory, uint64_t physical, uint64_t pages);

struct RootTask {
    Task* task;
    CapabilitySpace* cspace;
    VirtualSpace* vspace;
};

// The first task, paid by `memory`: a cspace of `slots` slots filled as
// vesta::root_slot says, a vspace, priority `priority`, made ready on the
// boot CPU. Its registers are set by the boot path (entry, stack).
Result<RootTask> create_root_task(Kernel& kernel, Memory& memory, uint32_t slots, uint8_t priority);

// Give the root task a capability with all rights to `object`, in its first
// free slot. Fails with OutOfRange when the cspace is full.
Result<uint32_t> grant_to_root(RootTask& root, Object& object);

} // namespace vesta
