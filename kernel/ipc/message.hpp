// kernel/ipc/message.hpp — copying one message from a sender's registers and
// IPC buffer to a receiver's, with capability transfer.
#pragma once

#include <object/task.hpp>

namespace vesta {

// Deliver the sender's message (or its pending fault message) to `receiver`,
// reporting `badge`. Capabilities travel only when `grant`, both tasks have
// an IPC buffer, every named source slot still holds a capability and every
// wanted destination slot is free: all of them or none (then the receiver's
// tag reports 0 capabilities). Words beyond the registers are dropped when
// the receiver has no IPC buffer (its tag reports the words delivered).
void deliver(Task& sender, Task& receiver, uint64_t badge, bool grant);

} // namespace vesta
