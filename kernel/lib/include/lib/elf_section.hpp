// lib/elf_section.hpp — the section header table of an ELF64 file, checked
// strictly, and lookup of a section by name (e.g. a driver's .manifest).
//
// Contract: find_section() reads only inside [data, data + size). Before it
// looks at any name it checks the whole table, and fails with the first
// fault: the ELF identification (magic, ELFCLASS64, little-endian, version
// 1), a section table that exists (e_shoff != 0), has 64-byte entries, uses
// no extended numbering (e_shnum 0 or e_shstrndx SHN_XINDEX), holds at most
// kMaxSections entries and lies inside the file without wrapping; entry 0
// of type SHT_NULL; a name table (e_shstrndx) inside the table, of type
// SHT_STRTAB, non-empty and ending with a NUL; and for every section: its
// name offset inside the name table, its alignment 0 or a power of two, and
// its bytes (unless SHT_NOBITS) inside the file without wrapping. It does
// not check program headers: lib/elf's validate_elf() does that, and a
// loader runs both.
#pragma once

#include <lib/result.hpp>
#include <stddef.h>
#include <stdint.h>

namespace vesta::elf {

inline constexpr size_t kMaxSections = 1024;
inline constexpr uint32_t kSectionNoBits = 8; // SHT_NOBITS

enum class SectionError : uint8_t {
    None,
    TooSmall,                  // shorter than an ELF header
    NotElf64LittleEndian,      // bad magic, class, data encoding or version
    NoSectionTable,            // e_shoff is 0
    BadSectionHeaderSize,      // e_shentsize is not 64
    ExtendedNumbering,         // e_shnum 0 with a table, or e_shstrndx SHN_XINDEX
    TooManySections,           // more than kMaxSections
    SectionHeadersOutsideFile, // the table extends past the end of the file
    FirstSectionNotNull,       // entry 0 is not SHT_NULL
    NoNameTable,               // e_shstrndx is SHN_UNDEF
    NameTableIndexOutOfRange,  // e_shstrndx >= e_shnum
    NameTableNotStrtab,        // the name table is not SHT_STRTAB, or is empty
    NameTableUnterminated,     // its last byte is not NUL
    NameOutsideTable,          // a section's sh_name is past the name table
    SectionBadAlignment,       // sh_addralign neither 0 nor a power of two
    SectionOutsideFile,        // a section's bytes extend past the end of the file
    NotFound,                  // no section of that name (the table is valid)
    Duplicate,                 // more than one section of that name
};

// A precise, static, lower-case description of `error`.
const char* message(SectionError error);

// One section, as found in a checked table.
struct Section {
    size_t index;
    uint32_t type;        // SHT_*
    uint64_t flags;       // SHF_*
    uint64_t address;     // sh_addr
    const uint8_t* bytes; // inside the file; nullptr for SHT_NOBITS, SHT_NULL or size 0
    uint64_t size;        // sh_size (for SHT_NOBITS: bytes in memory, none in the file)
};

template <class T>
using SectionResult = vesta::Result<T, SectionError>;

// Checks the section table of the ELF file [data, data + size) as stated
// above, then returns the one section called `name` (NUL-terminated).
SectionResult<Section> find_section(const void* data, size_t size, const char* name);

} // namespace vesta::elf
