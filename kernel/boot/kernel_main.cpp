// kernel/boot/kernel_main.cpp — boot: check the handoff, report the machine,
// set up physical memory, and announce readiness.
#include "kernel_main.hpp"

#include <lib/assert.hpp>
#include <lib/memory_map.hpp>
#include <lib/new.hpp>
#include <lib/utility.hpp>

#include "command_line.hpp"
#include "secondary_cpus.hpp"
#include "userspace.hpp"
#include <arch/mmu.hpp>
#include <arch/platform.hpp>
#include <arch/smp.hpp>
#include <console.hpp>
#include <memory/page_allocator.hpp>
#include <smp/bring_up.hpp>

namespace vesta {
namespace {

using boot::BootInfo;
using boot::MemoryRange;
using boot::MemoryType;

constexpr uint64_t kMiB = uint64_t{1024} * 1024;

[[noreturn]] void boot_failure(const char* why) {
    print("vesta: boot failed: {}\n", why);
    arch::stop_machine(arch::ExitStatus::Failure);
}

template <class T>
const T* physical_to_virtual(const BootInfo* info, uint64_t physical) {
    return reinterpret_cast<const T*>(info->direct_map_base + physical);
}

// The handoff is trusted only after these checks.
void check_boot_info(const BootInfo* info) {
    if (!info) boot_failure("no boot info");
    if (info->magic != boot::kBootInfoMagic) boot_failure("boot info has a bad magic number");
    if (info->version != boot::kBootInfoVersion) boot_failure("boot info version is not supported");
    if (info->size < sizeof(BootInfo)) boot_failure("boot info is smaller than this kernel expects");
    if (info->direct_map_base != boot::kDirectMapBase) boot_failure("boot info direct map base is wrong");
    if (info->memory_map_count == 0) boot_failure("boot info has an empty memory map");
    // Sorted, page-aligned, non-overlapping (boot_info.hpp): every later
    // decision about what is RAM and what is a device relies on it.
    if (!boot::is_normalised(physical_to_virtual<MemoryRange>(info, info->memory_map_physical), info->memory_map_count))
        boot_failure("the memory map is not normalised (unsorted, overlapping or misaligned ranges)");
}

// RAM the operating system owns: free memory plus what the loader handed over.
bool os_owned(MemoryType type) {
    return type == MemoryType::Usable || type == MemoryType::Kernel || type == MemoryType::BootData ||
           type == MemoryType::Initramfs;
}

void report_unknown_option(const char* word, size_t length) {
    char buffer[64];
    const size_t n = min(length, sizeof(buffer) - 1);
    __builtin_memcpy(buffer, word, n);
    buffer[n] = '\0';
    print("vesta: command line: '{}' is not a kernel option (left to the root task)\n",
          static_cast<const char*>(buffer));
}

// Calls itself until the kernel stack runs into its guard page. Each frame
// holds a 512-byte buffer the compiler must keep (well under the guard page,
// so no frame can step over it); the end condition is never met.
[[gnu::noinline]] uint64_t recurse_until_overflow(const volatile uint64_t* caller) {
    volatile uint64_t frame[64];
    frame[0] = caller[0] + 1;
    if (frame[0] == 0) return 0;
    return recurse_until_overflow(frame) + frame[0];
}

// Not inlined, so that the fault reports name it (the fault tests check that).
[[noreturn, gnu::noinline]] void provoke_fault(FaultTest test) {
    print("vesta: fault test: provoking a kernel fault on purpose\n");
    if (test == FaultTest::PageFault) {
        *reinterpret_cast<volatile uint64_t*>(uint64_t{0x10}) = 1; // the lower half is unmapped
    } else if (test == FaultTest::StackOverflow) {
        print("vesta: fault test: recursing until the kernel stack overflows\n");
        const volatile uint64_t start = 1;
        recurse_until_overflow(&start);
    } else if (test == FaultTest::Assertion) {
        VESTA_ASSERT(test != FaultTest::Assertion);
    } else {
        __builtin_trap();
    }
    boot_failure("the fault test did not fault");
}

} // namespace

// The boot allocator lives for the kernel's lifetime (explicit, no global constructor).
alignas(PageAllocator) static unsigned char page_allocator_storage[sizeof(PageAllocator)];

void kernel_main(const BootInfo* info) {
    print("\nVesta {} ({}) starting\n", "0.1.0", arch::kArchitectureName);
    check_boot_info(info);

    const char* command_line = physical_to_virtual<char>(info, info->command_line_physical);
    const KernelOptions options = parse_command_line(command_line, info->command_line_size, report_unknown_option);
    arch::set_emulator_exit(options.emulator_exit);
    print("command line: \"{}\"\n", command_line);
    if (info->boot_cpu_level) print("boot: the loader ran at EL{}\n", info->boot_cpu_level);

    const MemoryRange* map = physical_to_virtual<MemoryRange>(info, info->memory_map_physical);
    auto* pages = new (page_allocator_storage) PageAllocator(info->direct_map_base);
    uint64_t owned_bytes = 0;
    for (uint32_t i = 0; i < info->memory_map_count; ++i) {
        const MemoryRange& range = map[i];
        print("memory: {:016x}-{:016x} {}\n", range.base, range.base + range.size - 1,
              boot::memory_type_name(range.type));
        if (os_owned(range.type)) owned_bytes += range.size;
        if (range.type != MemoryType::Usable) continue;
        uint64_t base = range.base, size = range.size;
        if (base == 0) { // page 0 stays unused: 0 is the allocator's end marker, and null
            base += kPageSize;
            size -= kPageSize;
        }
        if (size && !pages->add_free_range(base, size / kPageSize).ok())
            boot_failure("the memory map has overlapping usable ranges");
    }
    if (options.firmware_leftovers) {
        print("vesta: test: leaving firmware leftovers in the control registers\n");
        arch::leave_firmware_leftovers();
    }
    if (!arch::initialise_platform(*info, *pages).ok()) boot_failure("cannot set up the platform");
    print("initramfs: {} bytes; device tree: {} bytes; ACPI RSDP: {:x}\n", info->initramfs_size, info->device_tree_size,
          info->acpi_rsdp_physical);
    if (info->counter_frequency)
        print("loader: {} counter ticks at {} kHz\n", info->loader_exit_count - info->loader_start_count,
              info->counter_frequency / 1000);
    if (options.cpus_no_wait) print("vesta: test: giving up on every other CPU as soon as it is asked to start\n");
    start_secondary_cpus(*pages, options.cpus_no_wait ? 0 : kCpuStartTimeoutMicroseconds);
    // TLB tags keep translations of spaces a CPU left; with several CPUs
    // running tasks the shootdown (smp/cross_cpu.hpp) relies on every CPU
    // holding only its current space's: tags only on one CPU (docs/smp.md).
    if (const uint32_t online = cpu_table().count_in(CpuState::Online); online > 1 && arch::secondaries_schedule())
        print("tlb tags: off ({} CPUs run tasks): every address-space switch flushes the user translations\n", online);
    else
        arch::enable_tlb_tags(options.tlb_tags, options.tlb_tag_limit);
    print("page allocator: {} free pages in {} runs\n", pages->free_pages(), pages->run_count());
    print("usable memory: {} MiB\n", owned_bytes / kMiB);
    print("kernel stack: {} bytes used so far\n", arch::kernel_stack_high_water());
    print("vesta: kernel ready\n");

    if (options.fault_test == FaultTest::UserAccess) {
        arch::test_user_access_on_next_entry();
    } else if (options.fault_test != FaultTest::None) {
        provoke_fault(options.fault_test);
    }
    if (options.exit_on_ready) arch::stop_machine(arch::ExitStatus::Success);
    start_userspace(*info, *pages, command_line, RootProgram{options.init, options.init_length});
}

} // namespace vesta
