#include <lib/elf.hpp>
#include <lib/utility.hpp>

namespace vesta::elf {
namespace {

constexpr uint64_t kPageSize = 4096;

// On-disk layouts (ELF-64 Object File Format, version 1.5).
struct FileHeader {
    uint8_t ident[16];
    uint16_t type;
    uint16_t machine;
    uint32_t version;
    uint64_t entry;
    uint64_t program_header_offset;
    uint64_t section_header_offset;
    uint32_t flags;
    uint16_t header_size;
    uint16_t program_header_size;
    uint16_t program_header_count;
    uint16_t section_header_size;
    uint16_t section_header_count;
    uint16_t section_name_index;
};
static_assert(sizeof(FileHeader) == 64);

struct ProgramHeader {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t virtual_address;
    uint64_t physical_address;
    uint64_t file_size;
    uint64_t memory_size;
    uint64_t alignment;
};
static_assert(sizeof(ProgramHeader) == 56);

constexpr uint64_t kSectionHeaderSize = 64; // Elf64_Shdr
constexpr uint64_t kSectionHeaderSizeField = 32; // sh_size, inside Elf64_Shdr

enum : uint32_t {
    kLoad = 1,
    kDynamic = 2,
    kInterpreter = 3,
    kTls = 7,
};

template <class T>
T read(const uint8_t* bytes) {
    T value;
    __builtin_memcpy(&value, bytes, sizeof(T));
    return value;
}

ElfError check_header(const uint8_t* bytes, size_t size, const ElfRequirements& requirements,
                      FileHeader* header) {
    if (size < sizeof(FileHeader)) return ElfError::TooSmall;
    *header = read<FileHeader>(bytes);
    const uint8_t* ident = header->ident;
    if (ident[0] != 0x7f || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F')
        return ElfError::BadMagic;
    if (ident[4] != 2) return ElfError::NotElf64;
    if (ident[5] != 1) return ElfError::NotLittleEndian;
    if (ident[6] != 1 || header->version != 1) return ElfError::BadVersion;
    if (ident[7] != 0) return ElfError::BadAbi;
    if (header->type != 2) return ElfError::NotExecutable;
    if (header->machine != requirements.machine) return ElfError::WrongMachine;
    if (header->header_size != sizeof(FileHeader)) return ElfError::BadHeaderSize;
    if (header->program_header_count == 0) return ElfError::NoProgramHeaders;
    if (header->program_header_size != sizeof(ProgramHeader)) return ElfError::BadProgramHeaderSize;
    if (header->program_header_count > 64) return ElfError::TooManyProgramHeaders;
    uint64_t table_end = 0;
    if (!checked_add(header->program_header_offset,
                     uint64_t{header->program_header_count} * sizeof(ProgramHeader), &table_end) ||
        table_end > size)
        return ElfError::ProgramHeadersOutsideFile;
    return ElfError::None;
}

// The end of a segment's file bytes; false on overflow.
bool segment_file_end(const ProgramHeader& ph, uint64_t* end) { return checked_add(ph.offset, ph.file_size, end); }

// The end of the section header table (0 when there is none); false on
// overflow. With extended numbering (e_shnum 0) the count is entry 0's
// sh_size, when entry 0 is inside the file, else 1.
bool section_table_end(const uint8_t* bytes, size_t size, const FileHeader& header, uint64_t* end) {
    *end = 0;
    if (header.section_header_offset == 0) return true;
    uint64_t count = header.section_header_count;
    uint64_t first_end = 0;
    if (count == 0) {
        count = 1;
        if (checked_add(header.section_header_offset, kSectionHeaderSize, &first_end) && first_end <= size)
            count = read<uint64_t>(bytes + header.section_header_offset + kSectionHeaderSizeField);
    }
    if (count > UINT64_MAX / kSectionHeaderSize) return false;
    return checked_add(header.section_header_offset, count * kSectionHeaderSize, end);
}

ElfError check_segment(const ProgramHeader& ph, const ElfRequirements& requirements) {
    if (ph.file_size > ph.memory_size) return ElfError::SegmentFileSizeExceedsMemorySize;
    uint64_t memory_end = 0;
    uint64_t page_end = 0;
    if (!checked_add(ph.virtual_address, ph.memory_size, &memory_end) ||
        !checked_align_up(memory_end, kPageSize, &page_end))
        return ElfError::SegmentAddressOverflow;
    const uint64_t highest = requirements.highest_address;
    if (align_down(ph.virtual_address, kPageSize) < requirements.lowest_address ||
        (highest != 0 && (page_end > highest || page_end == 0)))
        return ElfError::SegmentOutsideAllowedRange;
    if (ph.alignment > 1 && !is_power_of_two(ph.alignment)) return ElfError::SegmentBadAlignment;
    // Loading maps file pages at virtual pages: offsets must agree modulo the page size.
    if ((ph.virtual_address - ph.offset) % kPageSize != 0) return ElfError::SegmentMisaligned;
    if ((ph.flags & kWrite) && (ph.flags & kExecute)) return ElfError::SegmentWritableAndExecutable;
    return ElfError::None;
}

} // namespace

const char* elf_error_message(ElfError error) {
    switch (error) {
    case ElfError::None: return "valid";
    case ElfError::TooSmall: return "file is smaller than an ELF header";
    case ElfError::BadMagic: return "not an ELF file (bad magic)";
    case ElfError::NotElf64: return "not a 64-bit ELF file (class is not ELFCLASS64)";
    case ElfError::NotLittleEndian: return "not a little-endian ELF file";
    case ElfError::BadVersion: return "unsupported ELF version";
    case ElfError::BadAbi: return "unsupported OS ABI (expected System V)";
    case ElfError::NotExecutable: return "not an executable (e_type is not ET_EXEC)";
    case ElfError::WrongMachine: return "built for another machine (wrong e_machine)";
    case ElfError::BadHeaderSize: return "ELF header size field is wrong";
    case ElfError::BadProgramHeaderSize: return "program header entry size is wrong";
    case ElfError::NoProgramHeaders: return "no program headers";
    case ElfError::TooManyProgramHeaders: return "too many program headers";
    case ElfError::ProgramHeadersOutsideFile: return "program header table extends past the end of the file";
    case ElfError::DynamicNotSupported: return "dynamic linking (PT_DYNAMIC/PT_INTERP) is not supported";
    case ElfError::TlsNotSupported: return "thread-local storage (PT_TLS) is not supported";
    case ElfError::SegmentFileSizeExceedsMemorySize: return "segment file size exceeds its memory size";
    case ElfError::SegmentOutsideFile: return "segment data extends past the end of the file";
    case ElfError::SegmentAddressOverflow: return "segment address range overflows";
    case ElfError::SegmentOutsideAllowedRange: return "segment lies outside the allowed address range";
    case ElfError::SegmentBadAlignment: return "segment alignment is not a power of two";
    case ElfError::SegmentMisaligned: return "segment file offset and address disagree modulo the page size";
    case ElfError::SegmentWritableAndExecutable: return "segment is both writable and executable (W^X)";
    case ElfError::SegmentsOverlap: return "loadable segments overlap (at page granularity)";
    case ElfError::NoLoadableSegments: return "no loadable segments";
    case ElfError::EntryNotInExecutableSegment: return "entry point is not inside an executable segment";
    case ElfError::BadSectionHeaderSize: return "section header entry size is wrong";
    case ElfError::SectionHeadersOutsideFile: return "section header table extends past the end of the file";
    }
    return "unknown ELF error";
}

bool is_truncation(ElfError error) {
    return error == ElfError::TooSmall || error == ElfError::ProgramHeadersOutsideFile ||
           error == ElfError::SegmentOutsideFile || error == ElfError::SectionHeadersOutsideFile;
}

uint64_t elf_described_size(const void* data, size_t size) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    if (size < sizeof(FileHeader)) return sizeof(FileHeader);
    const auto header = read<FileHeader>(bytes);
    uint64_t described = sizeof(FileHeader);
    uint64_t end = 0;
    if (!checked_add(header.program_header_offset,
                     uint64_t{header.program_header_count} * sizeof(ProgramHeader), &end))
        return UINT64_MAX;
    if (header.program_header_count) described = max(described, end);
    for (size_t i = 0; i < header.program_header_count; ++i) {
        uint64_t entry_end = 0;
        const uint64_t entry = header.program_header_offset + i * sizeof(ProgramHeader);
        if (!checked_add(entry, sizeof(ProgramHeader), &entry_end) || entry_end > size) break;
        if (!segment_file_end(read<ProgramHeader>(bytes + entry), &end)) return UINT64_MAX;
        described = max(described, end);
    }
    if (!section_table_end(bytes, size, header, &end)) return UINT64_MAX;
    return max(described, end);
}

ElfError validate_elf(const void* data, size_t size, const ElfRequirements& requirements,
                      ElfImage* image) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    FileHeader header;
    if (ElfError error = check_header(bytes, size, requirements, &header); error != ElfError::None)
        return error;

    image->entry = header.entry;
    image->segment_count = 0;
    image->lowest_address = UINT64_MAX;
    image->highest_address = 0;
    for (size_t i = 0; i < header.program_header_count; ++i) {
        const auto ph = read<ProgramHeader>(bytes + header.program_header_offset + i * sizeof(ProgramHeader));
        uint64_t file_end = 0;
        if (!segment_file_end(ph, &file_end) || file_end > size) return ElfError::SegmentOutsideFile;
        if (ph.type == kDynamic || ph.type == kInterpreter) return ElfError::DynamicNotSupported;
        if (ph.type == kTls) return ElfError::TlsNotSupported;
        if (ph.type != kLoad || ph.memory_size == 0) continue;
        if (ElfError error = check_segment(ph, requirements); error != ElfError::None)
            return error;
        if (image->segment_count == kMaxSegments) return ElfError::TooManyProgramHeaders;
        const uint64_t first_page = align_down(ph.virtual_address, kPageSize);
        const uint64_t end_page = align_up(ph.virtual_address + ph.memory_size, kPageSize);
        for (size_t j = 0; j < image->segment_count; ++j) {
            const Segment& other = image->segments[j];
            const uint64_t other_first = align_down(other.virtual_address, kPageSize);
            const uint64_t other_end = align_up(other.virtual_address + other.memory_size, kPageSize);
            if (first_page < other_end && other_first < end_page) return ElfError::SegmentsOverlap;
        }
        image->segments[image->segment_count++] =
            Segment{ph.virtual_address, ph.memory_size, ph.offset, ph.file_size, ph.flags & 7};
        image->lowest_address = min(image->lowest_address, first_page);
        image->highest_address = max(image->highest_address, end_page);
    }
    if (image->segment_count == 0) return ElfError::NoLoadableSegments;
    if (header.section_header_offset != 0 && header.section_header_size != kSectionHeaderSize)
        return ElfError::BadSectionHeaderSize;
    uint64_t section_end = 0;
    if (!section_table_end(bytes, size, header, &section_end) || section_end > size)
        return ElfError::SectionHeadersOutsideFile;

    for (size_t i = 0; i < image->segment_count; ++i) {
        const Segment& segment = image->segments[i];
        if ((segment.flags & kExecute) && header.entry >= segment.virtual_address &&
            header.entry - segment.virtual_address < segment.memory_size)
            return ElfError::None;
    }
    return ElfError::EntryNotInExecutableSegment;
}

} // namespace vesta::elf
