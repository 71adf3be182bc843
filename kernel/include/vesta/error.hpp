// vesta/error.hpp — the one error enumeration of the Vesta ABI.
//
// Contract: every syscall and every kernel-object invocation reports failure
// with exactly one of these codes; 0 is success. Values are part of the ABI
// (docs/syscall-abi.md): append new codes, never renumber.
#pragma once

#include <stdint.h>

namespace vesta {

enum class Error : uint64_t {
    None = 0,          // success
    InvalidCapability, // slot index out of range, or the slot is empty
    WrongType,         // the capability names an object of another type
    MissingRights,     // the capability lacks a right the operation needs
    OutOfMemory,       // the memory capability cannot pay for the object
    InvalidArgument,   // an argument is malformed (flags, sizes, labels…)
    OutOfRange,        // an address, index or count lies outside its bounds
    Misaligned,        // an address or size is not suitably aligned
    Busy,              // the object is in a state that forbids the operation
    SlotOccupied,      // the destination slot already holds a capability
    WouldBlock,        // a non-blocking operation could not complete
    TimedOut,          // a timeout expired before the operation completed
    PeerGone,          // the other side of an IPC went away (destroyed)
    NotSupported,      // the operation does not exist for this object/arch
    InvalidSyscall,    // unknown syscall number
    Overflow,          // an arithmetic result does not fit
    NotFound,          // a named thing (file, node, property) does not exist
    Malformed,         // structured input (ELF, tar, DTB…) is malformed
};

// A short, stable, lower-case name for each code ("out of memory").
constexpr const char* error_name(Error error) {
    switch (error) {
    case Error::None: return "success";
    case Error::InvalidCapability: return "invalid capability";
    case Error::WrongType: return "wrong object type";
    case Error::MissingRights: return "missing rights";
    case Error::OutOfMemory: return "out of memory";
    case Error::InvalidArgument: return "invalid argument";
    case Error::OutOfRange: return "out of range";
    case Error::Misaligned: return "misaligned";
    case Error::Busy: return "busy";
    case Error::SlotOccupied: return "slot occupied";
    case Error::WouldBlock: return "would block";
    case Error::TimedOut: return "timed out";
    case Error::PeerGone: return "peer gone";
    case Error::NotSupported: return "not supported";
    case Error::InvalidSyscall: return "invalid syscall";
    case Error::Overflow: return "overflow";
    case Error::NotFound: return "not found";
    case Error::Malformed: return "malformed";
    }
    return "unknown error";
}

} // namespace vesta
