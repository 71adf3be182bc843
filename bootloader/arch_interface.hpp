// bootloader/arch_interface.hpp — the interface between the portable loader and
// its architecture part (arch/<arch>/loader/), selected by include path.
//
// The backend header <arch_loader.hpp> provides:
//   constexpr uint16_t arch::kElfMachine;      the kernel's e_machine
//   constexpr const char* arch::kName;         "x86_64", "aarch64"
//   class arch::KernelTables                   (see the concept below)
// and the backend defines the functions declared here.
#pragma once

#include <arch_loader.hpp>
#include <lib/page_table_builder.hpp>
#include <lib/result.hpp>

#include "console.hpp"
#include "efi.hpp"

namespace vesta::loader::arch {

// The kernel's page tables: map() places a range in the higher or lower half
// as its address says; roots are what the handoff loads.
template <class T>
concept KernelTablesType = requires(T tables, const T const_tables, uint64_t a, paging::MappingAttributes m) {
    { tables.initialise() } -> same_as<Result<void>>;
    { tables.map(a, a, a, m) } -> same_as<Result<void>>;
    { const_tables.kernel_root() } -> same_as<uint64_t>;
};
static_assert(KernelTablesType<KernelTables>);

// The CPU's free-running counter (x86_64 TSC, aarch64 CNTVCT_EL0).
uint64_t read_counter();
// Its frequency in Hz, measured against the firmware's Stall() where the
// architecture does not state it; 0 when unknown.
uint64_t counter_frequency(EFI_BOOT_SERVICES* boot);
// aarch64: the exception level the loader runs at; x86_64: 0.
uint32_t boot_level();
// Checks that the CPU can run the kernel (prints what is missing).
Result<void> check_cpu(Console& console);
// Makes freshly written code at [address, address + size) executable:
// cleans data caches and invalidates instruction caches where the
// architecture needs it (aarch64); nothing on x86_64.
void prepare_code(uint64_t address, uint64_t size);
// The physical address of the handoff code, which must stay identity-mapped
// while the page tables change.
uint64_t handoff_code_address();
// Called after ExitBootServices: installs `tables`, sets the CPU state the
// boot protocol promises, and jumps to `entry` with `boot_info` (a kernel
// virtual address) in the first argument register. Never returns.
[[noreturn]] void enter_kernel(const KernelTables& tables, uint64_t entry, uint64_t boot_info);

} // namespace vesta::loader::arch
