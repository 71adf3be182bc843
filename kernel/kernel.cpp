// kernel/kernel.cpp — kernel-wide registries: RAM ranges, the fault log.
#include <console.hpp>
#include <ipc/ipc.hpp>
#include <kernel.hpp>
#include <lib/assert.hpp>
#include <smp/cross_cpu.hpp>

namespace vesta {

Kernel::Kernel() {
    cpu.kernel = this;
    cpu.schedules = true;
    cpus[0] = &cpu;
    Object* const boot_objects[] = {&irq_control, &io_port_control, &console, &system};
    for (Object* object : boot_objects) object->flags |= Object::kPermanent;
}

bool Kernel::overlaps_ram(uint64_t physical, uint64_t pages) const {
    uint64_t end = physical + pages * kPageSize;
    for (size_t i = 0; i < ram_count; ++i) {
        uint64_t ram_end = ram[i].physical + ram[i].pages * kPageSize;
        if (physical < ram_end && ram[i].physical < end) return true;
    }
    return false;
}

Cpu* Kernel::add_cpu(Cpu& storage, uint32_t index) {
    if (index == 0 || index >= kMaxCpus || cpus[index]) return nullptr;
    VESTA_ASSERT(vesta_kernel_locking); // a second CPU runs tasks only with the kernel lock in use
    storage.kernel = this;
    storage.index = index;
    cpus[index] = &storage;
    if (index >= cpu_count) cpu_count = index + 1;
    return &storage;
}

Cpu* Kernel::scheduling_cpu(uint64_t index) const {
    if (index >= cpu_count || !cpus[index]) return nullptr;
    return __atomic_load_n(&cpus[index]->schedules, __ATOMIC_ACQUIRE) ? cpus[index] : nullptr;
}

void log_unhandled_fault(Cpu& cpu, const Task& task, const FaultInfo& fault) {
    FaultLog& log = cpu.kernel->fault_log;
    if (cpu.now - log.window_start >= FaultLog::kWindowTicks) {
        log.window_start = cpu.now;
        log.lines_in_window = 0;
    }
    if (log.lines_in_window == FaultLog::kLines) {
        ++log.suppressed;
        ++log.suppressed_total;
        return;
    }
    ++log.lines_in_window;
    print("vesta: task {}{}stopped by a fault (no fault endpoint): {} at ip {:x}, address {:x}, detail {:x}\n",
          static_cast<const char*>(task.name), task.name[0] ? " " : "", fault_kind_name(fault.kind),
          fault.instruction_pointer, fault.address, fault.detail);
    if (log.suppressed) {
        print("vesta: ({} more fault lines were not printed)\n", log.suppressed);
        log.suppressed = 0;
    }
}

} // namespace vesta
