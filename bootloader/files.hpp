// bootloader/files.hpp — reading whole files from the EFI system partition
// the loader itself was loaded from.
#pragma once

#include <lib/result.hpp>

#include "console.hpp"
#include "efi.hpp"

namespace vesta::loader {

struct LoadedFile {
    uint64_t physical; // page-aligned buffer (identity-mapped while boot services run)
    uint64_t size;     // bytes of file content
    uint64_t pages;    // pages allocated (>= 1, even for an empty file)
};

class EspDirectory {
public:
    // Opens the root directory of the loader's own volume.
    // Fails (printing why): NotFound when the volume has no file system.
    Result<void> open(EFI_HANDLE image, EFI_BOOT_SERVICES* boot, Console& console);

    // Reads `path` (e.g. u"\\vesta\\kernel.elf") into pages of `memory_type`.
    // Fails: NotFound when the file does not exist (prints nothing, so callers
    // can treat optional files quietly); OutOfMemory, Malformed (read errors,
    // directories, files over 1 GiB) with a message naming the file.
    Result<LoadedFile> read(const char16_t* path, const char* display_name, uint32_t memory_type, Console& console);

    // Whether `path` names something that can be opened (a file or a directory).
    bool exists(const char16_t* path);

private:
    EFI_BOOT_SERVICES* boot_ = nullptr;
    EFI_FILE_HANDLE root_ = nullptr;
};

} // namespace vesta::loader
