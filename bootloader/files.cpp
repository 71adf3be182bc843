#include "files.hpp"

#include <lib/utility.hpp>

#include "allocation_log.hpp"

namespace vesta::loader {
namespace {

constexpr uint64_t kMaxFileSize = uint64_t{1} << 30;
constexpr uint64_t kPageSize = 4096;

} // namespace

Result<void> EspDirectory::open(EFI_HANDLE image, EFI_BOOT_SERVICES* boot, Console& console) {
    boot_ = boot;
    EFI_GUID loaded_image_guid = LOADED_IMAGE_PROTOCOL;
    EFI_GUID file_system_guid = SIMPLE_FILE_SYSTEM_PROTOCOL;
    EFI_LOADED_IMAGE* loaded_image = nullptr;
    EFI_STATUS status = boot->HandleProtocol(image, &loaded_image_guid, reinterpret_cast<void**>(&loaded_image));
    if (EFI_ERROR(status)) {
        console.print("vesta loader: cannot find the loaded image protocol (status {:x})\n", status);
        return Error::NotFound;
    }
    EFI_FILE_IO_INTERFACE* volume = nullptr;
    status = boot->HandleProtocol(loaded_image->DeviceHandle, &file_system_guid, reinterpret_cast<void**>(&volume));
    if (EFI_ERROR(status)) {
        console.print("vesta loader: the boot device has no FAT file system (status {:x})\n", status);
        return Error::NotFound;
    }
    status = volume->OpenVolume(volume, &root_);
    if (EFI_ERROR(status)) {
        console.print("vesta loader: cannot open the EFI system partition (status {:x})\n", status);
        return Error::NotFound;
    }
    return {};
}

Result<LoadedFile> EspDirectory::read(const char16_t* path, const char* display_name, uint32_t memory_type,
                                      Console& console) {
    EFI_FILE_HANDLE file = nullptr;
    EFI_STATUS status = root_->Open(root_, &file, const_cast<CHAR16*>(efi_string(path)), EFI_FILE_MODE_READ, 0);
    if (status == EFI_NOT_FOUND) return Error::NotFound;
    if (EFI_ERROR(status)) {
        console.print("vesta loader: {}: cannot open (status {:x})\n", display_name, status);
        return Error::Malformed;
    }
    // EFI_FILE_INFO is followed by the file name: leave room for it.
    alignas(8) uint8_t info_buffer[sizeof(EFI_FILE_INFO) + 512];
    UINTN info_size = sizeof(info_buffer);
    EFI_GUID info_guid = EFI_FILE_INFO_ID;
    status = file->GetInfo(file, &info_guid, &info_size, info_buffer);
    if (EFI_ERROR(status)) {
        console.print("vesta loader: {}: cannot read file information (status {:x})\n", display_name, status);
        file->Close(file);
        return Error::Malformed;
    }
    const auto* info = reinterpret_cast<const EFI_FILE_INFO*>(info_buffer);
    if (info->Attribute & EFI_FILE_DIRECTORY) {
        console.print("vesta loader: {}: is a directory, not a file\n", display_name);
        file->Close(file);
        return Error::Malformed;
    }
    if (info->FileSize > kMaxFileSize) {
        console.print("vesta loader: {}: too large ({} bytes; the limit is 1 GiB)\n", display_name, info->FileSize);
        file->Close(file);
        return Error::Malformed;
    }
    LoadedFile loaded{0, info->FileSize, max<uint64_t>(1, align_up(info->FileSize, kPageSize) / kPageSize)};
    EFI_PHYSICAL_ADDRESS buffer = 0;
    status = boot_->AllocatePages(AllocateAnyPages, static_cast<EFI_MEMORY_TYPE>(memory_type), loaded.pages, &buffer);
    if (EFI_ERROR(status)) {
        console.print("vesta loader: {}: no memory for {} bytes (status {:x})\n", display_name, info->FileSize, status);
        file->Close(file);
        return Error::OutOfMemory;
    }
    loaded.physical = buffer;
    __builtin_memset(reinterpret_cast<void*>(buffer), 0, loaded.pages * kPageSize);
    UINTN remaining = info->FileSize;
    auto* cursor = reinterpret_cast<uint8_t*>(buffer);
    while (remaining) {
        UINTN chunk = remaining;
        status = file->Read(file, &chunk, cursor);
        if (EFI_ERROR(status) || chunk == 0) {
            console.print("vesta loader: {}: read failed after {} of {} bytes (status {:x})\n", display_name,
                          info->FileSize - remaining, info->FileSize, status);
            file->Close(file);
            boot_->FreePages(buffer, loaded.pages);
            return Error::Malformed;
        }
        remaining -= chunk;
        cursor += chunk;
    }
    file->Close(file);
    record_allocation(loaded.physical, loaded.pages, memory_type);
    return loaded;
}

bool EspDirectory::exists(const char16_t* path) {
    EFI_FILE_HANDLE file = nullptr;
    if (EFI_ERROR(root_->Open(root_, &file, const_cast<CHAR16*>(efi_string(path)), EFI_FILE_MODE_READ, 0)))
        return false;
    file->Close(file);
    return true;
}

} // namespace vesta::loader
