// bootloader/main.cpp — the Vesta UEFI loader (docs/boot-protocol.md).
//
// Reads \vesta\kernel.elf, \vesta\initramfs.tar and \vesta\cmdline.txt from
// its own EFI system partition, gathers the firmware's description of the
// machine, builds the kernel's page tables, exits boot services and jumps to
// the kernel. On any failure it prints a precise message and returns to the
// firmware, which can go on to its next boot option.
#include <lib/memory_map.hpp>
#include <lib/utility.hpp>
#include <vesta/boot_info.hpp>

#include "allocation_log.hpp"
#include "arch_interface.hpp"
#include "boot_state.hpp"
#include "command_line.hpp"
#include "debugger.hpp"
#include "panic.hpp"

namespace vesta::loader {
namespace {

using boot::BootInfo;
using boot::MemoryRange;
using boot::MemoryType;

constexpr uint64_t kPageSize = 4096;
constexpr uint64_t kTablePoolChunk = 32; // pages allocated at a time for page tables
constexpr size_t kMemoryMapSlack = 128;  // descriptors of headroom for allocations we cause
constexpr uint64_t kMaxDeviceTreeSize = 16u << 20;
constexpr size_t kExitAttempts = 8;

// Page-table pages come from BootData chunks, so the kernel keeps them.
struct TablePool {
    EFI_BOOT_SERVICES* boot;
    uint64_t next = 0;
    uint64_t end = 0;

    static uint64_t allocate(void* context) {
        auto* pool = static_cast<TablePool*>(context);
        if (pool->next == pool->end) {
            auto chunk = allocate_pages(pool->boot, boot::kUefiTypeBootData, kTablePoolChunk);
            if (!chunk.ok()) return 0;
            pool->next = chunk.value();
            pool->end = chunk.value() + kTablePoolChunk * kPageSize;
        }
        const uint64_t page = pool->next;
        pool->next += kPageSize;
        return page; // chunks are zeroed by allocate_pages
    }
    static uint64_t* table(void*, uint64_t physical) { return reinterpret_cast<uint64_t*>(physical); }
};

// Storage for the memory map: the raw UEFI map, the builder's input, the
// normalised output (inside the boot data) and the sort scratch.
struct MemoryMapStorage {
    uint8_t* uefi_map = nullptr;
    UINTN uefi_capacity = 0;
    MemoryRange* ranges = nullptr;
    size_t range_capacity = 0;
    uint64_t* scratch = nullptr;
    MemoryRange* output = nullptr;
    size_t output_capacity = 0;
};

struct Loader {
    Loader(EFI_HANDLE image_handle, EFI_SYSTEM_TABLE* system_table)
        : image(image_handle), system(system_table), boot(system_table->BootServices), console(system_table) {}

    EFI_HANDLE image;
    EFI_SYSTEM_TABLE* system;
    EFI_BOOT_SERVICES* boot;
    Console console;
    EspDirectory esp;
    BootInfo* info = nullptr;
    MemoryMapStorage map;
    boot::Framebuffer framebuffer{};
    // `loader-test=mmio-over-kernel` on the command line: a page the firmware
    // map will pretend is MMIO (the kernel's first page), to test the refusal.
    uint64_t test_mmio_page = 0;

    Result<void> run();
    Result<LoadedFile> load_initramfs();
    Result<void> load_command_line();
    Result<void> load_device_tree();
    Result<void> allocate_boot_data();
    Result<size_t> read_memory_map(UINTN* key, UINTN* descriptor_size);
    Result<size_t> normalise_memory_map(UINTN map_size, UINTN descriptor_size);
    Result<void> build_page_tables(const KernelImage& kernel, arch::KernelTables& tables);
    Result<void> exit_boot_services();
};

Result<LoadedFile> Loader::load_initramfs() {
    auto file = esp.read(u"\\vesta\\initramfs.tar", "\\vesta\\initramfs.tar", boot::kUefiTypeInitramfs, console);
    if (!file.ok() && file.error() == Error::NotFound)
        console.print("vesta loader: \\vesta\\initramfs.tar: not found on the EFI system partition\n");
    return file;
}

Result<void> Loader::load_command_line() {
    auto file = esp.read(u"\\vesta\\cmdline.txt", "\\vesta\\cmdline.txt", boot::kUefiTypeBootData, console);
    if (!file.ok()) {
        if (file.error() != Error::NotFound) return file.error();
        // Optional: an empty command line.
        const uint64_t page = TRY(allocate_pages(boot, boot::kUefiTypeBootData, 1));
        info->command_line_physical = page;
        info->command_line_size = 0;
        return {};
    }
    auto* text = reinterpret_cast<char*>(file.value().physical);
    uint64_t size = file.value().size;
    if (size == file.value().pages * kPageSize) { // no room for the NUL: refuse rather than truncate
        console.print("vesta loader: \\vesta\\cmdline.txt: too long ({} bytes)\n", size);
        return Error::Malformed;
    }
    size = normalise_command_line(text, size);
    info->command_line_physical = file.value().physical;
    info->command_line_size = size;
    return {};
}

uint32_t read_be32(const void* p) {
    const auto* b = static_cast<const uint8_t*>(p);
    return uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | b[3];
}

Result<void> Loader::load_device_tree() {
    const void* source = nullptr;
    uint64_t size = 0;
    auto file = esp.read(u"\\vesta\\device-tree.dtb", "\\vesta\\device-tree.dtb", EfiLoaderData, console);
    if (file.ok()) {
        source = reinterpret_cast<const void*>(file.value().physical);
        size = file.value().size;
        console.print("vesta loader: using the device tree from \\vesta\\device-tree.dtb\n");
    } else if (file.error() != Error::NotFound) {
        return file.error();
    } else {
        source = find_device_tree(system);
        if (!source) return {};
        size = read_be32(static_cast<const uint8_t*>(source) + 4); // totalsize
    }
    if (size < 40 || read_be32(source) != 0xd00dfeed || read_be32(static_cast<const uint8_t*>(source) + 4) > size ||
        size > kMaxDeviceTreeSize) {
        console.print("vesta loader: the device tree is not a valid flattened device tree (bad magic or size)\n");
        return Error::Malformed;
    }
    size = read_be32(static_cast<const uint8_t*>(source) + 4);
    const uint64_t copy = TRY(allocate_pages(boot, boot::kUefiTypeBootData, align_up(size, kPageSize) / kPageSize));
    __builtin_memcpy(reinterpret_cast<void*>(copy), source, size);
    info->device_tree_physical = copy;
    info->device_tree_size = size;
    return {};
}

Result<void> Loader::allocate_boot_data() {
    // Size the memory-map buffers from the firmware's current map.
    UINTN map_size = 0, key = 0, descriptor_size = 0;
    UINT32 descriptor_version = 0;
    EFI_STATUS status = boot->GetMemoryMap(&map_size, nullptr, &key, &descriptor_size, &descriptor_version);
    if (status != EFI_BUFFER_TOO_SMALL || descriptor_size < 40) {
        console.print("vesta loader: GetMemoryMap does not report its size (status {:x})\n", status);
        return Error::NotSupported;
    }
    const size_t descriptors = map_size / descriptor_size + kMemoryMapSlack;
    map.uefi_capacity = descriptors * descriptor_size;
    map.range_capacity = descriptors + 8 + kAllocationLogCapacity; // + the framebuffer, spare, our allocations
    map.output_capacity = 2 * map.range_capacity;
    const uint64_t info_bytes = align_up(sizeof(BootInfo), 64) + map.output_capacity * sizeof(MemoryRange);
    const uint64_t info_pages = align_up(info_bytes, kPageSize) / kPageSize;
    const uint64_t info_page = TRY(allocate_pages(boot, boot::kUefiTypeBootData, info_pages));
    info = reinterpret_cast<BootInfo*>(info_page);
    map.output = reinterpret_cast<MemoryRange*>(info_page + align_up(sizeof(BootInfo), 64));

    // Working buffers die with the loader.
    const uint64_t work_bytes =
        map.uefi_capacity + map.range_capacity * sizeof(MemoryRange) + 2 * map.range_capacity * sizeof(uint64_t);
    const uint64_t work = TRY(allocate_pages(boot, EfiLoaderData, align_up(work_bytes, kPageSize) / kPageSize));
    map.uefi_map = reinterpret_cast<uint8_t*>(work);
    map.ranges = reinterpret_cast<MemoryRange*>(work + map.uefi_capacity);
    map.scratch = reinterpret_cast<uint64_t*>(work + map.uefi_capacity + map.range_capacity * sizeof(MemoryRange));
    return {};
}

Result<size_t> Loader::read_memory_map(UINTN* key, UINTN* descriptor_size) {
    UINTN map_size = map.uefi_capacity;
    UINT32 descriptor_version = 0;
    EFI_STATUS status = boot->GetMemoryMap(&map_size, reinterpret_cast<EFI_MEMORY_DESCRIPTOR*>(map.uefi_map), key,
                                           descriptor_size, &descriptor_version);
    if (EFI_ERROR(status)) return Error::OutOfRange;
    return map_size;
}

// Normalises the UEFI map in map.uefi_map into map.output, adding the
// framebuffer and the loader's own allocations. Calls no firmware service
// (safe between ExitBootServices tries) unless it fails: a map that puts
// anything but usable RAM over pages the loader allocated for the kernel is
// refused with a message naming both ranges (Malformed).
Result<size_t> Loader::normalise_memory_map(UINTN map_size, UINTN descriptor_size) {
    boot::MemoryMapBuilder builder(map.ranges, map.range_capacity);
    TRY(builder.add_uefi_map(map.uefi_map, map_size, descriptor_size));
    if (framebuffer.physical) TRY(builder.add(framebuffer.physical, framebuffer.size, MemoryType::Framebuffer));
    if (test_mmio_page) TRY(builder.add(test_mmio_page, kPageSize, MemoryType::Mmio));
    TRY(add_recorded_allocations(builder));
    boot::OwnershipConflict conflict;
    if (builder.find_ownership_conflict(&conflict)) {
        console.print("vesta loader: the firmware's memory map puts {} {:x}-{:x} over {} {:x}-{:x}, which the loader "
                      "allocated for the kernel; refusing to boot\n",
                      boot::memory_type_name(conflict.other.type), conflict.other.base,
                      conflict.other.base + conflict.other.size - 1, boot::memory_type_name(conflict.owned.type),
                      conflict.owned.base, conflict.owned.base + conflict.owned.size - 1);
        return Error::Malformed;
    }
    return builder.normalise(map.output, map.output_capacity, map.scratch, 2 * map.range_capacity);
}

bool direct_mapped(MemoryType type) {
    // RAM of every kind; device memory (MMIO, framebuffer) and firmware-reserved
    // ranges are mapped by the kernel itself with the right cache attributes.
    return type == MemoryType::Usable || type == MemoryType::AcpiReclaimable || type == MemoryType::AcpiNvs ||
           type == MemoryType::Kernel || type == MemoryType::BootData || type == MemoryType::Initramfs;
}

Result<void> Loader::build_page_tables(const KernelImage& kernel, arch::KernelTables& tables) {
    UINTN key = 0, descriptor_size = 0;
    const UINTN map_size = TRY(read_memory_map(&key, &descriptor_size));
    const size_t count = TRY(normalise_memory_map(map_size, descriptor_size));

    // The direct map: RAM ranges, coalesced so that large pages can be used.
    const paging::MappingAttributes data{true, false, false, true, paging::CacheMode::WriteBack};
    uint64_t top = 0;
    for (size_t i = 0; i < count;) {
        if (!direct_mapped(map.output[i].type)) {
            ++i;
            continue;
        }
        const uint64_t start = map.output[i].base;
        uint64_t end = start + map.output[i].size;
        for (++i; i < count && direct_mapped(map.output[i].type) && map.output[i].base == end; ++i)
            end += map.output[i].size;
        if (end > boot::kDirectMapMaxSize) {
            console.print("vesta loader: RAM above 64 TiB is not supported; ignoring it\n");
            end = boot::kDirectMapMaxSize;
            if (start >= end) continue;
        }
        TRY(tables.map(boot::kDirectMapBase + start, start, end - start, data));
        top = max(top, end);
    }
    info->direct_map_base = boot::kDirectMapBase;
    info->direct_map_size = top;

    // The kernel image, with each segment's own rights (W^X checked by lib/elf).
    for (size_t i = 0; i < kernel.elf.segment_count; ++i) {
        const elf::Segment& segment = kernel.elf.segments[i];
        const uint64_t first = segment.first_page();
        const uint64_t size = segment.end_page() - first;
        const paging::MappingAttributes rights{(segment.flags & elf::kWrite) != 0, (segment.flags & elf::kExecute) != 0,
                                               false, true, paging::CacheMode::WriteBack};
        TRY(tables.map(first, kernel.segment_physical[i], size, rights));
    }

    // The handoff code, identity-mapped so execution survives the switch.
    const uint64_t handoff = align_down(arch::handoff_code_address(), kPageSize);
    const paging::MappingAttributes code{false, true, false, false, paging::CacheMode::WriteBack};
    TRY(tables.map(handoff, handoff, 2 * kPageSize, code));
    info->handoff_identity_physical = handoff;
    info->handoff_identity_size = 2 * kPageSize;
    info->page_table_root_physical = tables.kernel_root();
    return {};
}

Result<void> Loader::exit_boot_services() {
    // UEFI 2.10, 7.4: if ExitBootServices fails because the map changed, get
    // the map again and retry; only memory services may be called between.
    for (size_t attempt = 0; attempt < kExitAttempts; ++attempt) {
        UINTN key = 0, descriptor_size = 0;
        auto map_size = read_memory_map(&key, &descriptor_size);
        if (!map_size.ok()) continue;
        auto count = normalise_memory_map(map_size.value(), descriptor_size);
        if (!count.ok()) return count.error();
        info->memory_map_physical = reinterpret_cast<uint64_t>(map.output);
        info->memory_map_count = static_cast<uint32_t>(count.value());
        if (!EFI_ERROR(boot->ExitBootServices(image, key))) return {};
    }
    return Error::Busy;
}

Result<void> Loader::run() {
    const uint64_t start_count = arch::read_counter();
    set_panic_console(&console);
    console.print("vesta loader {} ({})\n", "0.1", arch::kName);
    report_image_base(image, boot, console);
    boot->SetWatchdogTimer(0, 0, 0, nullptr);
    TRY(arch::check_cpu(console));
    TRY(esp.open(image, boot, console));
    wait_for_debugger_if_asked(esp, console);

    TRY(allocate_boot_data());
    info->magic = boot::kBootInfoMagic;
    info->version = boot::kBootInfoVersion;
    info->size = sizeof(BootInfo);
    info->loader_start_count = start_count;
    info->boot_cpu_level = arch::boot_level();

    const KernelImage kernel = TRY(load_kernel(esp, boot, console));
    const LoadedFile initramfs = TRY(load_initramfs());
    info->initramfs_physical = initramfs.physical;
    info->initramfs_size = initramfs.size;
    TRY(load_command_line());
    if (has_word(reinterpret_cast<const char*>(info->command_line_physical), info->command_line_size,
                 "loader-test=mmio-over-kernel")) {
        test_mmio_page = kernel.segment_physical[0];
        console.print("vesta loader: test: the firmware's map will list MMIO at {:x}\n", test_mmio_page);
    }
    TRY(load_device_tree());
    info->acpi_rsdp_physical = find_acpi_rsdp(system);
    if (!info->device_tree_physical && !info->acpi_rsdp_physical) {
        console.print("vesta loader: the firmware provides neither a device tree nor ACPI tables; "
                      "cannot describe the machine to the kernel\n");
        return Error::NotFound;
    }
    framebuffer = find_framebuffer(boot);
    info->framebuffer = framebuffer;
    info->entropy_source = gather_entropy(boot, info->entropy);
    if (info->entropy_source == boot::kEntropyNone) {
        // Weak fallback: counters and time mixed with splitmix64.
        uint64_t state = arch::read_counter() ^ (start_count << 17);
        for (size_t i = 0; i < sizeof(info->entropy); i += 8) {
            uint64_t z = (state += 0x9e3779b97f4a7c15);
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
            z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
            z ^= z >> 31;
            __builtin_memcpy(info->entropy + i, &z, 8);
        }
        info->entropy_source = boot::kEntropyCounter;
    }
    EFI_TIME time{};
    if (!EFI_ERROR(system->RuntimeServices->GetTime(&time, nullptr))) {
        info->year = time.Year;
        info->month = time.Month;
        info->day = time.Day;
        info->hour = time.Hour;
        info->minute = time.Minute;
        info->second = time.Second;
    }
    info->counter_frequency = arch::counter_frequency(boot);
    info->kernel_virtual_base = kernel.elf.lowest_address;
    info->kernel_physical_base = UINT64_MAX;
    for (size_t i = 0; i < kernel.elf.segment_count; ++i)
        info->kernel_physical_base = min(info->kernel_physical_base, kernel.segment_physical[i]);

    TablePool pool{boot};
    arch::KernelTables tables(paging::TablePageSource{&pool, &TablePool::allocate, &TablePool::table});
    if (!tables.initialise().ok() || !build_page_tables(kernel, tables).ok()) {
        console.print("vesta loader: cannot build the kernel's page tables (out of memory or a bad memory map)\n");
        return Error::OutOfMemory;
    }
    console.print("vesta loader: kernel entry {:x}, initramfs {} bytes, command line \"{}\"\n", kernel.elf.entry,
                  initramfs.size, reinterpret_cast<const char*>(info->command_line_physical));
    console.print("vesta loader: exiting boot services\n");

    if (auto exited = exit_boot_services(); !exited.ok()) {
        console.print("vesta loader: ExitBootServices failed: {}\n", error_name(exited.error()));
        return exited.error();
    }
    console.detach();
    set_panic_console(nullptr);
    info->loader_exit_count = arch::read_counter();
    arch::enter_kernel(tables, kernel.elf.entry, boot::kDirectMapBase + reinterpret_cast<uint64_t>(info));
}

} // namespace
} // namespace vesta::loader

extern "C" EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE* system) {
    vesta::loader::Loader loader(image, system);
    (void)loader.run();
    loader.console.print("vesta loader: boot failed; returning to the firmware\n");
    return EFI_LOAD_ERROR;
}
