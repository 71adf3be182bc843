// arch/aarch64/kernel/smp.cpp — starting the secondary CPUs the device tree
// lists: PSCI CPU_ON (QEMU virt) or the spin-table (the Raspberry Pi 3 and
// 4 device trees) (docs/smp.md; PSCI: Arm DEN 0022; spin-table: Linux's
// Documentation/arch/arm64/booting.rst, the device-tree binding).
//
// Every start enters aarch64_secondary_entry_point (secondary_entry.S) at
// its physical address with the MMU off, after this file filled the
// handoff block beside it: the boot CPU's MAIR, TCR and SCTLR, the kernel's
// TTBR1, a TTBR0 that identity-maps the entry's page (built once, from boot
// pages), the CPU's stack and its PerCpu. One CPU starts at a time.
#include <arch/platform.hpp>
#include <arch/smp.hpp>
#include <boot/secondary_cpus.hpp>
#include <console.hpp>
#include <lib/new.hpp>
#include <lib/page_table_builder.hpp>
#include <memory/page_allocator.hpp>
#include <platform/devicetree_platform.hpp>

#include "interrupt_controller.hpp"
#include "per_cpu.hpp"
#include "system_registers.hpp"
#include <arch/aarch64/paging_format.hpp>

extern "C" char aarch64_secondary_handoff[], aarch64_secondary_entry_point[], aarch64_secondary_block_end[];
extern "C" void aarch64_secondary_start();

namespace vesta::aarch64 {
namespace {

constexpr uint64_t kKernelStackSize = uint64_t{1} << 16;   // kernel.ld KERNEL_STACK_SIZE
constexpr uint64_t kStackAlignment = 2 * kKernelStackSize; // bit 16 clear on the stack, set below it (entry.S)
constexpr uint64_t kEmergencyStackSize = 16384;            // kernel.ld EMERGENCY_STACK_SIZE

struct SecondaryHandoff { // secondary_entry.S
    uint64_t ttbr0, ttbr1, tcr, mair, sctlr, stack_top, per_cpu, entry;
    uint64_t mpidr; // written first, read last (secondary_entry.S)
};
static_assert(sizeof(SecondaryHandoff) == 72);

uint64_t identity_root = 0; // TTBR0 for the entry; 0 until the first start

#define READ_SYSTEM_REGISTER(name)                                                                                     \
    (__extension__({                                                                                                   \
        uint64_t value_;                                                                                               \
        asm volatile("mrs %0, " #name : "=r"(value_));                                                                 \
        value_;                                                                                                        \
    }))

// The physical address of a kernel virtual address (a stage 1 EL1 walk).
Result<uint64_t> physical_of(const void* virt) {
    const auto address = reinterpret_cast<uint64_t>(virt);
    uint64_t result;
    asm volatile("at s1e1r, %1\n\tisb\n\tmrs %0, par_el1" : "=r"(result) : "r"(address) : "memory");
    if (result & 1) return Error::NotFound;
    return (result & 0x0000fffffffff000) | (address & 0xfff);
}

// Cleans [start, start + size) to the point of coherency: a CPU with its
// MMU off reads memory, not the boot CPU's caches.
void clean_to_coherency(const void* start, uint64_t size) {
    const uint64_t line = 4u << (READ_SYSTEM_REGISTER(ctr_el0) >> 16 & 0xf);
    const auto begin = reinterpret_cast<uint64_t>(start) & ~(line - 1);
    for (uint64_t address = begin; address < reinterpret_cast<uint64_t>(start) + size; address += line)
        asm volatile("dc cvac, %0" ::"r"(address) : "memory");
    asm volatile("dsb sy" ::: "memory");
}

Result<void> prepare_identity_map(PageAllocator& pages) {
    if (identity_root) return {};
    const uint64_t first = align_down(TRY(physical_of(aarch64_secondary_handoff)), kPageSize);
    const uint64_t last = TRY(physical_of(aarch64_secondary_block_end - 1));
    if (last - first >= kPageSize) return Error::Misaligned; // secondary_entry.S keeps the block in one page
    const uint64_t tcr = READ_SYSTEM_REGISTER(tcr_el1);
    if ((tcr & 0x3f) != 16) {
        print("cpus: TCR_EL1.T0SZ is {}, not 16: cannot build the secondary CPUs' identity map\n", tcr & 0x3f);
        return Error::NotSupported;
    }
    paging::PageTableBuilder<PagingFormat> builder(paging::TablePageSource{
        &pages,
        [](void* context) -> uint64_t {
            auto page = static_cast<PageAllocator*>(context)->allocate();
            if (!page.ok()) return 0;
            __builtin_memset(reinterpret_cast<void*>(boot::kDirectMapBase + page.value()), 0, kPageSize);
            return page.value();
        },
        [](void*, uint64_t table) -> uint64_t* { return reinterpret_cast<uint64_t*>(boot::kDirectMapBase + table); }});
    auto root = pages.allocate();
    if (!root.ok()) return root.error();
    __builtin_memset(reinterpret_cast<void*>(boot::kDirectMapBase + root.value()), 0, kPageSize);
    builder.attach(root.value());
    TRY(builder.map(first, first, kPageSize, {false, true, false, false, paging::CacheMode::WriteBack}));
    asm volatile("dsb ishst" ::: "memory");
    identity_root = root.value();
    return {};
}

Result<PerCpu*> prepare_per_cpu(CpuRecord& cpu, PageAllocator& pages) {
    static_assert(sizeof(PerCpu) <= kPageSize);
    auto area = pages.allocate();
    if (!area.ok()) return area.error();
    auto* here = new (reinterpret_cast<void*>(boot::kDirectMapBase + area.value())) PerCpu{};
    here->stacks.kernel = TRY(allocate_cpu_stack(kKernelStackSize, kStackAlignment, pages));
    here->stacks.emergency = TRY(allocate_cpu_stack(kEmergencyStackSize, kStackAlignment, pages));
    here->kernel_stack_top = here->stacks.kernel.top;
    here->emergency_stack_top = here->stacks.emergency.top;
    here->empty_root = here->active_root = this_cpu().empty_root; // empty: shared by every CPU
    here->record = &cpu;
    here->redistributor = TRY(find_redistributor(cpu.arch_id, pages));
    cpu.kernel_stack = here->stacks.kernel;
    cpu.arch = here;
    return here;
}

const platform::Processor* processor_of(uint64_t mpidr) {
    const platform::Platform& machine = machine_description();
    for (uint32_t i = 0; i < machine.cpu_count; ++i)
        if (machine.cpus[i].mpidr == mpidr) return &machine.cpus[i];
    return nullptr;
}

// PSCI return codes (DEN 0022 §5.2.2) as the kernel's errors.
Error psci_error(int64_t status) {
    switch (status) {
    case -2: return Error::InvalidArgument; // INVALID_PARAMETERS
    case -4:                                // ALREADY_ON
    case -5: return Error::Busy;            // ON_PENDING
    case -9: return Error::OutOfRange;      // INVALID_ADDRESS
    default: return Error::NotSupported;    // NOT_SUPPORTED, INTERNAL_FAILURE, …
    }
}

Result<void> psci_cpu_on(uint64_t mpidr, uint64_t entry) {
    const platform::Psci& psci = machine_description().psci;
    if (psci.conduit == platform::PsciConduit::None || psci.cpu_on == 0) return Error::NotSupported;
    register uint64_t x0 asm("x0") = psci.cpu_on;
    register uint64_t x1 asm("x1") = mpidr;
    register uint64_t x2 asm("x2") = entry;
    register uint64_t x3 asm("x3") = 0;
    if (psci.conduit == platform::PsciConduit::Hvc)
        asm volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
    else
        asm volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
    const auto status = static_cast<int64_t>(x0);
    if (status != 0) {
        print("cpus: PSCI CPU_ON for MPIDR {:x} failed with {}\n", mpidr, status);
        return psci_error(status);
    }
    return {};
}

// Writes the entry's physical address to the CPU's cpu-release-addr (through
// an uncached mapping, so it reaches memory), then wakes the waiting CPUs.
Result<void> spin_table_release(uint64_t release_address, uint64_t entry, PageAllocator& pages) {
    if (release_address == 0 || release_address % 8) return Error::Misaligned;
    const uint64_t release = TRY(arch::map_device(release_address, 8, pages));
    *reinterpret_cast<volatile uint64_t*>(release) = entry;
    asm volatile("dsb sy\n\tsev" ::: "memory");
    return {};
}

} // namespace

extern "C" [[noreturn]] void aarch64_secondary_entry(PerCpu* here) {
    // On this CPU's kernel stack, vectors and TPIDR_EL1 set (secondary_entry.S).
    write_ttbr0(here->empty_root);    // the identity map is not needed any more
    (void)program_system_registers(); // SCTLR_EL1 (PAN), CNTKCTL_EL1, CPACR_EL1, … as on the boot CPU
    initialise_secondary_interrupts(here->redistributor);
    secondary_main(*here->record);
}

} // namespace vesta::aarch64

namespace vesta::arch {

const char* const kCpuIdName = "MPIDR";

uint32_t firmware_cpus(FirmwareCpu* out, uint32_t capacity) {
    const platform::Platform& machine = aarch64::machine_description();
    const bool psci = machine.psci.conduit != platform::PsciConduit::None && machine.psci.cpu_on != 0;
    uint32_t n = 0;
    for (uint32_t i = 0; i < machine.cpu_count && n < capacity; ++i) {
        const platform::Processor& cpu = machine.cpus[i];
        const bool startable = (cpu.enable_method == platform::CpuEnableMethod::Psci && psci) ||
                               (cpu.enable_method == platform::CpuEnableMethod::SpinTable && cpu.release_address);
        out[n++] = FirmwareCpu{cpu.mpidr, true, startable};
    }
    return n;
}

uint64_t this_cpu_arch_id() {
    const uint64_t mpidr = READ_SYSTEM_REGISTER(mpidr_el1);
    return mpidr & 0xff00ffffff; // Aff3, Aff2, Aff1, Aff0: what the device tree's reg holds
}

void describe_boot_cpu(CpuRecord& boot) {
    aarch64::PerCpu& here = aarch64::this_cpu();
    boot.kernel_stack = here.stacks.kernel;
    boot.arch = &here;
    here.record = &boot;
}

Result<void> start_cpu(CpuRecord& cpu, PageAllocator& pages) {
    const platform::Processor* processor = aarch64::processor_of(cpu.arch_id);
    if (!processor) return Error::NotFound;
    TRY(aarch64::prepare_identity_map(pages));
    aarch64::PerCpu* here = TRY(aarch64::prepare_per_cpu(cpu, pages));
    const uint64_t handoff_physical = TRY(aarch64::physical_of(aarch64_secondary_handoff));
    const uint64_t entry = TRY(aarch64::physical_of(aarch64_secondary_entry_point));
    auto* handoff = reinterpret_cast<aarch64::SecondaryHandoff*>(boot::kDirectMapBase + handoff_physical);
    handoff->mpidr = cpu.arch_id;
    aarch64::clean_to_coherency(&handoff->mpidr, sizeof(handoff->mpidr));
    handoff->ttbr0 = aarch64::identity_root;
    handoff->ttbr1 = READ_SYSTEM_REGISTER(ttbr1_el1) & 0x0000fffffffffffe;
    handoff->tcr = READ_SYSTEM_REGISTER(tcr_el1);
    handoff->mair = READ_SYSTEM_REGISTER(mair_el1);
    handoff->sctlr = READ_SYSTEM_REGISTER(sctlr_el1);
    handoff->stack_top = here->stacks.kernel.top;
    handoff->per_cpu = reinterpret_cast<uint64_t>(here);
    handoff->entry = reinterpret_cast<uint64_t>(&aarch64_secondary_start);
    aarch64::clean_to_coherency(handoff, sizeof(*handoff));
    aarch64::clean_to_coherency(aarch64_secondary_entry_point,
                                static_cast<uint64_t>(aarch64_secondary_block_end - aarch64_secondary_entry_point));
    if (processor->enable_method == platform::CpuEnableMethod::Psci) return aarch64::psci_cpu_on(cpu.arch_id, entry);
    return aarch64::spin_table_release(processor->release_address, entry, pages);
}

void abandon_cpu(CpuRecord&) {
    // Neither PSCI nor the spin-table can recall a CPU that was released:
    // the record's NoAnswer state makes it stop in secondary_main if it
    // ever arrives (docs/smp.md).
}

uint64_t bring_up_microseconds() {
    const uint64_t frequency = READ_SYSTEM_REGISTER(cntfrq_el0);
    const uint64_t count = READ_SYSTEM_REGISTER(cntvct_el0);
    if (frequency == 0) return 0;
    return count / frequency * 1'000'000 + count % frequency * 1'000'000 / frequency;
}

void bring_up_relax() { asm volatile("yield"); }

void idle_secondary(CpuRecord&) {
    // Interrupts stay masked: nothing is routed to this CPU (the interrupt
    // controller cannot reach it: secondaries_schedule() is false).
    for (;;) asm volatile("msr daifset, #0xf\n\twfi");
}

} // namespace vesta::arch
