// lib/elf.hpp — validation of static ELF64 executables (the kernel, and later
// user programs), before anything is loaded.
//
// Contract: validate_elf() reads only inside [data, data + size) and returns
// either an ElfImage whose every segment is consistent with the file and with
// the ElfRequirements, or an elf::Error naming the first fault found.
// A valid image is no shorter than anything its header describes (the
// program and section header tables, every segment's file bytes:
// elf_described_size() <= size), and satisfies, for every loadable segment:
//   file bytes inside the file; file size <= memory size; no address overflow;
//   inside [requirements.lowest_address, requirements.highest_address);
//   not writable and executable at once (W^X); page-granular and disjoint
//   from every other loadable segment (so each page has one set of rights);
// and the entry point lies inside an executable segment.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/result.hpp>

namespace vesta::elf {

inline constexpr uint16_t kMachineX86_64 = 62;
inline constexpr uint16_t kMachineAArch64 = 183;
inline constexpr size_t kMaxSegments = 16;
// Segments are checked and laid out in pages of this size.
inline constexpr uint64_t kElfPageSize = 4096;

enum class Error : uint8_t {
    None,
    TooSmall,
    BadMagic,
    NotElf64,
    NotLittleEndian,
    BadVersion,
    BadAbi,
    NotExecutable,
    WrongMachine,
    BadHeaderSize,
    BadProgramHeaderSize,
    NoProgramHeaders,
    TooManyProgramHeaders,
    ProgramHeadersOutsideFile,
    DynamicNotSupported,
    TlsNotSupported,
    SegmentFileSizeExceedsMemorySize,
    SegmentOutsideFile,
    SegmentAddressOverflow,
    SegmentOutsideAllowedRange,
    SegmentBadAlignment,
    SegmentMisaligned,
    SegmentWritableAndExecutable,
    SegmentsOverlap,
    NoLoadableSegments,
    EntryNotInExecutableSegment,
    BadSectionHeaderSize,
    SectionHeadersOutsideFile,
};

// A precise, human-readable description of an elf::Error.
const char* message(Error error);

template <class T>
using Result = vesta::Result<T, Error>;

// Whether `error` says the file is shorter than its header describes (a
// copy cut short): then elf_described_size() > the file's size.
bool is_truncation(Error error);

// The smallest file size that holds everything the ELF header in
// [data, data + size) describes: the header itself, the program header
// table, the file bytes of every segment whose program header is inside the
// file, and the section header table. Reads only inside the file; at least
// the size of an ELF header; UINT64_MAX when a description overflows.
uint64_t elf_described_size(const void* data, size_t size);

enum SegmentFlags : uint32_t { kRead = 4, kWrite = 2, kExecute = 1 };

struct Segment {
    uint64_t virtual_address; // of the first byte (may be inside a page)
    uint64_t memory_size;
    uint64_t file_offset;
    uint64_t file_size;
    uint32_t flags; // SegmentFlags

    // The page-aligned span [first_page(), end_page()) the segment occupies
    // in memory (validate_elf() checked that it does not overflow).
    uint64_t first_page() const { return virtual_address & ~(kElfPageSize - 1); }
    uint64_t end_page() const { return (virtual_address + memory_size + kElfPageSize - 1) & ~(kElfPageSize - 1); }
    uint64_t page_count() const { return (end_page() - first_page()) / kElfPageSize; }
};

struct ElfImage {
    uint64_t entry;
    size_t segment_count;
    Segment segments[kMaxSegments];
    // The page-aligned span covering every segment.
    uint64_t lowest_address;
    uint64_t highest_address; // exclusive
};

struct ElfRequirements {
    uint16_t machine;
    uint64_t lowest_address;  // inclusive
    uint64_t highest_address; // exclusive; 0 means the top of the address space
};

Result<ElfImage> validate_elf(const void* data, size_t size, const ElfRequirements& requirements);

} // namespace vesta::elf
