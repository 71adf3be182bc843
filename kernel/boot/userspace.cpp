// kernel/boot/userspace.cpp — memory pools, the root task, and the first
// switch to user mode (docs/syscall-abi.md, "The root task").
#include <arch/physical_memory.hpp>
#include <arch/platform.hpp>
#include <boot/command_line.hpp>
#include <boot/device_ranges.hpp>
#include <boot/devicetree_devices.hpp>
#include <boot/initial_objects.hpp>
#include <boot/secondary_cpus.hpp>
#include <boot/userspace.hpp>
#include <console.hpp>
#include <lib/elf.hpp>
#include <lib/fdt.hpp>
#include <lib/memory_map.hpp>
#include <lib/new.hpp>
#include <lib/tar.hpp>
#include <memory/page_allocator.hpp>
#include <object/binding.hpp>
#include <smp/cross_cpu.hpp>
#include <vesta/root_info.hpp>

namespace vesta {
namespace {

constexpr uint32_t kRootSlots = 4096;
constexpr uint8_t kRootPriority = 128;
constexpr size_t kMaxDeviceTreeRanges = 8; // merged device-tree device ranges handed to the root task

alignas(Kernel) unsigned char kernel_storage[sizeof(Kernel)];

[[noreturn]] void fail(const char* what, const char* why) {
    print("vesta: cannot start the root task: {}: {}\n", what, why);
    arch::stop_machine(arch::ExitStatus::Failure);
}

// The root program's name, NUL-terminated: init= checked, or the default.
char program_name[kMaxInitProgramName + 1];

const char* choose_program(RootProgram program) {
    if (!program.name) return kDefaultInitProgram;
    if (const char* problem = init_name_problem(program.name, program.length)) {
        // Shown as given, cut to the buffer (the name may hold anything but a space).
        const size_t n = min(program.length, kMaxInitProgramName);
        __builtin_memcpy(program_name, program.name, n);
        program_name[n] = '\0';
        print("vesta: cannot start the root task: init={}{} cannot name a program: {}\n",
              static_cast<const char*>(program_name), n < program.length ? "..." : "", problem);
        arch::stop_machine(arch::ExitStatus::Failure);
    }
    __builtin_memcpy(program_name, program.name, program.length);
    program_name[program.length] = '\0';
    return program_name;
}

struct MappedPage {
    Page* page;
    uint8_t* data; // through the direct map
};

class RootBuilder {
public:
    RootBuilder(Memory& memory, RootTask root) : memory_(memory), root_(root) {}

    RootTask& root() { return root_; }
    void set_info(RootInfo* info) { info_ = info; }

    // Grant `object` to the root task and describe it in the root info.
    Result<uint32_t> grant(Object& object, uint64_t physical, uint64_t pages, uint64_t mapped) {
        uint32_t slot = TRY(grant_to_root(root_, object));
        if (info_ && info_->capability_count < RootInfo::kMaxCapabilities)
            info_->capabilities[info_->capability_count++] =
                RootCapability{slot, static_cast<uint64_t>(object.type), physical, pages, mapped};
        return slot;
    }

    // Fresh zeroed pages, granted and mapped at `address` with `permissions`.
    Result<MappedPage> map_new(uint64_t address, uint64_t pages, uint8_t permissions) {
        uint64_t physical = TRY(memory_.allocate_pages(pages));
        auto page = memory_.create<Page>(sizeof(Page), physical, pages);
        if (!page.ok()) {
            memory_.free_pages(physical, pages);
            return page.error();
        }
        uint32_t slot = TRY(grant(*page.value(), physical, pages, address));
        Capability* capability = TRY(root_.cspace->slot(slot));
        TRY(root_.vspace->check_map(*capability, address, permissions));
        root_.vspace->map_frame(*capability, address, permissions);
        return MappedPage{page.value(), static_cast<uint8_t*>(arch::physical_to_virtual(physical))};
    }

private:
    Memory& memory_;
    RootTask root_;
    RootInfo* info_ = nullptr;
};

uint8_t permissions_of(uint32_t flags) {
    uint8_t permissions = rights::kRead;
    if (flags & elf::kWrite) permissions |= rights::kWrite;
    if (flags & elf::kExecute) permissions |= rights::kExecute;
    return permissions;
}

// The root program's segments, each in its own Page object.
uint64_t load_root_program(RootBuilder& builder, const char* name, const tar::Entry& file) {
    const elf::ElfRequirements requirements{arch::kElfMachine, kPageSize, kRootDeviceTreeAddress};
    const auto validated = elf::validate_elf(file.data, file.size, requirements);
    if (!validated.ok()) fail(name, elf::message(validated.error()));
    const elf::ElfImage& image = validated.value();
    for (size_t i = 0; i < image.segment_count; ++i) {
        const elf::Segment& segment = image.segments[i];
        const uint64_t first = segment.first_page();
        auto mapped = builder.map_new(first, segment.page_count(), permissions_of(segment.flags));
        if (!mapped.ok()) fail(name, error_name(mapped.error()));
        __builtin_memcpy(mapped.value().data + (segment.virtual_address - first), file.data + segment.file_offset,
                         segment.file_size);
    }
    return image.entry;
}

} // namespace

void start_userspace(const boot::BootInfo& info, PageAllocator& pages, const char* command_line, RootProgram program) {
    const char* const name = choose_program(program);
    Kernel& kernel = *new (kernel_storage) Kernel();
    // Decides whether the kernel lock is in use (more than one CPU runs
    // tasks: then the boot CPU holds it from here, and resume() releases it).
    start_secondary_schedulers(kernel, pages);

    // Every free run of the page allocator becomes a memory pool, largest first.
    Memory* pools[Kernel::kMaxRamRanges];
    size_t pool_count = 0;
    while (pool_count < Kernel::kMaxRamRanges && pages.free_pages() >= 2) {
        const uint64_t run = pages.largest_run();
        if (run < 2) break;
        const uint64_t physical = pages.allocate(run).value();
        auto pool = create_initial_memory(kernel, physical, run);
        if (!pool.ok()) fail("memory pool", error_name(pool.error()));
        pools[pool_count++] = pool.value();
    }
    if (pool_count == 0) fail("memory", "no free memory left for user tasks");

    Memory& memory = *pools[0];
    // The kernel's own I/O ports stay claimed for good (no capability names them).
    size_t reserved_count = 0;
    const arch::PortRange* reserved = arch::kernel_io_ports(&reserved_count);
    for (size_t i = 0; i < reserved_count; ++i) {
        auto port = memory.create<IoPort>(sizeof(IoPort), reserved[i].first, reserved[i].count);
        if (!port.ok()) fail("kernel I/O ports", error_name(port.error()));
        port.value()->flags |= Object::kPermanent;
        kernel.io_ports.push_back(*port.value());
    }
    auto root_task = create_root_task(kernel, memory, kRootSlots, kRootPriority);
    if (!root_task.ok()) fail("root task objects", error_name(root_task.error()));
    RootBuilder builder(memory, root_task.value());

    auto info_page = builder.map_new(kRootInfoAddress, 1, rights::kRead);
    if (!info_page.ok()) fail("root info", error_name(info_page.error()));
    auto* root_info = reinterpret_cast<RootInfo*>(info_page.value().data);
    builder.set_info(root_info);
    root_info->magic = kRootInfoMagic;
    root_info->version = kRootInfoVersion;
    root_info->size = sizeof(RootInfo);
    root_info->cspace_slots = kRootSlots;
    root_info->kernel_entry_count = info.loader_exit_count;
    root_info->tick_microseconds = arch::tick_microseconds();
    for (size_t i = 0; i + 1 < sizeof(root_info->command_line) && command_line[i]; ++i)
        root_info->command_line[i] = command_line[i];

    // The root program, from the initramfs.
    const auto* initramfs = static_cast<const uint8_t*>(arch::physical_to_virtual(info.initramfs_physical));
    const auto found = tar::find(initramfs, info.initramfs_size, name);
    if (!found.ok() && found.error() == tar::Error::NotFound) {
        print("vesta: cannot start the root task: the initramfs has no program '{}' ({})\n", name,
              program.name ? "init= names it" : "the default; init=NAME chooses another");
        arch::stop_machine(arch::ExitStatus::Failure);
    }
    if (!found.ok()) fail("initramfs", tar::message(found.error()));
    const uint64_t entry = load_root_program(builder, name, found.value());

    // Its stack, IPC buffer and a read-only copy of the initramfs.
    auto stack =
        builder.map_new(kRootStackTop - kRootStackPages * kPageSize, kRootStackPages, rights::kRead | rights::kWrite);
    if (!stack.ok()) fail("stack", error_name(stack.error()));
    auto buffer = builder.map_new(kRootIpcBufferAddress, 1, rights::kRead | rights::kWrite);
    if (!buffer.ok()) fail("IPC buffer", error_name(buffer.error()));
    Task& task = *builder.root().task;
    for (size_t i = 0; i + 1 < sizeof(task.name) && name[i]; ++i) task.name[i] = name[i];
    bind_ipc_buffer(task, buffer.value().page, kRootIpcBufferAddress);
    root_info->ipc_buffer = kRootIpcBufferAddress;
    if (info.initramfs_size) {
        auto copy =
            builder.map_new(kRootInitramfsAddress, align_up(info.initramfs_size, kPageSize) / kPageSize, rights::kRead);
        if (!copy.ok()) fail("initramfs copy", error_name(copy.error()));
        __builtin_memcpy(copy.value().data, initramfs, info.initramfs_size);
        root_info->initramfs = kRootInitramfsAddress;
        root_info->initramfs_size = info.initramfs_size;
    }

    // A read-only copy of the device tree: device discovery is userland's job.
    // Only the bytes its blocks use (QEMU virt pads its tree to 1 MiB), with
    // `totalsize` saying so; a tree the reader refuses is copied whole.
    const void* const tree = info.device_tree_size && info.device_tree_physical
                                 ? arch::physical_to_virtual(info.device_tree_physical)
                                 : nullptr;
    auto opened = fdt::DeviceTree::open(tree, tree ? info.device_tree_size : 0);
    if (tree) {
        const uint32_t size = opened.ok() ? opened.value().used_size() : static_cast<uint32_t>(info.device_tree_size);
        auto copy =
            builder.map_new(kRootDeviceTreeAddress, align_up(uint64_t{size}, kPageSize) / kPageSize, rights::kRead);
        if (!copy.ok()) fail("device tree copy", error_name(copy.error()));
        __builtin_memcpy(copy.value().data, tree, size);
        if (opened.ok()) fdt::store_be32(copy.value().data + fdt::kTotalSizeOffset, size);
        root_info->device_tree = kRootDeviceTreeAddress;
        root_info->device_tree_size = size;
    }
    root_info->acpi_rsdp_physical = info.acpi_rsdp_physical;
    const boot::Framebuffer& framebuffer = info.framebuffer;
    if (framebuffer.physical && framebuffer.format != boot::PixelFormat::None) {
        root_info->framebuffer_physical = framebuffer.physical;
        root_info->framebuffer_size = framebuffer.size;
        root_info->framebuffer_width = framebuffer.width;
        root_info->framebuffer_height = framebuffer.height;
        root_info->framebuffer_pitch = framebuffer.pitch;
        root_info->framebuffer_format = static_cast<uint32_t>(framebuffer.format);
        root_info->framebuffer_red_mask = framebuffer.red_mask;
        root_info->framebuffer_green_mask = framebuffer.green_mask;
        root_info->framebuffer_blue_mask = framebuffer.blue_mask;
        root_info->framebuffer_reserved_mask = framebuffer.reserved_mask;
    }

    // The other pools, then device memory: MMIO and framebuffer ranges the
    // kernel does not drive, and never one over RAM or the kernel's own pages,
    // whatever the memory map says (device_ranges.hpp).
    for (size_t i = 1; i < pool_count; ++i)
        if (!builder.grant(*pools[i], pools[i]->base(), pools[i]->total_pages(), 0).ok())
            fail("memory capabilities", "the root cspace is full");
    const auto* map = static_cast<const boot::MemoryRange*>(arch::physical_to_virtual(info.memory_map_physical));
    for (uint32_t i = 0; i < info.memory_map_count; ++i) {
        const boot::MemoryRange& range = map[i];
        if (range.type != boot::MemoryType::Mmio && range.type != boot::MemoryType::Framebuffer) continue;
        if (arch::kernel_owns_device(range.base, range.size)) continue;
        if (!device_range_allowed(info, arch::virtual_to_physical(&info), map, info.memory_map_count, range.base,
                                  range.size) ||
            arch::kernel_image_overlaps(range.base, range.size)) {
            print("vesta: not handing out {} {:x}-{:x} as device memory: it overlaps RAM or the kernel's own pages\n",
                  boot::memory_type_name(range.type), range.base, range.base + range.size - 1);
            continue;
        }
        auto device = create_initial_device_memory(kernel, memory, range.base, range.size / kPageSize);
        if (!device.ok()) continue; // overlaps a memory pool: not a device range
        if (!builder.grant(*device.value(), range.base, range.size / kPageSize, 0).ok())
            fail("device memory capabilities", "the root cspace is full");
    }
    // Device memory of the device tree's virtio-mmio transports (firmware
    // maps do not list them): what the virtio drivers' loader splits grants
    // from (docs/manifest.md, "Matching a node"). Ranges the map already
    // handed out are skipped.
    if (opened.ok()) {
        boot::MemoryRange ranges[kMaxDeviceTreeRanges];
        const size_t count = devicetree_device_ranges(opened.value(), "virtio,mmio", ranges, kMaxDeviceTreeRanges);
        for (size_t r = 0; r < count; ++r) {
            const boot::MemoryRange& range = ranges[r];
            bool listed = false;
            for (uint32_t i = 0; i < info.memory_map_count; ++i)
                listed = listed || (map[i].base < range.base + range.size && range.base < map[i].base + map[i].size);
            if (listed || arch::kernel_owns_device(range.base, range.size) ||
                !device_range_allowed(info, arch::virtual_to_physical(&info), map, info.memory_map_count, range.base,
                                      range.size) ||
                arch::kernel_image_overlaps(range.base, range.size))
                continue;
            auto device = create_initial_device_memory(kernel, memory, range.base, range.size / kPageSize);
            if (!device.ok()) continue;
            if (!builder.grant(*device.value(), range.base, range.size / kPageSize, 0).ok())
                fail("device memory capabilities", "the root cspace is full");
        }
    }
    root_info->first_free_slot = builder.root().cspace->find_free(kAnySlot).ok()
                                     ? builder.root().cspace->find_free(kAnySlot).value()
                                     : kRootSlots;

    task.context.initialise(entry, kRootStackTop, kRootInfoAddress);
    print("vesta: root task {}: entry {:x}, {} memory pools, {} capabilities described\n", name, entry, pool_count,
          root_info->capability_count);
    root_info->counter_frequency = arch::cycle_counter_frequency(info.counter_frequency);
    schedule(kernel.cpu);
    root_info->root_start_count = arch::cycle_counter();
    arch::run_user(kernel.cpu);
}

} // namespace vesta
