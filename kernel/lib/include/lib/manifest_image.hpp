// lib/manifest_image.hpp — the manifest a driver image carries in its
// `.manifest` ELF section (docs/manifest.md, "Declaring a manifest").
//
// Contract: reads only inside [image, image + size). The image must first
// pass lib/elf's validate_elf() for `requirements` and lib/elf_section's
// checks of the whole section table; then it must hold exactly one section
// named .manifest, with file bytes, of at most kMaxSize bytes. Each failure
// is its own Error (ImageInvalid, SectionTableInvalid, SectionMissing,
// SectionDuplicate, SectionNoBytes, SectionTooLarge) with a Diagnostic
// without a text position (line 0) that quotes lib/elf's message.
#pragma once

#include <lib/elf.hpp>
#include <lib/manifest.hpp>
#include <stddef.h>

namespace vesta::manifest {

inline constexpr const char* kSectionName = ".manifest";

// The bytes of the .manifest section (a C string literal: text, then NULs).
struct ManifestText {
    const char* data;
    size_t size;
};

Result<ManifestText> find_manifest(const void* image, size_t size, const elf::ElfRequirements& requirements,
                                   Diagnostic* diagnostic);

// find_manifest(), then parse(): text errors come with their line:column.
Result<void> parse_image(const void* image, size_t size, const elf::ElfRequirements& requirements, Manifest* out,
                         Diagnostic* diagnostic);

} // namespace vesta::manifest
