// test/fuzz/elf.cpp — libFuzzer target for the ELF validator (lib/elf), which
// checks the kernel in the loader and, later, user programs in the kernel.
//
// Whatever the input, validate_elf() and elf_described_size() must not read
// outside it (ASan), an accepted image must satisfy the documented
// invariants, and truncation errors must agree with the described size.
// The section reader (lib/elf_section) and the driver-manifest reader
// (lib/manifest_image) run on the same input: a section they hand out lies
// inside the file, and a manifest is found only in an image validate_elf()
// accepts.
#include <initializer_list>
#include <lib/elf.hpp>
#include <lib/elf_section.hpp>
#include <lib/manifest_image.hpp>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

using namespace vesta::elf;

namespace {

void check_sections(const uint8_t* copy, size_t size) {
    const auto section = find_section(copy, size, ".manifest");
    if (section.ok() && section.value().bytes != nullptr) {
        const uint8_t* bytes = section.value().bytes;
        if (bytes < copy || section.value().size > size || bytes + section.value().size > copy + size) abort();
    }
    (void)message(section.error());
    static vesta::manifest::Manifest manifest;
    for (uint16_t machine : {kMachineX86_64, kMachineAArch64}) {
        vesta::manifest::Diagnostic diagnostic;
        const ElfRequirements requirements{machine, 0x1000, (uint64_t{1} << 47) - 4096};
        const auto result = vesta::manifest::parse_image(copy, size, requirements, &manifest, &diagnostic);
        if (result.error() != diagnostic.error) abort();
        const bool valid = validate_elf(copy, size, requirements).ok();
        if (!valid && diagnostic.error != vesta::manifest::Error::ImageInvalid) abort();
        if (result.ok() && !section.ok()) abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // A copy of exactly `size` bytes, so ASan catches any read past the end.
    uint8_t* copy = static_cast<uint8_t*>(malloc(size ? size : 1));
    memcpy(copy, data, size);
    const uint64_t described = elf_described_size(copy, size);
    for (uint16_t machine : {kMachineX86_64, kMachineAArch64}) {
        const ElfRequirements requirements{machine, 0xffff800000000000, 0};
        const auto validated = validate_elf(copy, size, requirements);
        if (is_truncation(validated.error()) && described <= size) abort();
        if (!validated.ok()) continue;
        const ElfImage& image = validated.value();
        if (described > size) abort();
        bool entry_ok = false;
        for (size_t i = 0; i < image.segment_count; ++i) {
            const Segment& s = image.segments[i];
            if (s.file_size > s.memory_size || s.file_offset + s.file_size > size) abort();
            if ((s.flags & kWrite) && (s.flags & kExecute)) abort();
            if (s.virtual_address < 0xffff800000000000 - 4096) abort();
            if ((s.flags & kExecute) && image.entry >= s.virtual_address &&
                image.entry - s.virtual_address < s.memory_size)
                entry_ok = true;
        }
        if (!entry_ok) abort();
    }
    check_sections(copy, size);
    free(copy);
    return 0;
}
