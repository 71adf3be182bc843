// kernel/ipc/ipc.hpp — the IPC state machines: endpoints (send, receive,
// call, reply), notifications (signal, wait), poll with timeouts, faults.
//
// These are the perform halves: the syscall layer (syscall/) has already
// checked every argument, so none of them can fail. Results for a task are
// written into its saved registers (r0 status, r1 tag, r2..r5 words, r6
// badge, r7 extra) whether it is running now or runs later.
#pragma once

#include <cpu.hpp>
#include <lib/result.hpp>
#include <object/endpoint.hpp>
#include <object/notification.hpp>
#include <object/reply.hpp>

namespace vesta {

// Decode half shared by every sending syscall: the tag in r1 is well-formed,
// words beyond the registers and capabilities have an IPC buffer to come
// from, and each capability to transfer exists (`grant`: the capability used
// carries the Grant right). Changes nothing.
Result<void> check_message(Task& sender, bool grant);

// Endpoint rendezvous. `call`: the sender then waits for a reply through the
// receiver's Reply object. A blocked sender keeps its message in its own
// registers until a receiver arrives.
void send(Cpu& cpu, Task& sender, Endpoint& endpoint, uint64_t badge, bool call, bool grant);
// `reply` (may be null) is bound to the caller when a call is received.
void receive(Cpu& cpu, Task& receiver, Endpoint& endpoint, Reply* reply);
// `reply` must have a caller (asserted).
void send_reply(Cpu& cpu, Task& replier, Reply& reply, bool grant);

void signal(Cpu& cpu, Notification& notification, uint64_t badge);
void wait(Cpu& cpu, Task& task, Notification& notification);

// Objects watched by a poll (endpoints: a sender waits; notifications: bits set).
bool poll_ready(const Object& object);
// Block `task` on its poll_entries[0..poll_count) until one is ready or
// `timeout` ticks pass (kNoTimeout: forever). None may be ready; timeout > 0 (asserted).
void block_poll(Cpu& cpu, Task& task, uint64_t timeout);
// Wake every task polling an object (it became ready, or `error` is PeerGone
// because it is being destroyed).
void wake_pollers(Cpu& cpu, PollerList& pollers, Error error = Error::None);
// Take a polling task off its objects and timeout (it stays BlockedPoll).
void cancel_poll(Cpu& cpu, Task& task);
// Wake a polling task: take it off its objects and timeout and report
// `error` (None: r7 = the mask of entries ready now).
void finish_poll(Cpu& cpu, Task& task, Error error);
// Expire timeouts whose deadline has passed (called on each tick).
void expire_timeouts(Cpu& cpu);

// Turn a fault of the current task into a call to its fault endpoint, or
// stop it (Faulted) when it has none. An exit (FaultKind::Exited) is a send
// instead: the task ends Exited once its supervisor received the message, or
// at once when it has no fault endpoint.
void raise_fault(Cpu& cpu, Task& task, const FaultInfo& fault);
// The console line for a fault no handler receives, rate-limited
// (Kernel::fault_log): a task cannot keep the kernel busy printing.
void log_unhandled_fault(Cpu& cpu, const Task& task, const FaultInfo& fault);

// Wake a task blocked in IPC with an error (the object it waited on is gone).
void abort_ipc(Cpu& cpu, Task& task, Error error);

} // namespace vesta
