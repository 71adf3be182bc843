// Finding what the firmware describes: ACPI, device tree, framebuffer, RNG.
#include "boot_state.hpp"

namespace vesta::loader {
namespace {

const void* find_configuration_table(EFI_SYSTEM_TABLE* system, EFI_GUID guid) {
    for (UINTN i = 0; i < system->NumberOfTableEntries; ++i) {
        if (guid_equal(system->ConfigurationTable[i].VendorGuid, guid))
            return system->ConfigurationTable[i].VendorTable;
    }
    return nullptr;
}

} // namespace

uint64_t find_acpi_rsdp(EFI_SYSTEM_TABLE* system) {
    const void* table = find_configuration_table(system, ACPI_20_TABLE_GUID);
    if (!table) table = find_configuration_table(system, ACPI_TABLE_GUID);
    if (!table || __builtin_memcmp(table, "RSD PTR ", 8) != 0) return 0;
    return reinterpret_cast<uint64_t>(table);
}

const void* find_device_tree(EFI_SYSTEM_TABLE* system) { return find_configuration_table(system, EFI_DTB_TABLE_GUID); }

boot::Framebuffer find_framebuffer(EFI_BOOT_SERVICES* boot) {
    boot::Framebuffer framebuffer{};
    EFI_GUID guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
    EFI_GRAPHICS_OUTPUT_PROTOCOL* gop = nullptr;
    if (EFI_ERROR(boot->LocateProtocol(&guid, nullptr, reinterpret_cast<void**>(&gop))) || !gop || !gop->Mode ||
        !gop->Mode->Info)
        return framebuffer;
    const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION& info = *gop->Mode->Info;
    switch (info.PixelFormat) {
    case PixelRedGreenBlueReserved8BitPerColor: framebuffer.format = boot::PixelFormat::Rgbx8888; break;
    case PixelBlueGreenRedReserved8BitPerColor: framebuffer.format = boot::PixelFormat::Bgrx8888; break;
    case PixelBitMask:
        framebuffer.format = boot::PixelFormat::Bitmask;
        framebuffer.red_mask = info.PixelInformation.RedMask;
        framebuffer.green_mask = info.PixelInformation.GreenMask;
        framebuffer.blue_mask = info.PixelInformation.BlueMask;
        framebuffer.reserved_mask = info.PixelInformation.ReservedMask;
        break;
    default: return framebuffer; // blt-only: no linear framebuffer
    }
    framebuffer.physical = gop->Mode->FrameBufferBase;
    framebuffer.size = gop->Mode->FrameBufferSize;
    framebuffer.width = info.HorizontalResolution;
    framebuffer.height = info.VerticalResolution;
    framebuffer.pitch = info.PixelsPerScanLine * 4;
    return framebuffer;
}

uint32_t gather_entropy(EFI_BOOT_SERVICES* boot, uint8_t (&entropy)[32]) {
    EFI_GUID guid = EFI_RNG_PROTOCOL_GUID;
    EFI_RNG_PROTOCOL* rng = nullptr;
    if (!EFI_ERROR(boot->LocateProtocol(&guid, nullptr, reinterpret_cast<void**>(&rng))) && rng &&
        !EFI_ERROR(rng->GetRNG(rng, nullptr, sizeof(entropy), entropy)))
        return boot::kEntropyFirmwareRng;
    return boot::kEntropyNone;
}

} // namespace vesta::loader
