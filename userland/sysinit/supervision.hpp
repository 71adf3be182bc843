// userland/sysinit/supervision.hpp — sysinit as the fault handler of every
// process it starts (docs/userland.md, "Supervision").
//
// Each process's fault endpoint is sysinit's endpoint with the badge
// (Fault, pid); only the kernel sends on it: FaultKind::Exited (a plain
// send, words: 0, ip, status) when the process calls Exit, a fault (a call,
// words: address, ip, detail) when its thread faults. An exit ends the
// process with its status; a fault is logged (the process, the fault kind,
// the address and instruction pointer) and ends it with −kind. The reply to
// a fault never resumes the thread (a non-zero label; the thread is gone by
// then anyway). A message for a pid that is no longer running is ignored.
#pragma once

#include <vesta/ipc/message.hpp>

#include "processes.hpp"

namespace sysinit {

void handle_fault_message(ProcessTable& processes, uint32_t pid, const vesta::ipc::Message& message,
                          vesta::ipc::Message& reply);

} // namespace sysinit
