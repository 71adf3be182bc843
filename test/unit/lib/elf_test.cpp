// Tests of lib/elf: a good image passes, and each malformation is refused
// with its own error.
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <lib/elf.hpp>
#include <vector>

using namespace vesta::elf;

namespace {

constexpr uint64_t kBase = 0xffffffff80000000;

struct Phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

// A well-formed three-segment kernel: text (RX), rodata (R), data+bss (RW).
struct ElfFixture {
    std::vector<uint8_t> bytes = std::vector<uint8_t>(0x4000, 0);
    std::vector<Phdr> phdrs{
        {1, 5, 0x1000, kBase + 0x1000, 0, 0x800, 0x800, 0x1000},
        {1, 4, 0x2000, kBase + 0x2000, 0, 0x100, 0x100, 0x1000},
        {1, 6, 0x3000, kBase + 0x3000, 0, 0x200, 0x5000, 0x1000},
    };
    uint64_t entry = kBase + 0x1010;
    uint16_t machine = kMachineX86_64;
    uint16_t type = 2;
    uint16_t phentsize = 56;
    uint64_t phoff = 64;
    // The section header table (none by default), as a linker places it:
    // after everything else.
    uint64_t shoff = 0;
    uint16_t shnum = 0;
    uint16_t shentsize = 64;
    uint64_t extended_count = 0; // entry 0's sh_size, for shnum == 0

    std::vector<uint8_t> build() const {
        std::vector<uint8_t> out = bytes;
        const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
        std::memcpy(out.data(), ident, 16);
        auto put16 = [&](size_t at, uint16_t v) { std::memcpy(out.data() + at, &v, 2); };
        auto put32 = [&](size_t at, uint32_t v) { std::memcpy(out.data() + at, &v, 4); };
        auto put64 = [&](size_t at, uint64_t v) { std::memcpy(out.data() + at, &v, 8); };
        put16(16, type);
        put16(18, machine);
        put32(20, 1);
        put64(24, entry);
        put64(32, phoff);
        put64(40, shoff);
        put16(52, 64);
        put16(54, phentsize);
        put16(56, static_cast<uint16_t>(phdrs.size()));
        put16(58, shentsize);
        put16(60, shnum);
        if (shoff && shoff + 64 <= out.size()) put64(shoff + 32, extended_count);
        for (size_t i = 0; i < phdrs.size(); ++i)
            if (phoff <= out.size() && (i + 1) * 56 <= out.size() - phoff)
                std::memcpy(out.data() + phoff + i * 56, &phdrs[i], 56);
        return out;
    }
};

Error check(const std::vector<uint8_t>& bytes, uint64_t low = 0xffff800000000000) {
    ElfRequirements requirements{kMachineX86_64, low, 0};
    return validate_elf(bytes.data(), bytes.size(), requirements).error();
}

} // namespace

TEST_CASE("a well-formed kernel image is accepted and described", "[elf]") {
    ElfFixture fixture;
    auto bytes = fixture.build();
    const auto validated = validate_elf(bytes.data(), bytes.size(), {kMachineX86_64, 0xffff800000000000, 0});
    REQUIRE(validated.ok());
    const ElfImage& image = validated.value();
    CHECK(image.entry == kBase + 0x1010);
    REQUIRE(image.segment_count == 3);
    CHECK(image.segments[0].flags == (kRead | kExecute));
    CHECK(image.segments[2].memory_size == 0x5000);
    CHECK(image.lowest_address == kBase + 0x1000);
    CHECK(image.highest_address == kBase + 0x8000);
}

TEST_CASE("malformed ELF headers are refused precisely", "[elf]") {
    ElfFixture fixture;
    auto good = fixture.build();

    SECTION("too small") {
        good.resize(40);
        CHECK(check(good) == Error::TooSmall);
    }
    SECTION("bad magic") {
        good[1] = 'X';
        CHECK(check(good) == Error::BadMagic);
    }
    SECTION("32-bit class") {
        good[4] = 1;
        CHECK(check(good) == Error::NotElf64);
    }
    SECTION("big endian") {
        good[5] = 2;
        CHECK(check(good) == Error::NotLittleEndian);
    }
    SECTION("bad version") {
        good[6] = 0;
        CHECK(check(good) == Error::BadVersion);
    }
    SECTION("foreign ABI") {
        good[7] = 3;
        CHECK(check(good) == Error::BadAbi);
    }
    SECTION("shared object") {
        fixture.type = 3;
        CHECK(check(fixture.build()) == Error::NotExecutable);
    }
    SECTION("wrong machine") {
        fixture.machine = kMachineAArch64;
        CHECK(check(fixture.build()) == Error::WrongMachine);
    }
    SECTION("bad program header entry size") {
        fixture.phentsize = 32;
        CHECK(check(fixture.build()) == Error::BadProgramHeaderSize);
    }
    SECTION("no program headers") {
        fixture.phdrs.clear();
        CHECK(check(fixture.build()) == Error::NoProgramHeaders);
    }
    SECTION("program headers past the end of the file") {
        fixture.phoff = fixture.bytes.size() - 56;
        CHECK(check(fixture.build()) == Error::ProgramHeadersOutsideFile);
    }
    SECTION("program header offset that overflows") {
        fixture.phoff = UINT64_MAX - 8;
        CHECK(check(fixture.build()) == Error::ProgramHeadersOutsideFile);
    }
}

TEST_CASE("malformed segments are refused precisely", "[elf]") {
    ElfFixture fixture;
    SECTION("file size larger than memory size") {
        fixture.phdrs[1].filesz = 0x200;
        CHECK(check(fixture.build()) == Error::SegmentFileSizeExceedsMemorySize);
    }
    SECTION("data past the end of the file") {
        fixture.phdrs[2].filesz = 0x2000;
        CHECK(check(fixture.build()) == Error::SegmentOutsideFile);
    }
    SECTION("file offset that overflows") {
        fixture.phdrs[1].offset = UINT64_MAX - 0x10;
        CHECK(check(fixture.build()) == Error::SegmentOutsideFile);
    }
    SECTION("memory size that overflows the address space") {
        fixture.phdrs[2].memsz = UINT64_MAX - 0x100;
        CHECK(check(fixture.build()) == Error::SegmentAddressOverflow);
    }
    SECTION("segment in the lower half") {
        fixture.phdrs[0].vaddr = 0x401000;
        CHECK(check(fixture.build()) == Error::SegmentOutsideAllowedRange);
    }
    SECTION("alignment not a power of two") {
        fixture.phdrs[0].align = 0x3000;
        CHECK(check(fixture.build()) == Error::SegmentBadAlignment);
    }
    SECTION("offset and address disagree modulo the page size") {
        fixture.phdrs[1].vaddr += 0x10;
        CHECK(check(fixture.build()) == Error::SegmentMisaligned);
    }
    SECTION("writable and executable") {
        fixture.phdrs[0].flags = 7;
        CHECK(check(fixture.build()) == Error::SegmentWritableAndExecutable);
    }
    SECTION("segments overlapping") {
        fixture.phdrs[1].vaddr = kBase + 0x1000;
        fixture.phdrs[1].offset = 0x1000;
        CHECK(check(fixture.build()) == Error::SegmentsOverlap);
    }
    SECTION("segments sharing a page") {
        fixture.phdrs[1].vaddr = kBase + 0x1800;
        fixture.phdrs[1].offset = 0x1800;
        CHECK(check(fixture.build()) == Error::SegmentsOverlap);
    }
    SECTION("dynamic executable") {
        fixture.phdrs.push_back({2, 4, 0, 0, 0, 0, 0, 8});
        CHECK(check(fixture.build()) == Error::DynamicNotSupported);
    }
    SECTION("interpreter") {
        fixture.phdrs.push_back({3, 4, 0, 0, 0, 0, 0, 1});
        CHECK(check(fixture.build()) == Error::DynamicNotSupported);
    }
    SECTION("thread-local storage") {
        fixture.phdrs.push_back({7, 4, 0, 0, 0, 0, 0, 8});
        CHECK(check(fixture.build()) == Error::TlsNotSupported);
    }
    SECTION("no loadable segments") {
        for (auto& phdr : fixture.phdrs) phdr.type = 4; // PT_NOTE
        CHECK(check(fixture.build()) == Error::NoLoadableSegments);
    }
    SECTION("entry outside every segment") {
        fixture.entry = kBase + 0x9000;
        CHECK(check(fixture.build()) == Error::EntryNotInExecutableSegment);
    }
    SECTION("entry in a data segment") {
        fixture.entry = kBase + 0x3000;
        CHECK(check(fixture.build()) == Error::EntryNotInExecutableSegment);
    }
    SECTION("too many loadable segments") {
        fixture.bytes.resize(0x40000);
        fixture.phdrs.clear();
        for (uint64_t i = 0; i <= kMaxSegments; ++i)
            fixture.phdrs.push_back({1, 5, 0x1000 * (i + 1), kBase + 0x1000 * (i + 1), 0, 0x10, 0x10, 0x1000});
        CHECK(check(fixture.build()) == Error::TooManyProgramHeaders);
    }
}

TEST_CASE("every ELF error has a distinct message", "[elf]") {
    for (int i = 0; i <= static_cast<int>(Error::SectionHeadersOutsideFile); ++i) {
        const char* text = message(static_cast<Error>(i));
        CHECK(std::strcmp(text, "unknown ELF error") != 0);
        for (int j = 0; j < i; ++j) CHECK(std::strcmp(text, message(static_cast<Error>(j))) != 0);
    }
}

TEST_CASE("no truncation of a valid image reads out of bounds", "[elf]") {
    auto bytes = ElfFixture{}.build();
    const size_t end_of_data = 0x3200; // the data segment's file bytes end here
    for (size_t size = 0; size < end_of_data; size += 7) {
        std::vector<uint8_t> truncated(bytes.begin(), bytes.begin() + static_cast<long>(size));
        CHECK(check(truncated) != Error::None);
    }
}

namespace {

// The fixture with a section header table of `count` entries at 0x3800,
// inside its 0x4000 bytes; or, with `cut`, the file cut right after the
// loadable segments (0x3200), as a copy cut short would be.
ElfFixture with_sections(uint16_t count = 8) {
    ElfFixture fixture;
    fixture.shoff = 0x3800;
    fixture.shnum = count;
    return fixture;
}

std::vector<uint8_t> cut(std::vector<uint8_t> bytes, size_t size) {
    bytes.resize(size);
    return bytes;
}

uint64_t described(const std::vector<uint8_t>& bytes) { return elf_described_size(bytes.data(), bytes.size()); }

} // namespace

TEST_CASE("a section header table inside the file is accepted", "[elf][truncation]") {
    const auto bytes = with_sections().build();
    CHECK(check(bytes) == Error::None);
    CHECK(described(bytes) == 0x3800 + 8 * 64);
    CHECK(described(ElfFixture{}.build()) == 0x3200); // no table: the data segment ends last
}

TEST_CASE("a file shorter than what its header describes is refused as truncated", "[elf][truncation]") {
    SECTION("cut right after the loadable segments: the section headers are lost") {
        const auto bytes = cut(with_sections().build(), 0x3200);
        CHECK(check(bytes) == Error::SectionHeadersOutsideFile);
        CHECK(is_truncation(Error::SectionHeadersOutsideFile));
        CHECK(described(bytes) == 0x3800 + 8 * 64);
    }
    SECTION("cut inside the section header table") {
        const auto bytes = cut(with_sections().build(), 0x3800 + 3 * 64);
        CHECK(check(bytes) == Error::SectionHeadersOutsideFile);
        CHECK(described(bytes) == 0x3800 + 8 * 64);
    }
    SECTION("cut inside a segment") {
        const auto bytes = cut(with_sections().build(), 0x2080);
        CHECK(check(bytes) == Error::SegmentOutsideFile);
        CHECK(described(bytes) == 0x3800 + 8 * 64);
    }
    SECTION("cut inside the program header table") {
        const auto bytes = cut(with_sections().build(), 64 + 56 + 10);
        CHECK(check(bytes) == Error::ProgramHeadersOutsideFile);
        CHECK(described(bytes) == 0x3800 + 8 * 64); // the headers read before the cut still count
    }
    SECTION("cut inside the ELF header") {
        const auto bytes = cut(with_sections().build(), 40);
        CHECK(check(bytes) == Error::TooSmall);
        CHECK(described(bytes) == 64);
    }
    SECTION("a segment other than a loadable one past the end") {
        ElfFixture fixture;
        fixture.phdrs.push_back({4, 4, 0x3f00, 0, 0, 0x200, 0x200, 4}); // PT_NOTE
        const auto bytes = fixture.build();
        CHECK(check(bytes) == Error::SegmentOutsideFile);
        CHECK(described(bytes) == 0x4100);
    }
    SECTION("a section header offset that overflows") {
        auto fixture = with_sections();
        fixture.shoff = UINT64_MAX - 64;
        const auto bytes = fixture.build();
        CHECK(check(bytes) == Error::SectionHeadersOutsideFile);
        CHECK(described(bytes) == UINT64_MAX);
    }
    for (Error error : {Error::TooSmall, Error::ProgramHeadersOutsideFile, Error::SegmentOutsideFile,
                        Error::SectionHeadersOutsideFile})
        CHECK(is_truncation(error));
    CHECK_FALSE(is_truncation(Error::None));
    CHECK_FALSE(is_truncation(Error::BadSectionHeaderSize));
}

TEST_CASE("section header tables are checked as the ELF specification lays them out", "[elf][truncation]") {
    SECTION("a wrong entry size") {
        auto fixture = with_sections();
        fixture.shentsize = 40;
        CHECK(check(fixture.build()) == Error::BadSectionHeaderSize);
    }
    SECTION("extended numbering: the count is entry 0's sh_size") {
        auto fixture = with_sections(0);
        fixture.extended_count = 4;
        CHECK(check(fixture.build()) == Error::None);
        CHECK(described(fixture.build()) == 0x3800 + 4 * 64);
        fixture.extended_count = 100; // 0x3800 + 100 * 64 is past the end
        CHECK(check(fixture.build()) == Error::SectionHeadersOutsideFile);
        CHECK(described(fixture.build()) == 0x3800 + 100 * 64);
    }
    SECTION("extended numbering with entry 0 itself cut off") {
        const auto bytes = cut(with_sections(0).build(), 0x3810);
        CHECK(check(bytes) == Error::SectionHeadersOutsideFile);
        CHECK(described(bytes) == 0x3800 + 64);
    }
    SECTION("no table: offset 0, whatever the other fields say") {
        auto fixture = ElfFixture{};
        fixture.shnum = 12;
        fixture.shentsize = 0;
        CHECK(check(fixture.build()) == Error::None);
    }
}

TEST_CASE("what a valid image describes fits in it", "[elf][truncation]") {
    auto bytes = with_sections().build();
    for (size_t size = 0; size <= bytes.size(); size += 13) {
        const auto truncated = cut(bytes, size);
        const Error error = check(truncated);
        if (error == Error::None)
            CHECK(described(truncated) <= size);
        else
            CHECK(described(truncated) > size);
    }
}
