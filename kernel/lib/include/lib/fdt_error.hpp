// lib/fdt_error.hpp — the errors of the flattened-device-tree reader, and
// fdt::Result<T>, a value-or-error that the TRY macro understands.
//
// Every way a blob can be malformed has its own code and a precise static
// message, so a boot log says exactly what is wrong ("property name offset
// outside strings block"). to_abi_error() folds them into vesta::Error at the
// boundary where an fdt error becomes a syscall result.
#pragma once

#include <lib/result.hpp> // TRY()
#include <stdint.h>
#include <vesta/error.hpp>

namespace vesta::fdt {

enum class Error : uint16_t {
    None = 0,
    // Header.
    BufferTooSmall,
    BadMagic,
    VersionTooOld,
    VersionTooNew,
    TotalSizeTooLarge,
    TotalSizeTooSmall,
    ReservationBlockMisaligned,
    ReservationBlockOutside,
    ReservationListUnterminated,
    StructBlockMisaligned,
    StructBlockOutside,
    StructSizeMisaligned,
    StringsBlockOutside,
    BlocksOverlap,
    // Structure block.
    TruncatedToken,
    UnknownToken,
    NodeNameUnterminated,
    NodeNameInvalid,
    PropertyOutsideNode,
    PropertyAfterSubnode,
    PropertyTruncated,
    PropertyNameOffsetOutside,
    PropertyNameUnterminated,
    EndNodeWithoutBeginNode,
    NodesUnclosed,
    SecondRootNode,
    MissingEndToken,
    NoRootNode,
    TooDeep,
    TooManyNodes,
    // Lookups.
    InvalidNode,
    NodeNotFound,
    PropertyNotFound,
    AliasNotFound,
    AliasNotAbsolute,
    PathInvalid,
    PhandleInvalid,
    PhandleNotFound,
    IndexOutOfRange,
    // Property values.
    PropertySizeWrong,
    StringUnterminated,
    CellCountTooLarge,
    CellValueTooWide,
    RegEntryEmpty,
    RegSizeMismatch,
    // Address translation.
    NoRangesProperty,
    RangesSizeMismatch,
    NoMatchingRange,
    RegionCrossesRange,
    AddressOverflow,
    // Interrupts.
    NoInterruptParent,
    InterruptParentLoop,
    InterruptCellsMissing,
    InterruptCellsZero,
    InterruptCellsTooLarge,
    InterruptsSizeMismatch,
};

// A precise, static, lower-case description of `error`.
const char* message(Error error);

// The ABI code for an fdt error: NotFound for failed lookups, OutOfRange for
// indexes and addresses, Malformed for everything wrong with the blob.
vesta::Error to_abi_error(Error error);

// A value or an fdt::Error (lib/result.hpp). Works with TRY(): an error
// propagates to an enclosing function returning any fdt::Result<U>.
template <class T>
using Result = vesta::Result<T, Error>;

} // namespace vesta::fdt
