// Tests of lib/elf_section: a valid table is accepted and sections are
// found by name; each malformation is refused with its own error.
#include <catch2/catch_test_macros.hpp>
#include <elf_image_builder.hpp>
#include <lib/elf_section.hpp>
#include <string>

using namespace vesta::elf;
using vesta::test::BuiltImage;
using vesta::test::ElfImageBuilder;
using vesta::test::ImageSection;

namespace {

BuiltImage two_sections() {
    ElfImageBuilder builder;
    builder.manifest("[driver]\nname=x\n");
    builder.sections.push_back(ImageSection{".bss", {0, 0, 0, 0}, vesta::test::kNoBits, 3, 8});
    return builder.build();
}

SectionError error_of(const BuiltImage& image, const char* name = ".manifest") {
    return find_section(image.bytes.data(), image.bytes.size(), name).error();
}

} // namespace

TEST_CASE("sections are found by name in a valid table", "[elf_section]") {
    const BuiltImage image = two_sections();
    const auto manifest = find_section(image.bytes.data(), image.bytes.size(), ".manifest");
    REQUIRE(manifest.ok());
    CHECK(manifest.value().index == 2);
    CHECK(manifest.value().type == 1);
    CHECK(manifest.value().size == 17); // with the NUL
    CHECK(std::string(reinterpret_cast<const char*>(manifest.value().bytes)) == "[driver]\nname=x\n");
    const auto bss = find_section(image.bytes.data(), image.bytes.size(), ".bss");
    REQUIRE(bss.ok());
    CHECK(bss.value().bytes == nullptr);
    CHECK(bss.value().size == 4);
    CHECK(find_section(image.bytes.data(), image.bytes.size(), ".text").ok());
    CHECK(error_of(image, ".manifes") == SectionError::NotFound);
    CHECK(error_of(image, ".manifest.x") == SectionError::NotFound);
    CHECK(error_of(image, "") == SectionError::NotFound); // section 0's empty name is not searched
}

TEST_CASE("two sections of one name are refused", "[elf_section]") {
    ElfImageBuilder builder;
    builder.manifest("a").manifest("b");
    CHECK(error_of(builder.build()) == SectionError::Duplicate);
}

TEST_CASE("ELF identification and header fields", "[elf_section]") {
    BuiltImage image = two_sections();
    CHECK(find_section(image.bytes.data(), 63, ".manifest").error() == SectionError::TooSmall);
    for (size_t offset : {0, 3, 4, 5, 6}) {
        BuiltImage bad = image;
        bad.bytes[offset] ^= 0x40;
        CHECK(error_of(bad) == SectionError::NotElf64LittleEndian);
    }
    BuiltImage bad = image;
    bad.put(40, 0, 8);
    CHECK(error_of(bad) == SectionError::NoSectionTable);
    bad = image;
    bad.put(58, 40, 2);
    CHECK(error_of(bad) == SectionError::BadSectionHeaderSize);
    bad = image;
    bad.put(60, 0, 2);
    CHECK(error_of(bad) == SectionError::ExtendedNumbering);
    bad = image;
    bad.put(62, 0xffff, 2);
    CHECK(error_of(bad) == SectionError::ExtendedNumbering);
    bad = image;
    bad.put(60, 1025, 2);
    CHECK(error_of(bad) == SectionError::TooManySections);
    bad = image;
    bad.put(60, image.section_count + 1, 2);
    CHECK(error_of(bad) == SectionError::SectionHeadersOutsideFile);
    bad = image;
    bad.put(40, UINT64_MAX - 8, 8);
    CHECK(error_of(bad) == SectionError::SectionHeadersOutsideFile); // wraps
    bad = image;
    bad.bytes.resize(bad.bytes.size() - 1);
    CHECK(error_of(bad) == SectionError::SectionHeadersOutsideFile);
}

TEST_CASE("section 0 and the name table", "[elf_section]") {
    const BuiltImage image = two_sections();
    BuiltImage bad = image;
    bad.put_section(0, vesta::test::kShType, 1, 4);
    CHECK(error_of(bad) == SectionError::FirstSectionNotNull);
    bad = image;
    bad.put(62, 0, 2);
    CHECK(error_of(bad) == SectionError::NoNameTable);
    bad = image;
    bad.put(62, image.section_count, 2);
    CHECK(error_of(bad) == SectionError::NameTableIndexOutOfRange);
    bad = image;
    bad.put(62, 1, 2); // .text is PROGBITS
    CHECK(error_of(bad) == SectionError::NameTableNotStrtab);
    bad = image;
    bad.put_section(image.names_index, vesta::test::kShSize, 0, 8);
    CHECK(error_of(bad) == SectionError::NameTableNotStrtab);
    bad = image;
    bad.put_section(image.names_index, vesta::test::kShOffset, image.bytes.size() - 4, 8);
    CHECK(error_of(bad) == SectionError::SectionOutsideFile);
    bad = image;
    // Cut the table's final NUL off by shortening it by one byte.
    bad.put_section(image.names_index, vesta::test::kShSize, 31, 8);
    CHECK(error_of(bad) == SectionError::NameTableUnterminated);
}

TEST_CASE("every section: name, alignment, bytes inside the file", "[elf_section]") {
    const BuiltImage image = two_sections();
    BuiltImage bad = image;
    bad.put_section(1, vesta::test::kShName, 1000, 4);
    CHECK(error_of(bad) == SectionError::NameOutsideTable);
    bad = image;
    bad.put_section(3, vesta::test::kShAlign, 12, 8);
    CHECK(error_of(bad) == SectionError::SectionBadAlignment);
    bad = image;
    bad.put_section(1, vesta::test::kShSize, image.bytes.size(), 8);
    CHECK(error_of(bad) == SectionError::SectionOutsideFile);
    bad = image;
    bad.put_section(2, vesta::test::kShOffset, UINT64_MAX - 4, 8);
    CHECK(error_of(bad) == SectionError::SectionOutsideFile); // wraps
    // A NOBITS section may claim any offset and size: it has no file bytes.
    BuiltImage nobits = image;
    nobits.put_section(3, vesta::test::kShOffset, UINT64_MAX, 8);
    nobits.put_section(3, vesta::test::kShSize, UINT64_MAX, 8);
    CHECK(error_of(nobits) == SectionError::None);
    // A section named after the one searched for but of type SHT_NULL has no bytes either.
    BuiltImage null_type = image;
    null_type.put_section(2, vesta::test::kShType, 0, 4);
    null_type.put_section(2, vesta::test::kShOffset, UINT64_MAX, 8);
    const auto found = find_section(null_type.bytes.data(), null_type.bytes.size(), ".manifest");
    REQUIRE(found.ok());
    CHECK(found.value().bytes == nullptr);
}

TEST_CASE("every section error has a message", "[elf_section]") {
    for (int e = 0; e <= static_cast<int>(SectionError::Duplicate); ++e)
        CHECK(std::string(message(static_cast<SectionError>(e))) != "unknown section error");
}
