// arch/aarch64/kernel/platform.cpp — the platform half of the arch interface
// (kernel/arch/platform.hpp) for aarch64, and the C++ kernel entry.
//
// The machine is discovered from the device tree (kernel/platform/): the
// console UART, the interrupt controller, the timer, PSCI and the CPUs. Until
// the console UART is mapped, output is kept in a buffer and written out
// once it is; if it never is, the buffer goes to semihosting (when the
// emulator exit is enabled) so a failed boot still explains itself.
#include <arch/platform.hpp>
#include <arch/smp.hpp>
#include <boot/kernel_main.hpp>
#include <console.hpp>
#include <lib/elf.hpp>
#include <lib/fdt.hpp>
#include <memory/device_window.hpp>
#include <memory/kernel_image_pages.hpp>
#include <platform/devicetree_platform.hpp>
#include <platform/uart.hpp>

#include "interrupt_controller.hpp"
#include "per_cpu.hpp"
#include "stop.hpp"
#include "system_registers.hpp"
#include <arch/aarch64/paging_format.hpp>

extern "C" char __kernel_start[], __kernel_end[]; // kernel.ld

namespace vesta::arch {
namespace {

uint64_t kernel_tables_root = 0; // the loader's tables, which map the kernel image

using Window = DeviceWindow<aarch64::PagingFormat>;

bool emulator_exit_enabled = false;
bool stopping = false;
MmioUart console_uart;
alignas(Window) unsigned char window_storage[sizeof(Window)];
Window* device_window = nullptr;
platform::Platform machine;

// Output before the console exists.
char early_buffer[16384];
size_t early_used = 0;

// Arm semihosting (DUI 0003): operation in w0, parameter block in x1.
uint64_t semihosting(uint64_t operation, uint64_t parameter) {
    register uint64_t x0 asm("x0") = operation;
    register uint64_t x1 asm("x1") = parameter;
    asm volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return x0;
}
constexpr uint64_t kSemihostingWrite0 = 0x04;
constexpr uint64_t kSemihostingExitExtended = 0x20;
constexpr uint64_t kApplicationExit = 0x20026; // ADP_Stopped_ApplicationExit

void flush_early_buffer_to_semihosting() {
    if (!emulator_exit_enabled || early_used == 0) return;
    early_buffer[early_used < sizeof(early_buffer) ? early_used : sizeof(early_buffer) - 1] = '\0';
    semihosting(kSemihostingWrite0, reinterpret_cast<uint64_t>(early_buffer));
    early_used = 0;
}

// Every usable range of the loader's map must lie in a /memory range (when
// the tree has any: the Pi 4's firmware fills them in, U-Boot may not).
void cross_check_memory(const boot::BootInfo& info) {
    if (machine.memory_count == 0) {
        print("platform: the device tree lists no memory; using the firmware's memory map alone\n");
        return;
    }
    uint64_t tree_bytes = 0;
    for (uint32_t i = 0; i < machine.memory_count; ++i) tree_bytes += machine.memory[i].size;
    const auto* map = reinterpret_cast<const boot::MemoryRange*>(info.direct_map_base + info.memory_map_physical);
    uint64_t outside = 0;
    for (uint32_t i = 0; i < info.memory_map_count; ++i) {
        if (map[i].type != boot::MemoryType::Usable) continue;
        bool inside = false;
        for (uint32_t j = 0; j < machine.memory_count && !inside; ++j) {
            const platform::PhysicalRange& ram = machine.memory[j];
            inside = map[i].base >= ram.base && map[i].base + map[i].size <= ram.base + ram.size;
        }
        if (!inside) outside += map[i].size;
    }
    if (outside) {
        print("platform: warning: {} KiB of usable memory lie outside the device tree's /memory ranges\n",
              outside / 1024);
    } else {
        print("platform: device tree memory {} MiB in {} ranges; the firmware map agrees\n", tree_bytes >> 20,
              machine.memory_count);
    }
}

void print_interrupt(const char* what, const platform::InterruptLine& line) {
    print("platform: {}: {} interrupt {}{}\n", what, platform::name(line.controller), line.id,
          line.per_cpu ? " (per CPU)" : "");
}

void report_platform() {
    print("platform: {}\n", machine.model[0] ? machine.model : "(no model)");
    print("platform: console {} at {:x}\n", platform::name(machine.console.kind), machine.console.registers.base);
    const platform::InterruptController& gic = machine.interrupt_controller;
    print("platform: interrupt controller {} at {:x}", platform::name(gic.kind), gic.registers.base);
    if (gic.cpu_interface.size) print(", CPU interface {:x}", gic.cpu_interface.base);
    if (gic.redistributor_region_count) print(", redistributors {:x}", gic.redistributors[0].base);
    print("\n");
    if (machine.has_chained_controller)
        print("platform: chained controller {} at {:x}\n", platform::name(machine.chained_controller.kind),
              machine.chained_controller.registers.base);
    print_interrupt("timer (non-secure physical)", machine.timer.nonsecure_physical);
    print_interrupt("timer (virtual)", machine.timer.virtual_timer);
    print("platform: PSCI {}\n", machine.psci.conduit == platform::PsciConduit::Hvc   ? "via HVC"
                                 : machine.psci.conduit == platform::PsciConduit::Smc ? "via SMC"
                                                                                      : "absent");
    for (uint32_t i = 0; i < machine.cpu_count; ++i)
        print("platform: cpu {} mpidr {:x} enable-method {}\n", i, machine.cpus[i].mpidr,
              platform::name(machine.cpus[i].enable_method));
}

} // namespace

const char* const kArchitectureName = "aarch64";
const uint16_t kElfMachine = elf::kMachineAArch64;

bool kernel_owns_device(uint64_t physical, uint64_t size) {
    auto overlaps = [&](const platform::PhysicalRange& range) {
        return range.size && physical < range.base + range.size && range.base < physical + size;
    };
    const platform::InterruptController& gic = machine.interrupt_controller;
    if (overlaps(machine.console.registers) || overlaps(gic.registers) || overlaps(gic.cpu_interface)) return true;
    if (machine.has_chained_controller && overlaps(machine.chained_controller.registers)) return true;
    for (uint32_t i = 0; i < gic.redistributor_region_count; ++i)
        if (overlaps(gic.redistributors[i])) return true;
    return false;
}

void console_write(const char* text, size_t length) {
    if (console_uart.ready()) {
        console_uart.write(text, length);
        return;
    }
    for (size_t i = 0; i < length && early_used < sizeof(early_buffer) - 1; ++i) early_buffer[early_used++] = text[i];
}

ConsoleDevice console_device() {
    const platform::PhysicalRange& registers = machine.console.registers;
    if (!registers.size) return {};
    const uint64_t first = align_down(registers.base, kPageSize);
    return ConsoleDevice{ConsoleDevice::Kind::Mmio, first,
                         align_up(registers.base + registers.size, kPageSize) - first};
}

void set_emulator_exit(bool enabled) { emulator_exit_enabled = enabled; }

const PortRange* kernel_io_ports(size_t* count) {
    *count = 0;
    return nullptr;
}

bool kernel_image_overlaps(uint64_t physical, uint64_t size) {
    return vesta::kernel_image_overlaps<aarch64::PagingFormat>(
        kernel_tables_root, boot::kDirectMapBase, reinterpret_cast<uint64_t>(__kernel_start),
        reinterpret_cast<uint64_t>(__kernel_end), physical, size);
}

Result<void> initialise_platform(const boot::BootInfo& info, PageAllocator& pages) {
    kernel_tables_root = info.page_table_root_physical;
    device_window = new (window_storage) Window(info.page_table_root_physical, info.direct_map_base);
    if (!info.device_tree_physical) {
        print("platform: no device tree: this kernel discovers aarch64 machines from the device tree only\n");
        return Error::NotFound;
    }
    auto tree = fdt::DeviceTree::open(reinterpret_cast<const void*>(info.direct_map_base + info.device_tree_physical),
                                      info.device_tree_size);
    if (!tree.ok()) {
        print("platform: the device tree is malformed\n");
        return Error::Malformed;
    }
    const platform::Discovery discovered = platform::discover_platform(tree.value(), machine);
    if (!discovered.ok()) {
        const platform::DiscoveryFailure& failure = discovered.error();
        print("platform: device-tree discovery failed at {}: {}{}{}\n", failure.step, platform::message(failure.error),
              failure.fdt_error != fdt::Error::None ? ": " : "",
              failure.fdt_error != fdt::Error::None ? fdt::message(failure.fdt_error) : "");
        return Error::NotFound;
    }
    const platform::Uart& uart = machine.console;
    auto registers = device_window->map(uart.registers.base, uart.registers.size ? uart.registers.size : 0x1000, pages);
    if (!registers.ok()) {
        print("platform: cannot map the console UART: {}\n", error_name(registers.error()));
        return registers.error();
    }
    asm volatile("dsb ishst\n\tisb" ::: "memory");
    console_uart = MmioUart(uart.kind, registers.value(), uart.register_shift, uart.register_width);
    console_uart.write(early_buffer, early_used); // what was said before the console existed
    early_used = 0;
    report_platform();
    cross_check_memory(info);
    aarch64::report_protections(aarch64::program_system_registers()); // SCTLR_EL1, CNTKCTL_EL1, …
    // User mode: an empty TTBR0 while no vspace runs.
    aarch64::PerCpu& here = aarch64::this_cpu();
    auto empty = pages.allocate();
    if (!empty.ok()) return empty.error();
    __builtin_memset(reinterpret_cast<void*>(info.direct_map_base + empty.value()), 0, 4096);
    here.empty_root = here.active_root = empty.value();
    aarch64::write_ttbr0(here.empty_root); // the loader's identity page is no longer needed
    here.fp_enabled = false;               // CPACR_EL1 traps EL0's FP/SIMD until a thread owns the registers
    return aarch64::initialise_interrupts(machine, pages);
}

Result<uint64_t> map_device(uint64_t physical, uint64_t size, PageAllocator& pages) {
    if (!device_window) return Error::Busy;
    auto mapped = device_window->map(physical, size, pages);
    asm volatile("dsb ishst\n\tisb" ::: "memory");
    return mapped;
}

Result<uint64_t> map_guarded(uint64_t physical, uint64_t size, uint64_t alignment, PageAllocator& pages) {
    if (!device_window) return Error::Busy;
    auto mapped = device_window->map_guarded(physical, size, alignment, pages);
    asm volatile("dsb ishst\n\tisb" ::: "memory");
    return mapped;
}

bool semihosting_exit_pending() { return stopping; }

void semihosting_unavailable() {
    const platform::Psci& psci = machine.psci;
    if (psci.system_off != 0) {
        register uint64_t x0 asm("x0") = psci.system_off;
        if (psci.conduit == platform::PsciConduit::Hvc) asm volatile("hvc #0" : "+r"(x0)::"memory");
        if (psci.conduit == platform::PsciConduit::Smc) asm volatile("smc #0" : "+r"(x0)::"memory");
    }
    halt_forever();
}

void stop_machine(ExitStatus status) {
    if (emulator_exit_enabled && !stopping) {
        stopping = true; // semihosting absent: its HLT faults into semihosting_unavailable()
        flush_early_buffer_to_semihosting();
        const uint64_t block[2] = {kApplicationExit, status == ExitStatus::Success ? 0u : 1u};
        semihosting(kSemihostingExitExtended, reinterpret_cast<uint64_t>(block));
    }
    halt_forever();
}

void reset_machine() {
    const platform::Psci& psci = machine.psci;
    if (psci.system_reset != 0) {
        register uint64_t x0 asm("x0") = psci.system_reset;
        if (psci.conduit == platform::PsciConduit::Hvc) asm volatile("hvc #0" : "+r"(x0)::"memory");
        if (psci.conduit == platform::PsciConduit::Smc) asm volatile("smc #0" : "+r"(x0)::"memory");
    }
    print("vesta: this board offers no way to reset (no PSCI SYSTEM_RESET); halting\n");
    halt_forever();
}

void halt_forever() {
    for (;;) asm volatile("msr daifset, #0xf\n\twfi");
}

} // namespace vesta::arch

namespace vesta::aarch64 {
const platform::Platform& machine_description() { return arch::machine; }
} // namespace vesta::aarch64

extern "C" [[noreturn]] void aarch64_kernel_entry(const vesta::boot::BootInfo* boot_info) {
    // Per-CPU data in TPIDR_EL1 first: the vectors need the emergency stack.
    vesta::aarch64::PerCpu& here = vesta::aarch64::boot_per_cpu();
    here.stacks = vesta::aarch64::boot_cpu_stacks();
    here.kernel_stack_top = here.stacks.kernel.top;
    here.emergency_stack_top = here.stacks.emergency.top;
    asm volatile("msr tpidr_el1, %0\n\tisb" ::"r"(&here) : "memory");
    vesta::kernel_main(boot_info);
}
