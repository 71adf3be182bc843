// userland/lib/runtime_internal.hpp — helpers the runtime's files share
// (runtime.cpp, spawn.cpp); not part of the runtime's interface.
#pragma once

#include <user/runtime.hpp>

namespace vesta::user {

// Error::None → success, anything else → that error (for TRY).
Result<void> checked(Error error);
// Memory.Create of `type` in any free slot of the own cspace, paid by `memory`.
Result<uint64_t> new_object(uint64_t memory, ObjectType type, uint64_t size);
// VirtualSpace.Map.
Result<void> map(uint64_t vspace, uint64_t frame, uint64_t address, uint8_t permissions);
// CapabilitySpace.Delete in the own cspace (errors ignored: best effort).
void delete_slot(uint64_t slot);

} // namespace vesta::user
