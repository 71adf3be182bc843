// elf_section.cpp — checking an ELF64 section header table and finding a
// section by name (lib/elf_section.hpp states what is checked).
#include <lib/elf_section.hpp>
#include <lib/utility.hpp>

namespace vesta::elf {
namespace {

constexpr size_t kFileHeaderSize = 64;
constexpr uint64_t kSectionHeaderSize = 64;
constexpr uint16_t kSectionIndexReserved = 0xff00; // SHN_LORESERVE; SHN_XINDEX is 0xffff
constexpr uint32_t kSectionNull = 0;
constexpr uint32_t kSectionStringTable = 3;

// Elf64_Shdr.
struct SectionHeader {
    uint32_t name;
    uint32_t type;
    uint64_t flags;
    uint64_t address;
    uint64_t offset;
    uint64_t size;
    uint32_t link;
    uint32_t info;
    uint64_t alignment;
    uint64_t entry_size;
};
static_assert(sizeof(SectionHeader) == kSectionHeaderSize);

template <class T>
T read(const uint8_t* bytes) {
    T value;
    __builtin_memcpy(&value, bytes, sizeof(T));
    return value;
}

// The fields of the ELF header this file needs.
struct Table {
    uint64_t offset;
    uint16_t entry_size;
    uint16_t count;
    uint16_t names;
};

SectionResult<Table> read_table(const uint8_t* bytes, size_t size) {
    if (size < kFileHeaderSize) return SectionError::TooSmall;
    if (bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F' || bytes[4] != 2 || bytes[5] != 1 ||
        bytes[6] != 1)
        return SectionError::NotElf64LittleEndian;
    const Table table{read<uint64_t>(bytes + 40), read<uint16_t>(bytes + 58), read<uint16_t>(bytes + 60),
                      read<uint16_t>(bytes + 62)};
    if (table.offset == 0) return SectionError::NoSectionTable;
    if (table.entry_size != kSectionHeaderSize) return SectionError::BadSectionHeaderSize;
    if (table.count == 0 || table.names == 0xffff) return SectionError::ExtendedNumbering;
    if (table.count > kMaxSections) return SectionError::TooManySections;
    uint64_t end = 0;
    if (!checked_add(table.offset, uint64_t{table.count} * kSectionHeaderSize, &end) || end > size)
        return SectionError::SectionHeadersOutsideFile;
    return table;
}

SectionHeader header_at(const uint8_t* bytes, const Table& table, size_t index) {
    return read<SectionHeader>(bytes + table.offset + index * kSectionHeaderSize);
}

SectionResult<void> check_section(const SectionHeader& header, size_t size, uint64_t names_size) {
    if (header.name >= names_size) return SectionError::NameOutsideTable;
    if (header.alignment > 1 && !is_power_of_two(header.alignment)) return SectionError::SectionBadAlignment;
    if (header.type == kSectionNoBits || header.type == kSectionNull || header.size == 0) return {};
    uint64_t end = 0;
    if (!checked_add(header.offset, header.size, &end) || end > size) return SectionError::SectionOutsideFile;
    return {};
}

bool name_equals(const uint8_t* names, uint32_t offset, const char* name) {
    const auto* candidate = reinterpret_cast<const char*>(names + offset);
    size_t i = 0;
    while (name[i] != '\0' && candidate[i] == name[i]) ++i; // the table ends with a NUL
    return name[i] == '\0' && candidate[i] == '\0';
}

} // namespace

const char* message(SectionError error) {
    switch (error) {
    case SectionError::None: return "valid";
    case SectionError::TooSmall: return "file is smaller than an ELF header";
    case SectionError::NotElf64LittleEndian:
        return "not a little-endian ELF64 file (magic, class, encoding or version)";
    case SectionError::NoSectionTable: return "no section header table (e_shoff is 0)";
    case SectionError::BadSectionHeaderSize: return "section header entry size is not 64";
    case SectionError::ExtendedNumbering: return "extended section numbering is not supported";
    case SectionError::TooManySections: return "more than 1024 sections";
    case SectionError::SectionHeadersOutsideFile: return "section header table extends past the end of the file";
    case SectionError::FirstSectionNotNull: return "section 0 is not SHT_NULL";
    case SectionError::NoNameTable: return "no section name table (e_shstrndx is 0)";
    case SectionError::NameTableIndexOutOfRange: return "section name table index past the last section";
    case SectionError::NameTableNotStrtab: return "section name table is not a non-empty SHT_STRTAB";
    case SectionError::NameTableUnterminated: return "section name table does not end with a NUL";
    case SectionError::NameOutsideTable: return "section name offset past the end of the name table";
    case SectionError::SectionBadAlignment: return "section alignment is not a power of two";
    case SectionError::SectionOutsideFile: return "section data extends past the end of the file";
    case SectionError::NotFound: return "no section of that name";
    case SectionError::Duplicate: return "more than one section of that name";
    }
    return "unknown section error";
}

SectionResult<Section> find_section(const void* data, size_t size, const char* name) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    const Table table = TRY(read_table(bytes, size));
    if (header_at(bytes, table, 0).type != kSectionNull) return SectionError::FirstSectionNotNull;
    if (table.names == 0) return SectionError::NoNameTable;
    if (table.names >= table.count || table.names >= kSectionIndexReserved)
        return SectionError::NameTableIndexOutOfRange;
    const SectionHeader names = header_at(bytes, table, table.names);
    if (names.type != kSectionStringTable || names.size == 0) return SectionError::NameTableNotStrtab;
    TRY(check_section(names, size, names.size));
    if (bytes[names.offset + names.size - 1] != 0) return SectionError::NameTableUnterminated;

    for (size_t i = 0; i < table.count; ++i) TRY(check_section(header_at(bytes, table, i), size, names.size));

    Section found{};
    bool seen = false;
    for (size_t i = 1; i < table.count; ++i) {
        const SectionHeader header = header_at(bytes, table, i);
        if (!name_equals(bytes + names.offset, header.name, name)) continue;
        if (seen) return SectionError::Duplicate;
        seen = true;
        const bool in_file = header.type != kSectionNoBits && header.type != kSectionNull && header.size != 0;
        found = Section{
            i, header.type, header.flags, header.address, in_file ? bytes + header.offset : nullptr, header.size};
    }
    if (!seen) return SectionError::NotFound;
    return found;
}

} // namespace vesta::elf
