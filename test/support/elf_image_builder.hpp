// test/support/elf_image_builder.hpp — small, valid ELF64 executables for
// tests of lib/elf_section, lib/manifest_image and tools/manifest-check:
// one RX segment at 0x400000 (the entry), then the named sections the test
// asks for, a .shstrtab, and the section header table. No test framework,
// so fuzz-corpus generators can use it too.
//
// Layout: ELF header | program header | … | 0x1000: text (one page) |
// each added section's bytes | .shstrtab | section headers (8-aligned).
// Section indexes: 0 null, 1 .text, 2… the added sections in order, last
// .shstrtab.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string>
#include <vector>

namespace vesta::test {

inline constexpr uint32_t kProgBits = 1;
inline constexpr uint32_t kNoBits = 8;
inline constexpr uint64_t kAllocFlag = 2;

struct ImageSection {
    std::string name;
    std::vector<uint8_t> bytes;
    uint32_t type = kProgBits;
    uint64_t flags = kAllocFlag;
    uint64_t alignment = 1;
};

// Section header field offsets inside an Elf64_Shdr, for patching.
enum ShdrField : size_t {
    kShName = 0,
    kShType = 4,
    kShFlags = 8,
    kShAddr = 16,
    kShOffset = 24,
    kShSize = 32,
    kShAlign = 48,
};

struct BuiltImage {
    std::vector<uint8_t> bytes;
    uint64_t section_table; // e_shoff
    size_t section_count;
    size_t names_index; // e_shstrndx

    // Overwrites `width` bytes (1, 2, 4 or 8) at `offset` in the file.
    void put(size_t offset, uint64_t value, size_t width);
    // Overwrites a field of section header `index`.
    void put_section(size_t index, ShdrField field, uint64_t value, size_t width);
};

struct ElfImageBuilder {
    uint16_t machine = 62; // EM_X86_64
    std::vector<ImageSection> sections;

    // Adds a PROGBITS, ALLOC section holding `text` and a trailing NUL (as
    // VESTA_MANIFEST emits it).
    ElfImageBuilder& manifest(const std::string& text, const std::string& name = ".manifest");
    BuiltImage build() const;
};

// An image whose .manifest holds `text` (x86_64 unless told).
std::vector<uint8_t> driver_image(const std::string& text, uint16_t machine = 62);

} // namespace vesta::test
