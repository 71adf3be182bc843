// vesta/syscall.hpp — the kernel <-> userland syscall ABI (docs/capabilities.md).
//
// Shared by the kernel, the userland runtime and the IDL generator. Values are
// part of the ABI: append, never renumber.
//
// Registers. Every backend provides kSyscallRegisters argument registers
// r0..r7 (docs/syscall-abi.md names each arch's machine registers) plus
// a syscall-number register. The generic convention is:
//   in:  r0 capability slot   r1 message tag   r2..r5 message words 0..3
//        r6 reply slot (recv) r7 extra (poll timeout, receive flags)
//   out: r0 Error             r1 message tag   r2..r5 message words 0..3
//        r6 badge (receive)   r7 extra (notification bits, poll ready mask)
// Words 4.. of a message and its capabilities travel in the IPC buffer.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <vesta/message.hpp>

namespace vesta {

inline constexpr uint64_t kPageSize = 4096;
inline constexpr size_t kSyscallRegisters = 8;

// Register indices of the generic convention above.
namespace reg {
inline constexpr size_t kCapability = 0; // in: slot of the object invoked / sent to
inline constexpr size_t kStatus = 0;     // out: vesta::Error
inline constexpr size_t kTag = 1;
inline constexpr size_t kWord0 = 2; // words 0..3 in r2..r5
inline constexpr size_t kReply = 6; // in: reply-object slot
inline constexpr size_t kBadge = 6; // out: badge of the sender / notification cap
inline constexpr size_t kExtra = 7;
} // namespace reg

enum class Syscall : uint64_t {
    Send = 0,      // r0 endpoint, r1 tag, words: blocks until received
    TrySend = 1,   // like Send, fails with WouldBlock when no receiver waits
    Recv = 2,      // r0 endpoint, r6 reply slot or kNoSlot: blocks for a message
    TryRecv = 3,   // like Recv, fails with WouldBlock when no sender waits
    Call = 4,      // endpoint: send + wait for the reply; kernel object: invocation
    Reply = 5,     // r6 reply slot, r1 tag, words: answer a call, never blocks
    ReplyRecv = 6, // Reply through r6, then Recv on r0 with the same reply slot
    Signal = 7,    // r0 notification: OR the cap's badge in; never blocks
    Wait = 8,      // r0 notification: block until bits are set; r7 = the bits
    Poll = 9,      // r0 count, r7 timeout (ticks; 0 = do not block; kNoTimeout)
    Yield = 10,    // give up the rest of the time slice
    Exit = 11,     // r0 status: end the calling task; its supervisor (fault endpoint) is told
};
inline constexpr uint64_t kSyscallCount = 12;

// A slot argument meaning "none" (reply slot) or "kernel chooses" (destination).
inline constexpr uint64_t kNoSlot = ~uint64_t{0};
inline constexpr uint64_t kAnySlot = ~uint64_t{0};
inline constexpr uint64_t kNoTimeout = ~uint64_t{0};
inline constexpr size_t kMaxPoll = 8;

// Capability rights. For endpoints Write = send, Read = receive, Grant = send
// capabilities; for notifications Write = signal, Read = wait; for pages and
// device memory Read/Write/Execute bound the mapping permissions; for other
// objects Write is needed to change the object and Read to query it.
namespace rights {
inline constexpr uint8_t kRead = 1;
inline constexpr uint8_t kWrite = 2;
inline constexpr uint8_t kExecute = 4;
inline constexpr uint8_t kGrant = 8;
inline constexpr uint8_t kAll = 0xf;
} // namespace rights

// Object types, as named in Memory.Create and reported by CapabilitySpace.Info.
enum class ObjectType : uint8_t {
    None = 0,
    Memory = 1,
    Page = 2,
    DeviceMemory = 3,
    CapabilitySpace = 4,
    VirtualSpace = 5,
    Task = 6,
    Endpoint = 7,
    Notification = 8,
    Reply = 9,
    IrqControl = 10,
    IrqHandler = 11,
    IoPortControl = 12,
    IoPort = 13,
    Console = 14, // the kernel's debug console (root slot kConsole)
    System = 15,  // the authority to stop or reset the machine (root slot kSystem)
};

// Invocation labels (the tag's label in a Call on a kernel-object capability).
// Arguments are message words in the order given; "slot" arguments name slots
// of the caller's cspace. Reply: label = r0 = Error; results in words.
enum class MemoryLabel : uint64_t {
    Create = 1, // (ObjectType, destination slot | kAnySlot, size) -> (slot)
    Split = 2,  // (pages, destination slot | kAnySlot) -> (slot)
    Info = 3,   // () -> (total pages, free pages)
};
enum class CapabilitySpaceLabel : uint64_t {
    Copy = 1,   // (destination index | kAnySlot, source slot, rights mask, badge) -> (index)
    Move = 2,   // (destination index | kAnySlot, source slot) -> (index)
    Delete = 3, // (index[, fill count | 0]) -> (): with a fill count, only if the slot still holds that capability
    Info = 4,   // (index) -> (ObjectType, rights, badge, flags: kCapabilityOwner | fill count << kCapabilityFillsShift)
};
// CapabilitySpace.Info flag: the owning capability of a memory pool (deleting
// it destroys the pool and everything it paid for; copies only lend it).
inline constexpr uint64_t kCapabilityOwner = 1;
// CapabilitySpace.Info: the slot's fill count (how many times a capability
// was put in it, 32 bits, wrapping past 0 to 1) is the flags word's upper half. A slot
// and its fill count name one capability, whatever the kernel put in the
// slot after that one died (docs/capabilities.md, "Slots filled again").
inline constexpr unsigned kCapabilityFillsShift = 32;
enum class VirtualSpaceLabel : uint64_t {
    Map = 1,     // (frame slot, address, permissions) -> ()
    Unmap = 2,   // (frame slot) -> ()
    Protect = 3, // (frame slot, permissions) -> ()
    Query = 4,   // (address) -> (physical address, permissions)
};
enum class FrameLabel : uint64_t { // Page and DeviceMemory
    Info = 1,                      // () -> (physical address, pages, mapped address or 0)
    Split = 2,                     // DeviceMemory only: (first page, pages, destination slot, memory slot) -> (slot)
};
enum class TaskLabel : uint64_t {
    Configure = 1,      // (cspace slot, vspace slot, fault endpoint slot | kNoSlot, priority) -> ()
    SetIpcBuffer = 2,   // (page slot, user address) -> ()
    WriteRegisters = 3, // (instruction pointer, stack pointer, argument) -> ()
    ReadRegisters = 4,  // () -> (instruction pointer, stack pointer, r0, state)
    Resume = 5,         // () -> ()
    Suspend = 6,        // () -> ()
    SetPriority = 7,    // (priority) -> ()
    SetName = 8,        // (byte count <= kMaxTaskName, bytes packed little-endian in the following words) -> ()
    SetAffinity = 9,    // (CPU index) -> (previous CPU index); docs/smp.md
};
// The longest Task name (SetName); names are printable ASCII.
inline constexpr uint64_t kMaxTaskName = 15;
enum class IrqControlLabel : uint64_t {
    Get = 1, // (irq, destination slot | kAnySlot, memory slot) -> (slot)
};
enum class IrqHandlerLabel : uint64_t {
    Bind = 1,        // (notification slot) -> ()
    Unbind = 2,      // () -> ()
    Acknowledge = 3, // () -> ()
};
enum class IoPortControlLabel : uint64_t {
    Get = 1, // (first port, count, destination slot | kAnySlot, memory slot) -> (slot)
};
enum class IoPortLabel : uint64_t {
    In = 1,  // (port, width 1|2|4) -> (value)
    Out = 2, // (port, width 1|2|4, value) -> ()
};
enum class ConsoleLabel : uint64_t {
    Write = 1, // (byte count, bytes packed little-endian in the following words) -> ()
    // 2 was Stop; stopping the machine needs the System capability now.
    Read = 3, // (sequence) -> (next sequence, bytes, bytes lost); the bytes in the IPC buffer's words
    Info = 4, // () -> (kind 0 none / 1 ports / 2 MMIO, first port or address, count of ports or bytes,
              //        log sequence number of the hand-over or kConsoleNotReleased)
};
enum class ReplyLabel : uint64_t {
    Info = 1, // () -> (1 while a call is bound to it and its caller waits for the answer, else 0)
};
// Console.Info's hand-over sequence while the kernel still writes to the UART.
inline constexpr uint64_t kConsoleNotReleased = ~uint64_t{0};
enum class SystemLabel : uint64_t {
    PowerOff = 1, // (status: 0 success) -> does not return: the emulator's exit device, or power off / halt
    Reboot = 2,   // () -> does not return
    Info = 3,     // () -> (kernel stack bytes ever used, teardown units queued, ticks since boot, faults not logged)
    ReleaseConsole = 4, // (destination slot, memory slot) -> (slot of the UART's DeviceMemory or kNoSlot,
                        //     kind 1 ports / 2 MMIO, first port or address, count of ports or bytes)
};

inline constexpr uint8_t kMaxPriority = 255;

// Slots of the root task's cspace filled by the kernel at boot. Memory
// capabilities for the rest of RAM, and device memory, follow from
// kFirstFree in the order the boot path grants them.
namespace root_slot {
inline constexpr uint64_t kCapabilitySpace = 0; // its own cspace
inline constexpr uint64_t kVirtualSpace = 1;
inline constexpr uint64_t kTask = 2;
inline constexpr uint64_t kMemory = 3; // the pool that paid for the above
inline constexpr uint64_t kIrqControl = 4;
inline constexpr uint64_t kIoPortControl = 5;
inline constexpr uint64_t kConsole = 6; // the kernel debug console (Write)
inline constexpr uint64_t kSystem = 7;  // power off, reboot, kernel figures
inline constexpr uint64_t kFirstFree = 8;
} // namespace root_slot

// Task states reported by Task.ReadRegisters.
enum class TaskState : uint64_t {
    Inactive = 0,            // created or suspended
    Ready = 1,               // runnable, in a run queue
    Running = 2,             // current on a CPU
    BlockedSend = 3,         // in an endpoint's send queue (send, call or fault)
    BlockedReceive = 4,      // in an endpoint's receive queue
    BlockedReply = 5,        // called, waiting for the reply
    BlockedNotification = 6, // waiting on a notification
    BlockedPoll = 7,         // polling several objects
    Faulted = 8,             // stopped by a fault (no handler, or the handler said so)
    Exited = 9,              // ended by the Exit syscall
};

// Fault kinds: the label of a fault message sent to the fault endpoint.
// Words: 0 address (or 0), 1 instruction pointer, 2 detail (access rights that
// failed, the unknown syscall number, or the exit status). Faults arrive as
// calls (the handler may resume the task); Exited arrives as a plain send.
enum class FaultKind : uint64_t {
    PageFault = 1,
    UndefinedInstruction = 2,
    Alignment = 3,
    UnknownSyscall = 4,
    Arithmetic = 5,
    Protection = 6, // privileged instruction or general protection (x86_64 #GP)
    Exited = 7,     // not a fault: the task called Exit (detail = its status)
};

constexpr const char* fault_kind_name(FaultKind kind) {
    switch (kind) {
    case FaultKind::PageFault: return "page fault";
    case FaultKind::UndefinedInstruction: return "undefined instruction";
    case FaultKind::Alignment: return "alignment fault";
    case FaultKind::UnknownSyscall: return "unknown syscall";
    case FaultKind::Arithmetic: return "arithmetic fault";
    case FaultKind::Protection: return "protection fault";
    case FaultKind::Exited: return "exited";
    }
    return "unknown fault";
}

// The per-thread IPC buffer: one page the task registers with
// Task.SetIpcBuffer; the kernel reaches it through its own mapping.
struct IpcBuffer {
    uint64_t words[kMaxMessageWords];        // words 4.. of a message (0..3 travel in registers)
    uint64_t caps[kMaxMessageCaps];          // send: slots to transfer; receive: slots they landed in
    uint64_t receive_slots[kMaxMessageCaps]; // receive: wanted slots, kAnySlot = kernel chooses
    uint64_t poll[kMaxPoll];                 // Poll: slots of notifications / endpoints to watch
    uint64_t user[64];                       // free for the runtime
};
static_assert(sizeof(IpcBuffer) <= kPageSize);

} // namespace vesta
