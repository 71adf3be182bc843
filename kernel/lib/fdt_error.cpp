// fdt_error.cpp — messages for fdt::Error, and their ABI codes.
#include <lib/fdt_error.hpp>

namespace vesta::fdt {

const char* message(Error error) {
    switch (error) {
    case Error::None: return "success";
    case Error::BufferTooSmall: return "buffer smaller than the FDT header";
    case Error::BadMagic: return "bad magic (not a flattened device tree)";
    case Error::VersionTooOld: return "FDT version older than 16";
    case Error::VersionTooNew: return "FDT last compatible version newer than 17";
    case Error::TotalSizeTooLarge: return "totalsize larger than the buffer";
    case Error::TotalSizeTooSmall: return "totalsize smaller than the header";
    case Error::ReservationBlockMisaligned: return "memory reservation block not 8-byte aligned";
    case Error::ReservationBlockOutside: return "memory reservation block outside the blob";
    case Error::ReservationListUnterminated: return "memory reservation list runs past the blob without its terminator";
    case Error::StructBlockMisaligned: return "structure block not 4-byte aligned";
    case Error::StructBlockOutside: return "structure block outside the blob";
    case Error::StructSizeMisaligned: return "structure block size not a multiple of 4";
    case Error::StringsBlockOutside: return "strings block outside the blob";
    case Error::BlocksOverlap: return "reservation, structure and strings blocks overlap";
    case Error::TruncatedToken: return "token truncated by the end of the structure block";
    case Error::UnknownToken: return "unknown or misaligned token in the structure block";
    case Error::NodeNameUnterminated: return "node name not NUL-terminated inside the structure block";
    case Error::NodeNameInvalid: return "node name empty or with invalid characters";
    case Error::PropertyOutsideNode: return "property outside any node";
    case Error::PropertyAfterSubnode: return "property after a subnode";
    case Error::PropertyTruncated: return "property value extends past the structure block";
    case Error::PropertyNameOffsetOutside: return "property name offset outside strings block";
    case Error::PropertyNameUnterminated: return "property name not NUL-terminated inside the strings block";
    case Error::EndNodeWithoutBeginNode: return "END_NODE without a matching BEGIN_NODE";
    case Error::NodesUnclosed: return "FDT_END with nodes still open";
    case Error::SecondRootNode: return "more than one root node";
    case Error::MissingEndToken: return "structure block ends without FDT_END";
    case Error::NoRootNode: return "structure block has no root node";
    case Error::TooDeep: return "nodes nested deeper than the limit";
    case Error::TooManyNodes: return "more nodes than the limit";
    case Error::InvalidNode: return "invalid node handle";
    case Error::NodeNotFound: return "node not found";
    case Error::PropertyNotFound: return "property not found";
    case Error::AliasNotFound: return "alias not found in /aliases";
    case Error::AliasNotAbsolute: return "alias value is not an absolute path";
    case Error::PathInvalid: return "empty or invalid path";
    case Error::PhandleInvalid: return "phandle 0 or 0xffffffff is invalid";
    case Error::PhandleNotFound: return "no node has this phandle";
    case Error::IndexOutOfRange: return "index past the last entry";
    case Error::PropertySizeWrong: return "property length wrong for its type";
    case Error::StringUnterminated: return "string property not NUL-terminated";
    case Error::CellCountTooLarge: return "#address-cells or #size-cells larger than 4";
    case Error::CellValueTooWide: return "cell value wider than 64 bits";
    case Error::RegEntryEmpty: return "#address-cells and #size-cells are both zero";
    case Error::RegSizeMismatch: return "reg length not a multiple of the entry size";
    case Error::NoRangesProperty: return "bus has no ranges property (not memory-mapped)";
    case Error::RangesSizeMismatch: return "ranges length not a multiple of the entry size";
    case Error::NoMatchingRange: return "address not covered by the parent bus's ranges";
    case Error::RegionCrossesRange: return "region extends past the end of its ranges entry";
    case Error::AddressOverflow: return "address translation overflows 64 bits";
    case Error::NoInterruptParent: return "no interrupt parent up to the root";
    case Error::InterruptParentLoop: return "interrupt-parent chain loops or is too long";
    case Error::InterruptCellsMissing: return "interrupt parent has no #interrupt-cells";
    case Error::InterruptCellsZero: return "#interrupt-cells is zero";
    case Error::InterruptCellsTooLarge: return "#interrupt-cells larger than 4";
    case Error::InterruptsSizeMismatch: return "interrupts length not a multiple of #interrupt-cells";
    }
    return "unknown fdt error";
}

vesta::Error to_abi_error(Error error) {
    switch (error) {
    case Error::None: return vesta::Error::None;
    case Error::NodeNotFound:
    case Error::PropertyNotFound:
    case Error::AliasNotFound:
    case Error::PhandleNotFound:
    case Error::NoInterruptParent: return vesta::Error::NotFound;
    case Error::IndexOutOfRange:
    case Error::NoMatchingRange:
    case Error::RegionCrossesRange: return vesta::Error::OutOfRange;
    case Error::AddressOverflow: return vesta::Error::Overflow;
    case Error::InvalidNode:
    case Error::PathInvalid: return vesta::Error::InvalidArgument;
    default: return vesta::Error::Malformed;
    }
}

} // namespace vesta::fdt
