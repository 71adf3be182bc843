#include <lib/elf.hpp>
#include <lib/utility.hpp>

namespace vesta::elf {
namespace {

constexpr uint64_t kPageSize = kElfPageSize;

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

constexpr uint64_t kSectionHeaderSize = 64;      // Elf64_Shdr
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

Error check_header(const uint8_t* bytes, size_t size, const ElfRequirements& requirements, FileHeader* header) {
    if (size < sizeof(FileHeader)) return Error::TooSmall;
    *header = read<FileHeader>(bytes);
    const uint8_t* ident = header->ident;
    if (ident[0] != 0x7f || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F') return Error::BadMagic;
    if (ident[4] != 2) return Error::NotElf64;
    if (ident[5] != 1) return Error::NotLittleEndian;
    if (ident[6] != 1 || header->version != 1) return Error::BadVersion;
    if (ident[7] != 0) return Error::BadAbi;
    if (header->type != 2) return Error::NotExecutable;
    if (header->machine != requirements.machine) return Error::WrongMachine;
    if (header->header_size != sizeof(FileHeader)) return Error::BadHeaderSize;
    if (header->program_header_count == 0) return Error::NoProgramHeaders;
    if (header->program_header_size != sizeof(ProgramHeader)) return Error::BadProgramHeaderSize;
    if (header->program_header_count > 64) return Error::TooManyProgramHeaders;
    uint64_t table_end = 0;
    if (!checked_add(header->program_header_offset, uint64_t{header->program_header_count} * sizeof(ProgramHeader),
                     &table_end) ||
        table_end > size)
        return Error::ProgramHeadersOutsideFile;
    return Error::None;
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

Error check_segment(const ProgramHeader& ph, const ElfRequirements& requirements) {
    if (ph.file_size > ph.memory_size) return Error::SegmentFileSizeExceedsMemorySize;
    uint64_t memory_end = 0;
    uint64_t page_end = 0;
    if (!checked_add(ph.virtual_address, ph.memory_size, &memory_end) ||
        !checked_align_up(memory_end, kPageSize, &page_end))
        return Error::SegmentAddressOverflow;
    const uint64_t highest = requirements.highest_address;
    if (align_down(ph.virtual_address, kPageSize) < requirements.lowest_address ||
        (highest != 0 && (page_end > highest || page_end == 0)))
        return Error::SegmentOutsideAllowedRange;
    if (ph.alignment > 1 && !is_power_of_two(ph.alignment)) return Error::SegmentBadAlignment;
    // Loading maps file pages at virtual pages: offsets must agree modulo the page size.
    if ((ph.virtual_address - ph.offset) % kPageSize != 0) return Error::SegmentMisaligned;
    if ((ph.flags & kWrite) && (ph.flags & kExecute)) return Error::SegmentWritableAndExecutable;
    return Error::None;
}

} // namespace

const char* message(Error error) {
    switch (error) {
    case Error::None: return "valid";
    case Error::TooSmall: return "file is smaller than an ELF header";
    case Error::BadMagic: return "not an ELF file (bad magic)";
    case Error::NotElf64: return "not a 64-bit ELF file (class is not ELFCLASS64)";
    case Error::NotLittleEndian: return "not a little-endian ELF file";
    case Error::BadVersion: return "unsupported ELF version";
    case Error::BadAbi: return "unsupported OS ABI (expected System V)";
    case Error::NotExecutable: return "not an executable (e_type is not ET_EXEC)";
    case Error::WrongMachine: return "built for another machine (wrong e_machine)";
    case Error::BadHeaderSize: return "ELF header size field is wrong";
    case Error::BadProgramHeaderSize: return "program header entry size is wrong";
    case Error::NoProgramHeaders: return "no program headers";
    case Error::TooManyProgramHeaders: return "too many program headers";
    case Error::ProgramHeadersOutsideFile: return "program header table extends past the end of the file";
    case Error::DynamicNotSupported: return "dynamic linking (PT_DYNAMIC/PT_INTERP) is not supported";
    case Error::TlsNotSupported: return "thread-local storage (PT_TLS) is not supported";
    case Error::SegmentFileSizeExceedsMemorySize: return "segment file size exceeds its memory size";
    case Error::SegmentOutsideFile: return "segment data extends past the end of the file";
    case Error::SegmentAddressOverflow: return "segment address range overflows";
    case Error::SegmentOutsideAllowedRange: return "segment lies outside the allowed address range";
    case Error::SegmentBadAlignment: return "segment alignment is not a power of two";
    case Error::SegmentMisaligned: return "segment file offset and address disagree modulo the page size";
    case Error::SegmentWritableAndExecutable: return "segment is both writable and executable (W^X)";
    case Error::SegmentsOverlap: return "loadable segments overlap (at page granularity)";
    case Error::NoLoadableSegments: return "no loadable segments";
    case Error::EntryNotInExecutableSegment: return "entry point is not inside an executable segment";
    case Error::BadSectionHeaderSize: return "section header entry size is wrong";
    case Error::SectionHeadersOutsideFile: return "section header table extends past the end of the file";
    }
    return "unknown ELF error";
}

bool is_truncation(Error error) {
    return error == Error::TooSmall || error == Error::ProgramHeadersOutsideFile ||
           error == Error::SegmentOutsideFile || error == Error::SectionHeadersOutsideFile;
}

uint64_t elf_described_size(const void* data, size_t size) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    if (size < sizeof(FileHeader)) return sizeof(FileHeader);
    const auto header = read<FileHeader>(bytes);
    uint64_t described = sizeof(FileHeader);
    uint64_t end = 0;
    if (!checked_add(header.program_header_offset, uint64_t{header.program_header_count} * sizeof(ProgramHeader), &end))
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

namespace {

Error validate_into(const void* data, size_t size, const ElfRequirements& requirements, ElfImage* image) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    FileHeader header;
    if (Error error = check_header(bytes, size, requirements, &header); error != Error::None) return error;

    image->entry = header.entry;
    image->segment_count = 0;
    image->lowest_address = UINT64_MAX;
    image->highest_address = 0;
    for (size_t i = 0; i < header.program_header_count; ++i) {
        const auto ph = read<ProgramHeader>(bytes + header.program_header_offset + i * sizeof(ProgramHeader));
        uint64_t file_end = 0;
        if (!segment_file_end(ph, &file_end) || file_end > size) return Error::SegmentOutsideFile;
        if (ph.type == kDynamic || ph.type == kInterpreter) return Error::DynamicNotSupported;
        if (ph.type == kTls) return Error::TlsNotSupported;
        if (ph.type != kLoad || ph.memory_size == 0) continue;
        if (Error error = check_segment(ph, requirements); error != Error::None) return error;
        if (image->segment_count == kMaxSegments) return Error::TooManyProgramHeaders;
        const Segment segment{ph.virtual_address, ph.memory_size, ph.offset, ph.file_size, ph.flags & 7};
        for (size_t j = 0; j < image->segment_count; ++j) {
            const Segment& other = image->segments[j];
            if (segment.first_page() < other.end_page() && other.first_page() < segment.end_page())
                return Error::SegmentsOverlap;
        }
        image->segments[image->segment_count++] = segment;
        image->lowest_address = min(image->lowest_address, segment.first_page());
        image->highest_address = max(image->highest_address, segment.end_page());
    }
    if (image->segment_count == 0) return Error::NoLoadableSegments;
    if (header.section_header_offset != 0 && header.section_header_size != kSectionHeaderSize)
        return Error::BadSectionHeaderSize;
    uint64_t section_end = 0;
    if (!section_table_end(bytes, size, header, &section_end) || section_end > size)
        return Error::SectionHeadersOutsideFile;

    for (size_t i = 0; i < image->segment_count; ++i) {
        const Segment& segment = image->segments[i];
        if ((segment.flags & kExecute) && header.entry >= segment.virtual_address &&
            header.entry - segment.virtual_address < segment.memory_size)
            return Error::None;
    }
    return Error::EntryNotInExecutableSegment;
}

} // namespace

Result<ElfImage> validate_elf(const void* data, size_t size, const ElfRequirements& requirements) {
    ElfImage image{};
    if (const Error error = validate_into(data, size, requirements, &image); error != Error::None) return error;
    return image;
}

} // namespace vesta::elf
