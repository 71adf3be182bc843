// arch/x86_64/kernel/smp.cpp — starting the application processors the
// MADT lists (Intel SDM vol. 3 §8.4 and §11.6; docs/smp.md).
//
// The trampoline (trampoline.S) lives in four pages of usable memory below
// 1 MiB that the kernel takes from its page allocator at the first start and
// keeps: page 0 the code and the handoff block, pages 1-3 a PML4, PDPT and
// PD that identity-map the first 2 MiB (where the trampoline runs when
// paging comes on) and share the kernel's upper half. CPUs are started one
// at a time (smp/bring_up.hpp), so one handoff block serves them all.
#include <arch/platform.hpp>
#include <arch/smp.hpp>
#include <boot/secondary_cpus.hpp>
#include <console.hpp>
#include <lib/new.hpp>
#include <memory/page_allocator.hpp>

#include "control_registers.hpp"
#include "interrupt_controller.hpp"
#include "per_cpu.hpp"

extern "C" const char x86_64_trampoline_start[], x86_64_trampoline_end[];
extern "C" const char x86_64_trampoline_gdt[];
extern "C" char x86_64_trampoline_long_mode[];
extern "C" void x86_64_secondary_start();

namespace vesta::x86_64 {
namespace {

constexpr uint64_t kTrampolineLimit = 0xa0000; // below the legacy video memory (SIPI vectors 0xa0-0xbf are invalid)
constexpr uint64_t kTrampolinePages = 4;
constexpr uint64_t kHandoffOffset = 0xf00; // trampoline.S HANDOFF
constexpr uint64_t kKernelStackSize = 65536;
constexpr uint64_t kInterruptStackSize = 16384;

// At kHandoffOffset in the trampoline page; offsets used by trampoline.S.
struct [[gnu::packed]] TrampolineHandoff {
    uint16_t gdt_limit;    // 0x00: lgdtl's 6-byte operand
    uint32_t gdt_base;     // 0x02
    uint16_t reserved0;    // 0x06
    uint32_t long_mode_ip; // 0x08: ljmpl's far pointer
    uint16_t long_mode_cs; // 0x0c
    uint16_t reserved1;
    uint64_t trampoline_root; // 0x10
    uint64_t stack_top;       // 0x18
    uint64_t per_cpu;         // 0x20
    uint64_t kernel_root;     // 0x28
    uint64_t entry;           // 0x30
    uint32_t apic_id;         // 0x38: whose handoff it is; written first, read last
};
static_assert(offsetof(TrampolineHandoff, long_mode_ip) == 0x08);
static_assert(offsetof(TrampolineHandoff, trampoline_root) == 0x10);
static_assert(offsetof(TrampolineHandoff, entry) == 0x30);
static_assert(offsetof(TrampolineHandoff, apic_id) == 0x38);

uint64_t trampoline = 0; // physical; 0 until the first start

template <class T>
T* direct(uint64_t physical) {
    return reinterpret_cast<T*>(boot::kDirectMapBase + physical);
}

Result<void> prepare_trampoline(PageAllocator& pages) {
    if (trampoline) return {};
    auto low = pages.allocate_below(kTrampolineLimit, kTrampolinePages);
    if (!low.ok()) {
        print("cpus: no usable memory below 1 MiB for the start-up trampoline\n");
        return low.error();
    }
    trampoline = low.value();
    const uint64_t code_size = static_cast<uint64_t>(x86_64_trampoline_end - x86_64_trampoline_start);
    static_assert(sizeof(TrampolineHandoff) <= kPageSize - kHandoffOffset);
    __builtin_memset(direct<void>(trampoline), 0, kTrampolinePages * kPageSize);
    __builtin_memcpy(direct<void>(trampoline), x86_64_trampoline_start, code_size);
    // Identity map of the first 2 MiB (one large page) plus the kernel's upper half.
    auto* pml4 = direct<uint64_t>(trampoline + kPageSize);
    auto* pdpt = direct<uint64_t>(trampoline + 2 * kPageSize);
    auto* pd = direct<uint64_t>(trampoline + 3 * kPageSize);
    constexpr uint64_t kPresentWritable = 0x3, kLargePage = 0x80;
    pd[0] = 0 | kPresentWritable | kLargePage;
    pdpt[0] = (trampoline + 3 * kPageSize) | kPresentWritable;
    pml4[0] = (trampoline + 2 * kPageSize) | kPresentWritable;
    const auto* kernel_pml4 = direct<const uint64_t>(this_cpu().kernel_root);
    for (unsigned i = 256; i < 512; ++i) pml4[i] = kernel_pml4[i];
    auto* handoff = direct<TrampolineHandoff>(trampoline + kHandoffOffset);
    handoff->gdt_limit = 3 * 8 - 1;
    handoff->gdt_base = static_cast<uint32_t>(trampoline + (x86_64_trampoline_gdt - x86_64_trampoline_start));
    handoff->long_mode_ip = static_cast<uint32_t>(trampoline + (x86_64_trampoline_long_mode - x86_64_trampoline_start));
    handoff->long_mode_cs = kKernelCode;
    handoff->trampoline_root = trampoline + kPageSize;
    handoff->kernel_root = this_cpu().kernel_root;
    handoff->entry = reinterpret_cast<uint64_t>(&x86_64_secondary_start);
    print("cpus: start-up trampoline at {:x}-{:x} (usable memory below 1 MiB, kept by the kernel)\n", trampoline,
          trampoline + kTrampolinePages * kPageSize - 1);
    return {};
}

// The CPU's PerCpu and descriptor tables (two pages, through the direct
// map) and its four stacks. Boot time; what a failure leaves allocated stays
// allocated (a few pages, once).
Result<PerCpu*> prepare_per_cpu(CpuRecord& cpu, PageAllocator& pages) {
    constexpr uint64_t kBytes = sizeof(PerCpu) + alignof(CpuTables) + sizeof(CpuTables);
    auto area = pages.allocate((kBytes + kPageSize - 1) / kPageSize);
    if (!area.ok()) return area.error();
    auto* here = new (direct<void>(area.value())) PerCpu{};
    const uint64_t tables_address = align_up(reinterpret_cast<uint64_t>(here + 1), alignof(CpuTables));
    here->tables = new (reinterpret_cast<void*>(tables_address)) CpuTables{};
    here->self = here;
    here->kernel_root = here->active_root = this_cpu().kernel_root;
    here->record = &cpu;
    here->stacks.kernel = TRY(allocate_cpu_stack(kKernelStackSize, kPageSize, pages));
    for (auto& stack : here->stacks.interrupt) stack = TRY(allocate_cpu_stack(kInterruptStackSize, kPageSize, pages));
    here->kernel_stack_top = here->context_top = here->stacks.kernel.top;
    cpu.kernel_stack = here->stacks.kernel;
    cpu.arch = here;
    return here;
}

// Busy-waits about `microseconds` on the bring-up clock.
void wait_microseconds(uint64_t microseconds) {
    const uint64_t start = arch::bring_up_microseconds();
    while (arch::bring_up_microseconds() - start < microseconds) asm volatile("pause");
}

// PIT channel 0, free-running in mode 2 from 65536 at 1.193182 MHz: the
// bring-up clock. Its interrupt goes nowhere (the PIC is masked, its IOAPIC
// line too). Channel 2 belongs to the LAPIC timer calibration meanwhile.
constexpr uint32_t kPitHz = 1193182;
bool pit_running = false;
uint16_t pit_last = 0;
uint64_t pit_ticks = 0;

uint16_t pit_channel0() {
    outb(0x43, 0x00); // latch channel 0
    const uint8_t low = inb(0x40), high = inb(0x40);
    return static_cast<uint16_t>(high << 8 | low);
}

} // namespace

extern "C" [[noreturn]] void x86_64_secondary_entry(PerCpu* here) {
    // On this CPU's kernel stack, the kernel's tables loaded; nothing else is set.
    initialise_cpu(*here->tables, here->stacks);
    set_per_cpu(*here);
    (void)program_control_registers(); // CR0, CR4, EFER, PAT as on the boot CPU (reported there)
    initialise_local_apic();
    secondary_main(*here->record);
}

} // namespace vesta::x86_64

namespace vesta::arch {

const char* const kCpuIdName = "APIC ID";

uint32_t firmware_cpus(FirmwareCpu* out, uint32_t capacity) {
    const acpi::Madt& madt = x86_64::firmware_madt();
    uint32_t n = 0;
    for (uint32_t i = 0; i < madt.processor_count && n < capacity; ++i) {
        const uint32_t id = madt.processors[i].apic_id;
        out[n++] = FirmwareCpu{id, true, id < 0xff}; // an ID above 254 needs x2APIC mode, which the kernel does not use
    }
    return n;
}

uint64_t this_cpu_arch_id() { return x86_64::local_apic_id(); }

void describe_boot_cpu(CpuRecord& boot) {
    x86_64::PerCpu& here = x86_64::this_cpu();
    boot.kernel_stack = here.stacks.kernel;
    boot.arch = &here;
    here.record = &boot;
}

Result<void> start_cpu(CpuRecord& cpu, PageAllocator& pages) {
    TRY(x86_64::prepare_trampoline(pages));
    x86_64::PerCpu* here = TRY(x86_64::prepare_per_cpu(cpu, pages));
    auto* handoff = x86_64::direct<x86_64::TrampolineHandoff>(x86_64::trampoline + x86_64::kHandoffOffset);
    handoff->apic_id = static_cast<uint32_t>(cpu.arch_id); // first: x86 keeps stores in order
    asm volatile("" ::: "memory");
    handoff->stack_top = here->stacks.kernel.top;
    handoff->per_cpu = reinterpret_cast<uint64_t>(here);
    asm volatile("mfence" ::: "memory");
    const auto apic_id = static_cast<uint32_t>(cpu.arch_id);
    const auto vector = static_cast<uint8_t>(x86_64::trampoline >> 12);
    // INIT, 10 ms, start-up IPI, 200 us, a second start-up IPI unless it
    // arrived (Intel SDM vol. 3 §8.4.4.1; a CPU already running ignores it).
    if (!x86_64::send_init(apic_id)) return Error::Busy;
    x86_64::wait_microseconds(10'000);
    if (!x86_64::send_startup(apic_id, vector)) return Error::Busy;
    x86_64::wait_microseconds(200);
    if (cpu.state() != CpuState::Online && !x86_64::send_startup(apic_id, vector)) return Error::Busy;
    return {};
}

void abandon_cpu(CpuRecord& cpu) { (void)x86_64::send_init(static_cast<uint32_t>(cpu.arch_id)); }

uint64_t bring_up_microseconds() {
    using namespace x86_64;
    if (!pit_running) {
        outb(0x43, 0x34); // channel 0, lobyte/hibyte, mode 2 (rate generator), binary
        outb(0x40, 0);
        outb(0x40, 0); // reload 65536
        pit_running = true;
        pit_last = pit_channel0();
    }
    // Polled far more often than every 54.9 ms (one wrap), so each reading's
    // distance from the last is the time between them.
    const uint16_t now = pit_channel0();
    pit_ticks += static_cast<uint16_t>(pit_last - now);
    pit_last = now;
    return pit_ticks * 1'000'000 / kPitHz;
}

void bring_up_relax() { asm volatile("pause"); }

void idle_secondary(CpuRecord&) {
    // Interrupts stay masked: nothing is routed to this CPU yet, and an
    // interrupt here would enter the portable core, which is not SMP-safe.
    for (;;) asm volatile("cli; hlt");
}

} // namespace vesta::arch
