// Loading the kernel ELF: validation (lib/elf) and copying segments.
#include <lib/memory_map.hpp>
#include <lib/utility.hpp>

#include "allocation_log.hpp"
#include "arch_interface.hpp"
#include "boot_state.hpp"

namespace vesta::loader {
namespace {
constexpr uint64_t kPageSize = 4096;
constexpr const char* kKernelName = "\\vesta\\kernel.elf";
} // namespace

Result<uint64_t> allocate_pages(EFI_BOOT_SERVICES* boot, uint32_t memory_type, uint64_t pages) {
    EFI_PHYSICAL_ADDRESS address = 0;
    EFI_STATUS status =
        boot->AllocatePages(AllocateAnyPages, static_cast<EFI_MEMORY_TYPE>(memory_type), pages, &address);
    if (EFI_ERROR(status)) return Error::OutOfMemory;
    __builtin_memset(reinterpret_cast<void*>(address), 0, pages * kPageSize);
    record_allocation(address, pages, memory_type);
    return address;
}

Result<KernelImage> load_kernel(EspDirectory& esp, EFI_BOOT_SERVICES* boot, Console& console) {
    auto file = esp.read(u"\\vesta\\kernel.elf", kKernelName, EfiLoaderData, console);
    if (!file.ok()) {
        if (file.error() == Error::NotFound)
            console.print("vesta loader: {}: not found on the EFI system partition\n", kKernelName);
        return file.error();
    }
    const LoadedFile& loaded = file.value();
    KernelImage kernel{};
    const elf::ElfRequirements requirements{arch::kElfMachine, boot::kKernelImageBase, 0};
    const auto validated = elf::validate_elf(reinterpret_cast<const void*>(loaded.physical), loaded.size, requirements);
    const elf::Error error = validated.error();
    if (elf::is_truncation(error)) {
        // A copy cut short: say by how much, so it is not mistaken for a bad build.
        const uint64_t described = elf::elf_described_size(reinterpret_cast<const void*>(loaded.physical), loaded.size);
        console.print("vesta loader: {}: invalid kernel: {}: the file is {} bytes long, its headers describe {} "
                      "bytes\n",
                      kKernelName, elf::message(error), loaded.size, described);
        boot->FreePages(loaded.physical, loaded.pages);
        return Error::Malformed;
    }
    if (!validated.ok()) {
        console.print("vesta loader: {}: invalid kernel: {}\n", kKernelName, elf::message(error));
        boot->FreePages(loaded.physical, loaded.pages);
        return Error::Malformed;
    }
    kernel.elf = validated.value();
    for (size_t i = 0; i < kernel.elf.segment_count; ++i) {
        const elf::Segment& segment = kernel.elf.segments[i];
        const uint64_t first = segment.first_page();
        const uint64_t pages = segment.page_count();
        auto physical = allocate_pages(boot, boot::kUefiTypeKernel, pages);
        if (!physical.ok()) {
            console.print("vesta loader: {}: no memory for a {}-page segment\n", kKernelName, pages);
            return Error::OutOfMemory;
        }
        kernel.segment_physical[i] = physical.value();
        __builtin_memcpy(reinterpret_cast<void*>(physical.value() + (segment.virtual_address - first)),
                         reinterpret_cast<const void*>(loaded.physical + segment.file_offset), segment.file_size);
        if (segment.flags & elf::kExecute) arch::prepare_code(physical.value(), pages * kPageSize);
    }
    boot->FreePages(loaded.physical, loaded.pages);
    return kernel;
}

} // namespace vesta::loader
