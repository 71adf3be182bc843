// kernel/boot/secondary_cpus.cpp — the boot-time CPU table and the bring-up
// of the secondary CPUs through the arch interface (arch/smp.hpp).
#include "secondary_cpus.hpp"

#include <arch/platform.hpp>
#include <arch/smp.hpp>
#include <console.hpp>
#include <kernel.hpp>
#include <lib/new.hpp>
#include <memory/page_allocator.hpp>
#include <smp/bring_up.hpp>
#include <smp/cross_cpu.hpp>

namespace vesta {
namespace {

CpuTable table;
FirmwareCpu listed[kMaxCpus]; // boot time only, one CPU: off the boot stack

struct ArchStarter {
    PageAllocator& pages;
    Result<void> start(CpuRecord& cpu) { return arch::start_cpu(cpu, pages); }
    uint64_t microseconds() { return arch::bring_up_microseconds(); }
    void relax() { arch::bring_up_relax(); }
    void abandon(CpuRecord& cpu) { arch::abandon_cpu(cpu); }
};

void report(const CpuTable& cpus, uint32_t listed_count, uint64_t timeout_microseconds) {
    print("cpus: {} online of {} listed ({}", cpus.count_in(CpuState::Online), listed_count, arch::kCpuIdName);
    for (uint32_t i = 0; i < cpus.count(); ++i)
        if (cpus[i].state() == CpuState::Online) print(" {:x}", cpus[i].arch_id);
    print("; the boot CPU is {:x})\n", cpus[0].arch_id);
    for (uint32_t i = 1; i < cpus.count(); ++i) {
        const CpuRecord& cpu = cpus[i];
        if (cpu.state() == CpuState::Online) {
            print("cpus: cpu {} ({} {:x}) online after {} us, {}\n", cpu.index, arch::kCpuIdName, cpu.arch_id,
                  cpu.start_microseconds,
                  arch::secondaries_schedule() ? "waiting for the scheduler" : "idling with interrupts masked");
        } else {
            print("cpus: cpu {} ({} {:x}) not started: {}", cpu.index, arch::kCpuIdName, cpu.arch_id,
                  cpu_state_name(cpu.state()));
            if (cpu.state() == CpuState::NoAnswer) print(" within {} us: skipped", timeout_microseconds);
            print("\n");
        }
    }
    if (cpus.boot_cpu_unlisted) print("cpus: warning: the firmware does not list the boot CPU\n");
    if (cpus.duplicates) print("cpus: warning: {} repeated entries in the firmware's list ignored\n", cpus.duplicates);
    if (cpus.beyond_limit)
        print("cpus: {} CPUs beyond this kernel's limit of {} not started\n", cpus.beyond_limit, kMaxCpus);
}

} // namespace

CpuTable& cpu_table() { return table; }

void start_secondary_cpus(PageAllocator& pages, uint64_t timeout_microseconds) {
    const uint32_t listed_count = arch::firmware_cpus(listed, kMaxCpus);
    const uint32_t capacity = CpuTable::records_needed(listed_count);
    const uint64_t bytes = uint64_t{capacity} * sizeof(CpuRecord);
    auto storage = pages.allocate((bytes + kPageSize - 1) / kPageSize);
    if (!storage.ok()) {
        print("cpus: no memory for the CPU table: only the boot CPU runs\n");
        return;
    }
    auto* records = reinterpret_cast<CpuRecord*>(boot::kDirectMapBase + storage.value());
    for (uint32_t i = 0; i < capacity; ++i) new (&records[i]) CpuRecord();
    table.build(listed, listed_count, arch::this_cpu_arch_id(), records, capacity);
    arch::describe_boot_cpu(table[0]);
    ArchStarter starter{pages};
    bring_up_secondaries(table, starter, timeout_microseconds);
    report(table, listed_count, timeout_microseconds);
}

Result<KernelStack> allocate_cpu_stack(uint64_t size, uint64_t alignment, PageAllocator& pages) {
    const uint64_t page_count = size / kPageSize;
    auto physical = pages.allocate(page_count);
    if (!physical.ok()) return physical.error();
    auto mapped = arch::map_guarded(physical.value(), size, alignment, pages);
    if (!mapped.ok()) {
        (void)pages.free(physical.value(), page_count);
        return mapped.error();
    }
    const KernelStack stack{mapped.value(), mapped.value() + size};
    auto* word = reinterpret_cast<uint64_t*>(stack.bottom);
    for (uint64_t i = 0; i < size / 8; ++i) word[i] = kStackPaint;
    return stack;
}

void start_secondary_schedulers(Kernel& kernel, PageAllocator& pages) {
    register_cpu(kernel.cpu);
    kernel.cpu.arch_id = table.count() ? table[0].arch_id : 0;
    kernel.cpu.arch = table.count() ? table[0].arch : nullptr;
    if (!arch::secondaries_schedule()) return;
    uint32_t started = 0;
    for (uint32_t i = 1; i < table.count(); ++i) {
        CpuRecord& record = table[i];
        if (record.state() != CpuState::Online) continue;
        auto storage = pages.allocate((sizeof(Cpu) + kPageSize - 1) / kPageSize);
        if (!storage.ok()) {
            print("cpus: no memory for cpu {}'s scheduler: it idles\n", i);
            continue;
        }
        if (!vesta_kernel_locking) {
            // The mode is decided here, once: before this CPU (the first
            // secondary to run tasks) is handed its Cpu below, so before any
            // secondary can enter the kernel, and with the boot CPU holding
            // the lock from now on (resume() releases it).
            vesta_kernel_locking = true;
            vesta_kernel_lock.acquire(kernel.cpu.index);
        }
        Cpu* cpu = kernel.add_cpu(*new (reinterpret_cast<void*>(boot::kDirectMapBase + storage.value())) Cpu(), i);
        if (!cpu) continue;
        cpu->arch_id = record.arch_id;
        cpu->arch = record.arch;
        register_cpu(*cpu);
        // Release: the CPU sees vesta_kernel_locking (and every CPU's loads are recorded).
        __atomic_store_n(&record.scheduler, cpu, __ATOMIC_RELEASE);
        ++started;
    }
    if (started) print("cpus: {} secondary CPUs run tasks (each with its timer and run queues)\n", started);
}

void secondary_main(CpuRecord& cpu) {
    if (!cpu.arrive()) arch::halt_forever(); // too late: the boot CPU reported it skipped
    if (!arch::secondaries_schedule()) arch::idle_secondary(cpu);
    // Masked, wait until the kernel exists and hands this CPU its Cpu.
    Cpu* scheduler;
    while (!(scheduler = __atomic_load_n(&cpu.scheduler, __ATOMIC_ACQUIRE))) arch::bring_up_relax();
    // Published after the boot chose the locked mode: never two CPUs unlocked.
    if (!vesta_kernel_locking) arch::halt_forever();
    arch::run_secondary(*scheduler);
}

} // namespace vesta
