// arch/aarch64/kernel/user.cpp — EL0: the exception entries into the
// portable core (svc = syscall, aborts and undefined instructions = faults,
// IRQs) and the return to EL0. Event-driven like x86_64 (docs/design.md,
// "Kernel model"): the
// kernel stack is per CPU and every entry ends in resume().
#include <arch/cross_cpu.hpp>
#include <arch/mmu.hpp>
#include <arch/platform.hpp>
#include <arch/smp.hpp>
#include <console.hpp>
#include <entry.hpp>
#include <object/task.hpp>
#include <object/virtual_space.hpp>
#include <smp/cross_cpu.hpp>

#include "interrupt_controller.hpp"
#include "per_cpu.hpp"

extern "C" [[noreturn]] void aarch64_return_to_user(vesta::arch::UserContext* context);
extern "C" char exception_vectors_unlocked[];
extern "C" [[noreturn]] void aarch64_idle(uint64_t stack_top);
extern "C" void aarch64_fp_save(uint8_t* area, uint64_t* control);
extern "C" void aarch64_fp_restore(const uint8_t* area, const uint64_t* control);

namespace vesta::aarch64 {
namespace {

PerCpu boot_cpu_area;

// fault-test=user-access (arch::test_user_access_on_next_entry): armed until
// the next entry from EL0.
bool user_access_test_armed = false;

[[noreturn]] void test_user_access(const arch::UserContext& context) {
    user_access_test_armed = false;
    const uint64_t address = (context.sp - 8) & ~uint64_t{7}; // the thread's stack: mapped
    print("vesta: fault test: the kernel reads user memory at {:x}\n", address);
    const uint64_t value = *reinterpret_cast<const volatile uint64_t*>(address);
    print("vesta: fault test: the kernel read user memory ({:x}) without a fault: PAN is not in force\n", value);
    arch::stop_machine(arch::ExitStatus::Failure);
}

// Exception classes (ESR_EL1.EC) from EL0.
constexpr uint64_t kEcUnknown = 0x00, kEcFloatingPointAccess = 0x07, kEcSvc64 = 0x15, kEcSystemRegister = 0x18,
                   kEcInstructionAbort = 0x20, kEcPcAlignment = 0x22, kEcDataAbort = 0x24, kEcSpAlignment = 0x26,
                   kEcFloatingPoint = 0x2c, kEcBrk = 0x3c;

// CPACR_EL1.FPEN: 0b11 no traps, 0b01 trap EL0 (the kernel never uses FP/SIMD).
void set_fp_access(PerCpu& here, bool enabled) {
    asm volatile("msr cpacr_el1, %0\n\tisb" ::"r"(uint64_t{enabled ? 3u : 1u} << 20));
    here.fp_enabled = enabled;
}

// The current thread touched FP/SIMD while another one's state was loaded.
void take_fp(Cpu& cpu) {
    PerCpu& here = this_cpu();
    arch::UserContext& context = cpu.current->context;
    set_fp_access(here, true);
    if (here.fpu_owner) aarch64_fp_save(here.fpu_owner->fp, &here.fpu_owner->fpcr);
    aarch64_fp_restore(context.fp, &context.fpcr);
    here.fpu_owner = &context;
}

void user_exception(Cpu& cpu, uint64_t esr, uint64_t far) {
    const uint64_t ec = (esr >> 26) & 0x3f;
    switch (ec) {
    case kEcDataAbort:
    case kEcInstructionAbort: {
        const uint64_t status = esr & 0x3f;
        if (status == 0x21) { // alignment fault
            handle_fault(cpu, FaultKind::Alignment, far, 0);
            return;
        }
        const uint64_t access = ec == kEcInstructionAbort ? rights::kExecute
                                : ((esr >> 6) & 1)        ? rights::kWrite
                                                          : rights::kRead;
        handle_fault(cpu, FaultKind::PageFault, far, access);
        return;
    }
    case kEcPcAlignment:
    case kEcSpAlignment: handle_fault(cpu, FaultKind::Alignment, far, ec); return;
    case kEcFloatingPointAccess: take_fp(cpu); return; // retried with its own state
    case kEcUnknown:
    case kEcBrk: handle_fault(cpu, FaultKind::UndefinedInstruction, 0, ec); return;
    case kEcFloatingPoint: handle_fault(cpu, FaultKind::Arithmetic, 0, esr); return;
    case kEcSystemRegister:
    default: handle_fault(cpu, FaultKind::Protection, 0, esr); return; // privileged instructions, …
    }
}

} // namespace

PerCpu& boot_per_cpu() { return boot_cpu_area; }

namespace {

// A space without an ASID of the current generation: the rest of the switch,
// then EL0. Out of line, so that resume() keeps nothing live across a call.
[[noreturn, gnu::noinline]] void enter_user_new_asid(Cpu& cpu, VirtualSpace* space, PerCpu& here,
                                                     arch::PageTable& table, arch::UserContext& context) {
    here.active_root = table.root();
    switch_user_table_slowly(here, table);
    note_space_loaded(cpu, space);
    leave_kernel(cpu);
    aarch64_return_to_user(&context);
}

// Leaves the kernel into cpu.current, or idles: its TPIDR_EL0 and FP/SIMD
// access, its address space, then (`locked`: several CPUs run tasks) the
// kernel lock goes, and the registers are reloaded. The unlocked instance is
// the one-CPU path: nothing live across a call.
template <bool locked>
[[noreturn, gnu::always_inline]] inline void enter_user(Cpu& cpu) {
    PerCpu& here = this_cpu();
    Task* task = cpu.current;
    if (!task) {
        if constexpr (locked) leave_locked_kernel(cpu);
        aarch64_idle(here.kernel_stack_top);
    }
    arch::UserContext& context = task->context;
    // PSTATE needs no check: it is either what SPSR_EL1 held on an
    // exception from EL0 (EL0 cannot raise its own privilege or mask
    // interrupts: SCTLR_EL1.UMA = 0) or initialise()'s EL0t.
    if (here.last != &context) {
        if (here.last) asm volatile("mrs %0, tpidr_el0" : "=r"(here.last->tpidr));
        asm volatile("msr tpidr_el0, %0" ::"r"(context.tpidr));
        here.last = &context;
        // Lazy FP/SIMD: EL0 may use the registers only while they hold its state.
        const bool owner = here.fpu_owner == &context;
        if (owner != here.fp_enabled) set_fp_access(here, owner);
    }
    // A runnable task always has a vspace (Resume demands one; the task holds a reference).
    arch::PageTable& table = task->vspace->page_table();
    const uint64_t root = table.root();
    if (root != here.active_root) {
        if (!switch_user_table(here, table, root)) [[unlikely]]
            enter_user_new_asid(cpu, task->vspace, here, table, context);
        if constexpr (locked) record_space_loaded(cpu, task->vspace);
    }
    if constexpr (locked) leave_locked_kernel(cpu);
    aarch64_return_to_user(&context);
}

// With the kernel lock in use: out of line, off the one-CPU path.
[[noreturn, gnu::noinline]] void enter_user_locked(Cpu& cpu) { enter_user<true>(cpu); }

} // namespace

void resume(Cpu& cpu) {
    if (vesta_kernel_locking) [[unlikely]]
        enter_user_locked(cpu);
    enter_user<false>(cpu);
}

} // namespace vesta::aarch64

namespace vesta::arch {

void forget_context(UserContext& context) {
    aarch64::PerCpu& here = aarch64::this_cpu();
    if (here.fpu_owner == &context) here.fpu_owner = nullptr;
    if (here.last == &context) here.last = nullptr;
}

void run_user(Cpu& cpu) {
    aarch64::this_cpu().cpu = &cpu;
    // One CPU runs tasks: the vectors whose syscall entry takes no lock
    // (entry.S). The ISB: the next exception uses the new table.
    if (!vesta_kernel_locking) asm volatile("msr vbar_el1, %0\n\tisb" ::"r"(exception_vectors_unlocked) : "memory");
    aarch64::enable_reschedule_interrupt();
    aarch64::start_timer();
    aarch64::resume(cpu);
}

void test_user_access_on_next_entry() { aarch64::user_access_test_armed = true; }

void release_user_state(Cpu&) {
    aarch64::PerCpu& here = aarch64::this_cpu();
    if (here.fpu_owner) {
        aarch64::set_fp_access(here, true);
        aarch64_fp_save(here.fpu_owner->fp, &here.fpu_owner->fpcr);
        here.fpu_owner = nullptr;
        aarch64::set_fp_access(here, false);
    }
    if (here.last) {
        asm volatile("mrs %0, tpidr_el0" : "=r"(here.last->tpidr));
        here.last = nullptr;
    }
    if (here.active_root != here.empty_root) {
        aarch64::write_ttbr0(here.empty_root);
        here.active_root = here.empty_root;
    }
}

void cpu_relax() { asm volatile("yield"); }

Cpu* current_cpu() { return aarch64::this_cpu().cpu; }

bool entered_by_syscall(const Cpu& cpu, const UserContext&) {
    return __atomic_load_n(&cpu.entry_is_syscall, __ATOMIC_ACQUIRE) != 0;
}

// On a GIC (virt, the Pi 4) and the Pi 3's BCM2836 local controller (docs/smp.md).
bool secondaries_schedule() { return aarch64::schedules_secondaries(); }

void run_secondary(Cpu& cpu) {
    VESTA_ASSERT(vesta_kernel_locking); // (secondary_main checked it) VBAR_EL1: the locked vectors
    aarch64::PerCpu& here = aarch64::this_cpu();
    here.cpu = &cpu;
    (void)enter_kernel(cpu, false);
    aarch64::enable_reschedule_interrupt();
    aarch64::start_timer();
    __atomic_store_n(&cpu.schedules, true, __ATOMIC_RELEASE);
    aarch64::resume(cpu);
}

bool send_reschedule(const Cpu& cpu) { return aarch64::send_reschedule_sgi(cpu); }

uint64_t cycle_counter() {
    uint64_t value;
    asm volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(value));
    return value;
}

uint64_t cycle_counter_frequency(uint64_t loader_hz) {
    uint64_t frequency;
    asm volatile("mrs %0, cntfrq_el0" : "=r"(frequency));
    return frequency ? frequency : loader_hz;
}

} // namespace vesta::arch

using vesta::arch::UserContext;

// entry.S ran the fast path (vesta_fast_syscall), which did nothing (when it
// switched threads, entry.S calls resume() itself): the general path, then
// resume. (The user-access test waits for an entry that gets this far.)
extern "C" [[noreturn]] void aarch64_syscall(vesta::FastPath fast, UserContext* context) {
    static_assert(static_cast<int>(vesta::FastPath::SameThread) == 0); // entry.S
    static_assert(static_cast<int>(vesta::FastPath::Switched) == 2);   // entry.S
    if (vesta::aarch64::user_access_test_armed) vesta::aarch64::test_user_access(*context);
    vesta::Cpu& cpu = *vesta::aarch64::this_cpu().cpu;
    if (fast == vesta::FastPath::NotTaken) vesta::handle_general_syscall(cpu);
    vesta::aarch64::resume(cpu);
}

extern "C" [[noreturn]] void aarch64_user_trap(UserContext* context, uint64_t kind) {
    using namespace vesta::aarch64;
    if (user_access_test_armed) test_user_access(*context);
    vesta::Cpu& cpu = *this_cpu().cpu;
    // False: another CPU took the thread off this one meanwhile; a fault
    // recurs when it runs again, an interrupt is still this CPU's to handle.
    const bool still_current = vesta::enter_kernel(cpu, false);
    const uint64_t type = kind & 3; // synchronous, IRQ, FIQ, SError
    if (!still_current && type != 1) {
        vesta::schedule(cpu);
    } else if (type == 0) {
        uint64_t esr, far;
        asm volatile("mrs %0, esr_el1" : "=r"(esr));
        asm volatile("mrs %0, far_el1" : "=r"(far));
        if (((esr >> 26) & 0x3f) == kEcSvc64)
            vesta::handle_syscall(cpu);
        else
            user_exception(cpu, esr, far);
    } else if (type == 1) {
        dispatch_interrupt(cpu);
    } else if (type == 3) {
        vesta::handle_fault(cpu, vesta::FaultKind::Protection, 0, 0x2f); // SError while in EL0
    }
    resume(cpu);
}
