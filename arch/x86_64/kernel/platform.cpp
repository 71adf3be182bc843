// arch/x86_64/kernel/platform.cpp — the platform half of the arch interface
// (kernel/arch/platform.hpp) and the C++ kernel entry.
#include <arch/platform.hpp>
#include <arch/smp.hpp>
#include <boot/kernel_main.hpp>
#include <console.hpp>
#include <lib/elf.hpp>
#include <memory/device_window.hpp>
#include <memory/kernel_image_pages.hpp>

#include "cpu.hpp"
#include "interrupt_controller.hpp"
#include "per_cpu.hpp"
#include "serial.hpp"
#include <arch/x86_64/paging_format.hpp>

extern "C" char __kernel_start[], __kernel_end[]; // kernel.ld

namespace vesta::arch {
namespace {

uint64_t kernel_tables_root = 0; // the loader's tables, which map the kernel image

bool emulator_exit_enabled = false;
alignas(
    DeviceWindow<x86_64::PagingFormat>) unsigned char device_window_storage[sizeof(DeviceWindow<x86_64::PagingFormat>)];
DeviceWindow<x86_64::PagingFormat>* device_window = nullptr;

// QEMU's isa-debug-exit device (iobase 0xf4): writing v exits with (v << 1) | 1.
constexpr uint16_t kDebugExitPort = 0xf4;
constexpr uint8_t kDebugExitSuccess = 0x10; // QEMU exit status 33
constexpr uint8_t kDebugExitFailure = 0x11; // QEMU exit status 35

} // namespace

const char* const kArchitectureName = "x86_64";
const uint16_t kElfMachine = elf::kMachineX86_64;

void console_write(const char* text, size_t length) { x86_64::serial_write(text, length); }

ConsoleDevice console_device() { return ConsoleDevice{ConsoleDevice::Kind::IoPorts, 0x3f8, 8}; } // COM1

void set_emulator_exit(bool enabled) { emulator_exit_enabled = enabled; }

const PortRange* kernel_io_ports(size_t* count) {
    static constexpr PortRange kPorts[] = {{0x3f8, 8} /* COM1 */, {kDebugExitPort, 4} /* isa-debug-exit */};
    *count = sizeof(kPorts) / sizeof(kPorts[0]);
    return kPorts;
}

bool kernel_image_overlaps(uint64_t physical, uint64_t size) {
    return vesta::kernel_image_overlaps<x86_64::PagingFormat>(kernel_tables_root, boot::kDirectMapBase,
                                                              reinterpret_cast<uint64_t>(__kernel_start),
                                                              reinterpret_cast<uint64_t>(__kernel_end), physical, size);
}

Result<void> initialise_platform(const boot::BootInfo& boot_info, PageAllocator& pages) {
    kernel_tables_root = boot_info.page_table_root_physical;
    // A PC: COM1 is already the console; the MADT describes the APICs.
    device_window = new (device_window_storage)
        DeviceWindow<x86_64::PagingFormat>(boot_info.page_table_root_physical, boot_info.direct_map_base);
    print("platform: PC, console COM1 (16550 at port 0x3f8), ACPI RSDP at {:x}\n", boot_info.acpi_rsdp_physical);
    x86_64::initialise_user_support(x86_64::this_cpu(), *x86_64::this_cpu().tables, boot_info.page_table_root_physical);
    return x86_64::initialise_interrupts(boot_info, pages);
}

Result<uint64_t> map_device(uint64_t physical, uint64_t size, PageAllocator& pages) {
    if (!device_window) return Error::Busy;
    return device_window->map(physical, size, pages);
}

Result<uint64_t> map_guarded(uint64_t physical, uint64_t size, uint64_t alignment, PageAllocator& pages) {
    if (!device_window) return Error::Busy;
    return device_window->map_guarded(physical, size, alignment, pages);
}

void stop_machine(ExitStatus status) {
    if (emulator_exit_enabled) {
        x86_64::outb(kDebugExitPort, status == ExitStatus::Success ? kDebugExitSuccess : kDebugExitFailure);
        // No isa-debug-exit device (a plain QEMU command line): power off
        // instead of hanging. QEMU's q35 and i440fx put the ACPI PM1a control
        // register at port 0x604 and treat SLP_EN with SLP_TYP 0 as S5; the
        // status is lost (QEMU exits 0), the console's last line says it.
        asm volatile("outw %0, %1" ::"a"(uint16_t{0x2000}), "Nd"(uint16_t{0x604}));
    }
    halt_forever();
}

void reset_machine() {
    x86_64::outb(0xcf9, 0x02); // reset control register (q35, most chipsets): system reset...
    x86_64::outb(0xcf9, 0x06); // ...on the 0 -> 1 edge of bit 2
    x86_64::outb(0x64, 0xfe);  // the keyboard controller's reset line
    // A triple fault: no IDT, then an exception.
    const struct [[gnu::packed]] {
        uint16_t limit;
        uint64_t base;
    } empty{0, 0};
    asm volatile("lidt %0\n\tint3" ::"m"(empty));
    halt_forever();
}

void halt_forever() {
    for (;;) asm volatile("cli; hlt");
}

} // namespace vesta::arch

namespace {
vesta::x86_64::CpuTables boot_cpu_tables;
}

extern "C" [[noreturn]] void x86_64_kernel_entry(const vesta::boot::BootInfo* boot_info) {
    vesta::x86_64::PerCpu& here = vesta::x86_64::boot_per_cpu();
    vesta::x86_64::set_per_cpu(here); // this_cpu() from here on (the loader left GS base unknown)
    here.stacks = vesta::x86_64::boot_cpu_stacks();
    vesta::x86_64::initialise_cpu(boot_cpu_tables, here.stacks);
    vesta::x86_64::set_per_cpu(here); // loading the null GS selector may have cleared the base
    here.tables = &boot_cpu_tables;
    vesta::x86_64::serial_initialise();
    vesta::kernel_main(boot_info);
}
