// test/support/elf_image_builder.cpp — see elf_image_builder.hpp.
#include "elf_image_builder.hpp"

#include <cstring>

namespace vesta::test {

namespace {

constexpr uint64_t kTextOffset = 0x1000;
constexpr uint64_t kTextAddress = 0x400000;
constexpr uint64_t kPageSize = 0x1000;

struct Header {
    uint32_t name, type;
    uint64_t flags, address, offset, size;
    uint32_t link, info;
    uint64_t alignment, entry_size;
};

} // namespace

void BuiltImage::put(size_t offset, uint64_t value, size_t width) { std::memcpy(bytes.data() + offset, &value, width); }

void BuiltImage::put_section(size_t index, ShdrField field, uint64_t value, size_t width) {
    put(section_table + index * 64 + field, value, width);
}

ElfImageBuilder& ElfImageBuilder::manifest(const std::string& text, const std::string& name) {
    ImageSection section;
    section.name = name;
    section.bytes.assign(text.begin(), text.end());
    section.bytes.push_back(0);
    sections.push_back(section);
    return *this;
}

BuiltImage ElfImageBuilder::build() const {
    std::vector<uint8_t> out(kTextOffset + kPageSize, 0);
    // The text page: an endless loop is enough ("jmp ." on x86_64).
    out[kTextOffset] = 0xeb;
    out[kTextOffset + 1] = 0xfe;

    std::string names(1, '\0');
    std::vector<Header> headers(1, Header{});
    auto add_name = [&](const std::string& name) {
        const auto offset = static_cast<uint32_t>(names.size());
        names += name;
        names += '\0';
        return offset;
    };
    headers.push_back(Header{add_name(".text"), kProgBits, 6, kTextAddress, kTextOffset, kPageSize, 0, 0, 16, 0});
    for (const ImageSection& section : sections) {
        const uint64_t offset = out.size();
        if (section.type != kNoBits) out.insert(out.end(), section.bytes.begin(), section.bytes.end());
        headers.push_back(Header{add_name(section.name), section.type, section.flags, 0, offset, section.bytes.size(),
                                 0, 0, section.alignment, 0});
    }
    const uint32_t names_name = add_name(".shstrtab");
    headers.push_back(Header{names_name, 3, 0, 0, out.size(), names.size(), 0, 0, 1, 0});
    out.insert(out.end(), names.begin(), names.end());
    while (out.size() % 8) out.push_back(0);

    BuiltImage image{std::move(out), 0, headers.size(), headers.size() - 1};
    image.section_table = image.bytes.size();
    image.bytes.resize(image.bytes.size() + headers.size() * sizeof(Header));
    std::memcpy(image.bytes.data() + image.section_table, headers.data(), headers.size() * sizeof(Header));

    const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    std::memcpy(image.bytes.data(), ident, sizeof ident);
    image.put(16, 2, 2);                   // e_type: ET_EXEC
    image.put(18, machine, 2);             // e_machine
    image.put(20, 1, 4);                   // e_version
    image.put(24, kTextAddress, 8);        // e_entry
    image.put(32, 64, 8);                  // e_phoff
    image.put(40, image.section_table, 8); // e_shoff
    image.put(52, 64, 2);                  // e_ehsize
    image.put(54, 56, 2);                  // e_phentsize
    image.put(56, 1, 2);                   // e_phnum
    image.put(58, 64, 2);                  // e_shentsize
    image.put(60, image.section_count, 2); // e_shnum
    image.put(62, image.names_index, 2);   // e_shstrndx
    // The program header: PT_LOAD, R+X, the text page.
    image.put(64, 1, 4);
    image.put(68, 5, 4);
    image.put(72, kTextOffset, 8);
    image.put(80, kTextAddress, 8);
    image.put(88, kTextAddress, 8);
    image.put(96, kPageSize, 8);
    image.put(104, kPageSize, 8);
    image.put(112, kPageSize, 8);
    return image;
}

std::vector<uint8_t> driver_image(const std::string& text, uint16_t machine) {
    ElfImageBuilder builder;
    builder.machine = machine;
    builder.manifest(text);
    return builder.build().bytes;
}

} // namespace vesta::test
