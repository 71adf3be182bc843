// manifest_image.cpp — finding the .manifest section of a driver image.
#include "manifest_internal.hpp"

#include <lib/elf_section.hpp>
#include <lib/manifest_image.hpp>
#include <lib/new.hpp>

namespace vesta::manifest {

Result<ManifestText> find_manifest(const void* image, size_t size, const elf::ElfRequirements& requirements,
                                   Diagnostic* diagnostic) {
    new (diagnostic) Diagnostic();
    detail::Reporter report(diagnostic);
    const auto validated = elf::validate_elf(image, size, requirements);
    if (!validated.ok())
        return report.fail(Error::ImageInvalid, {}, "not a valid driver image: {}", elf::message(validated.error()));
    const elf::SectionResult<elf::Section> found = elf::find_section(image, size, kSectionName);
    switch (found.error()) {
    case elf::SectionError::None: break;
    case elf::SectionError::NotFound:
        return report.fail(Error::SectionMissing, {}, "no {} section (a driver declares one with VESTA_MANIFEST)",
                           kSectionName);
    case elf::SectionError::Duplicate:
        return report.fail(Error::SectionDuplicate, {}, "more than one {} section", kSectionName);
    default:
        return report.fail(Error::SectionTableInvalid, {}, "malformed section headers: {}",
                           elf::message(found.error()));
    }
    const elf::Section& section = found.value();
    if (section.size > kMaxSize)
        return report.fail(Error::SectionTooLarge, {}, "{} section is {} bytes; the limit is {}", kSectionName,
                           section.size, kMaxSize);
    if (section.bytes == nullptr && section.size != 0)
        return report.fail(Error::SectionNoBytes, {}, "{} section has no bytes in the file (SHT_NOBITS)", kSectionName);
    return ManifestText{reinterpret_cast<const char*>(section.bytes), static_cast<size_t>(section.size)};
}

Result<void> parse_image(const void* image, size_t size, const elf::ElfRequirements& requirements, Manifest* out,
                         Diagnostic* diagnostic) {
    const ManifestText text = TRY(find_manifest(image, size, requirements, diagnostic));
    return parse(text.data, text.size, out, diagnostic);
}

} // namespace vesta::manifest
