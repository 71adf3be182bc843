// arch/x86_64/kernel/user.cpp — user mode: SYSCALL/SYSRET set-up, the trap
// and syscall entries into the portable core, and the return to user mode.
//
// The kernel is event-driven (docs/design.md, "Kernel model"): each entry saves the user registers
// into the running thread's context (entry.S), runs the core on the per-CPU
// kernel stack with interrupts masked, and ends in resume(), which runs
// whatever cpu.current is then, or idles.
#include <arch/cross_cpu.hpp>
#include <arch/mmu.hpp>
#include <arch/platform.hpp>
#include <arch/smp.hpp>
#include <console.hpp>
#include <entry.hpp>
#include <object/task.hpp>
#include <object/virtual_space.hpp>
#include <smp/cross_cpu.hpp>

#include "control_registers.hpp"
#include "interrupt_controller.hpp"
#include "per_cpu.hpp"

extern "C" void x86_64_syscall_entry();
extern "C" void x86_64_syscall_entry_unlocked();
extern "C" [[noreturn]] void x86_64_return_to_user(vesta::arch::UserContext* context);
extern "C" [[noreturn]] void x86_64_return_to_user_by_sysret(vesta::arch::UserContext* context);
extern "C" [[noreturn]] void x86_64_idle(uint64_t stack_top);

namespace vesta::x86_64 {
namespace {

PerCpu boot_cpu_area;

constexpr uint32_t kMsrStar = 0xc0000081;
constexpr uint32_t kMsrLstar = 0xc0000082;
constexpr uint32_t kMsrFmask = 0xc0000084;
constexpr uint32_t kMsrGsBase = 0xc0000101;
constexpr uint32_t kMsrKernelGsBase = 0xc0000102;
// Flags SYSCALL clears: CF PF AF ZF SF TF IF DF OF IOPL NT RF AC ID, so the
// kernel runs with interrupts masked and DF clear.
constexpr uint64_t kSyscallFlagMask = 0x257fd5;
// Flags a thread may hold in user mode: the arithmetic ones and DF. IF is
// forced on; IOPL stays 0 (ports go through IoPort capabilities).
constexpr uint64_t kUserFlags = 0xcd5;
constexpr uint64_t kFrameEnd = offsetof(arch::UserContext, reserved);

constexpr uint64_t kAlignmentCheckFlag = 1u << 18; // RFLAGS.AC

// fault-test=user-access (arch::test_user_access_on_next_entry): armed until
// the next trap from user mode. While armed, threads return to user mode with
// RFLAGS.AC set, as a thread may set it itself (popf), so the test also shows
// that a trap entry clears AC before SMAP matters.
bool user_access_test_armed = false;

[[noreturn]] void test_user_access(const arch::UserContext& frame) {
    user_access_test_armed = false;
    const uint64_t address = (frame.rsp - 8) & ~uint64_t{7}; // the thread's stack: mapped
    print("vesta: fault test: the kernel reads user memory at {:x} (user RFLAGS.AC {})\n", address,
          (frame.rflags & kAlignmentCheckFlag) ? 1 : 0);
    const uint64_t value = *reinterpret_cast<const volatile uint64_t*>(address);
    print("vesta: fault test: the kernel read user memory ({:x}) without a fault: SMAP is not in force\n", value);
    arch::stop_machine(arch::ExitStatus::Failure);
}

bool canonical_user(uint64_t address) { return address < (uint64_t{1} << 47); }

// Exceptions a user thread can cause, as fault kinds (docs/syscall-abi.md).
void user_exception(Cpu& cpu, const arch::UserContext& frame) {
    const uint64_t vector = frame.vector;
    switch (vector) {
    case 0: handle_fault(cpu, FaultKind::Arithmetic, 0, vector); return;      // #DE
    case 16:                                                                  // #MF
    case 19: handle_fault(cpu, FaultKind::Arithmetic, 0, vector); return;     // #XM
    case 6: handle_fault(cpu, FaultKind::UndefinedInstruction, 0, 0); return; // #UD
    case 17: handle_fault(cpu, FaultKind::Alignment, 0, 0); return;           // #AC
    case 14: {                                                                // #PF
        const uint64_t code = frame.error_code;
        const uint64_t access = (code & 16) ? rights::kExecute : (code & 2) ? rights::kWrite : rights::kRead;
        handle_fault(cpu, FaultKind::PageFault, read_cr2(), access);
        return;
    }
    default: // #GP (privileged instructions, I/O ports, int n), #SS, #NP, #DB, ...
        handle_fault(cpu, FaultKind::Protection, 0, vector << 32 | (frame.error_code & 0xffffffff));
        return;
    }
}

} // namespace

namespace {

// The switch to a space while PCIDs are on (switch_user_table), then the
// return to user mode: out of line, so that enter_user keeps nothing live
// across a call.
[[noreturn, gnu::noinline]] void enter_user_tagged(Cpu& cpu, VirtualSpace* space, arch::PageTable& table, uint64_t root,
                                                   arch::UserContext& context) {
    switch_user_table(this_cpu(), table, root);
    note_space_loaded(cpu, space);
    leave_kernel(cpu);
    x86_64_return_to_user(&context);
}

// Leaves the kernel into `task`, whose frame is fit to return with (a
// syscall frame, or one resume_checked() checked): its FPU state, the stack
// the next entry saves into (context_top, TSS.rsp0), its address space,
// then (`locked`: several CPUs run tasks) the kernel lock goes, and the
// registers are reloaded (`by_sysret`: the frame is a syscall's). The
// unlocked instance is the one-CPU path: nothing live across a call, so no
// frame.
template <bool by_sysret, bool locked>
[[noreturn, gnu::always_inline]] inline void enter_user(Cpu& cpu, Task& task) {
    ThisCpuArea& here = this_cpu_area();
    arch::UserContext& context = task.context;
    if (here.fpu_owner != &context) {
        if (here.fpu_owner) asm volatile("fxsave64 %0" : "=m"(here.fpu_owner->fpu));
        asm volatile("fxrstor64 %0" ::"m"(context.fpu));
        here.fpu_owner = &context;
    }
    const uint64_t top = reinterpret_cast<uint64_t>(&context) + kFrameEnd;
    here.context_top = top;
    here.tables->tss.rsp[0] = top;
    // A runnable task always has a vspace (Resume demands one; the task holds a reference).
    arch::PageTable& table = task.vspace->page_table();
    const uint64_t root = table.root();
    if (root != here.active_root) {
        // Without PCIDs (active_tag null: QEMU's TCG) the CR3 load is all.
        if (here.active_tag) [[unlikely]]
            enter_user_tagged(cpu, task.vspace, table, root, context);
        here.active_root = root;
        write_cr3(root); // the user half is flushed
        if constexpr (locked) record_space_loaded(cpu, task.vspace);
    }
    if constexpr (locked) leave_locked_kernel(cpu);
    if constexpr (by_sysret)
        x86_64_return_to_user_by_sysret(&context);
    else
        x86_64_return_to_user(&context);
}

// enter_user with the kernel lock in use: out of line, off the one-CPU path.
template <bool by_sysret>
[[noreturn, gnu::noinline]] void enter_user_locked(Cpu& cpu, Task& task) {
    enter_user<by_sysret, true>(cpu, task);
}

// Either.
template <bool by_sysret>
[[noreturn, gnu::always_inline]] inline void enter_user(Cpu& cpu, Task& task) {
    if (vesta_kernel_locking) [[unlikely]]
        enter_user_locked<by_sysret>(cpu, task);
    enter_user<by_sysret, false>(cpu, task);
}

// resume() for a frame that is not a syscall's (or no task): idles, or
// checks the frame first.
[[noreturn, gnu::noinline]] void resume_checked(Cpu& cpu) {
    for (;;) {
        Task* task = cpu.current;
        if (!task) {
            leave_kernel(cpu);
            x86_64_idle(this_cpu_area().kernel_stack_top);
        }
        arch::UserContext& context = task->context;
        // A frame built by `syscall` returns by SYSRET: its rip follows a syscall
        // instruction below kUserAddressEnd (canonical), its rflags are what the
        // CPU had in user mode, cs/ss are not loaded from it. Every other frame
        // (WriteRegisters, interrupts, faults) returns by IRETQ and is checked.
        if (context.vector != arch::x86_64_context::kSyscallVector) {
            if (!canonical_user(context.rip) || !canonical_user(context.rsp)) {
                // Set by WriteRegisters, never reached by execution: a fault, not a #GP in the kernel.
                handle_fault(cpu, FaultKind::PageFault, context.rip, rights::kExecute);
                continue;
            }
            context.cs = arch::x86_64_context::kUserCodeSelector;
            context.ss = arch::x86_64_context::kUserDataSelector;
            context.rflags = (context.rflags & kUserFlags) | arch::x86_64_context::kInitialFlags;
            if (user_access_test_armed) context.rflags |= kAlignmentCheckFlag;
        }
        enter_user<false>(cpu, *task);
    }
}

} // namespace

[[noreturn]] void resume(Cpu& cpu) {
    // The common case (a thread that entered by `syscall`) without the loop.
    Task* task = cpu.current;
    if (!task || task->context.vector != arch::x86_64_context::kSyscallVector) [[unlikely]]
        resume_checked(cpu);
    enter_user<true>(cpu, *task);
}

PerCpu& boot_per_cpu() { return boot_cpu_area; }

void set_per_cpu(PerCpu& here) {
    here.self = &here;
    write_msr(kMsrGsBase, reinterpret_cast<uint64_t>(&here));
    write_msr(kMsrKernelGsBase, 0);
}

void initialise_secondary_user_support() {
    write_msr(kMsrStar, uint64_t{kKernelCode} << 32 | uint64_t{kUserCode32} << 48);
    write_msr(kMsrLstar, reinterpret_cast<uint64_t>(&x86_64_syscall_entry));
    write_msr(kMsrFmask, kSyscallFlagMask);
    asm volatile("fninit");
}

void initialise_user_support(PerCpu& here, CpuTables& tables, uint64_t kernel_root) {
    set_per_cpu(here);
    here.kernel_stack_top = here.stacks.kernel.top;
    here.tables = &tables;
    here.kernel_root = kernel_root;
    here.active_root = kernel_root;
    arch::set_kernel_page_table(kernel_root);
    report_protections(program_control_registers()); // CR0, CR4, EFER, …
    // SYSCALL: CS = 0x08, SS = 0x10; SYSRET: CS = 0x1b + 16 = 0x2b, SS = 0x1b + 8 = 0x23.
    write_msr(kMsrStar, uint64_t{kKernelCode} << 32 | uint64_t{kUserCode32} << 48);
    write_msr(kMsrLstar, reinterpret_cast<uint64_t>(&x86_64_syscall_entry));
    write_msr(kMsrFmask, kSyscallFlagMask);

    // A clean FPU state to start from.
    asm volatile("fninit");
}

} // namespace vesta::x86_64

namespace vesta::arch {

void forget_context(UserContext& context) {
    x86_64::PerCpu& here = x86_64::this_cpu();
    if (here.fpu_owner == &context) here.fpu_owner = nullptr;
}

void run_user(Cpu& cpu) {
    x86_64::this_cpu().cpu = &cpu;
    // One CPU runs tasks: the syscall entry that takes no lock (entry.S).
    if (!vesta_kernel_locking)
        x86_64::write_msr(x86_64::kMsrLstar, reinterpret_cast<uint64_t>(&x86_64_syscall_entry_unlocked));
    x86_64::start_timer();
    x86_64::resume(cpu);
}

uint64_t cycle_counter() { return x86_64::read_tsc(); }

void release_user_state(Cpu&) {
    x86_64::PerCpu& here = x86_64::this_cpu();
    if (here.fpu_owner) {
        asm volatile("fxsave64 %0" : "=m"(here.fpu_owner->fpu));
        here.fpu_owner = nullptr;
    }
    if (here.active_root != here.kernel_root) { // tags are off with several CPUs: this drops the user translations
        x86_64::write_cr3(here.kernel_root);
        here.active_root = here.kernel_root;
    }
}

void cpu_relax() { asm volatile("pause"); }

Cpu* current_cpu() { return x86_64::this_cpu_area().cpu; }

bool entered_by_syscall(const Cpu&, const UserContext& context) {
    return context.vector == x86_64_context::kSyscallVector;
}

bool secondaries_schedule() { return true; }

void run_secondary(Cpu& cpu) {
    VESTA_ASSERT(vesta_kernel_locking); // (secondary_main checked it) LSTAR: the locked entry
    x86_64::PerCpu& here = x86_64::this_cpu();
    here.cpu = &cpu;
    (void)enter_kernel(cpu, false);
    x86_64::initialise_secondary_user_support();
    x86_64::start_timer();
    __atomic_store_n(&cpu.schedules, true, __ATOMIC_RELEASE);
    x86_64::resume(cpu);
}

uint64_t cycle_counter_frequency(uint64_t loader_hz) {
    const uint64_t measured = x86_64::measured_tsc_hz();
    return measured ? measured : loader_hz;
}

void test_user_access_on_next_entry() { x86_64::user_access_test_armed = true; }

} // namespace vesta::arch

using vesta::arch::UserContext;

// entry.S ran the fast path (vesta_fast_syscall) and it did nothing
// (NotTaken): the general path, then resume. A fast path that switched
// threads goes from entry.S to resume() directly.
extern "C" [[noreturn]] void x86_64_syscall(vesta::FastPath fast) {
    static_assert(static_cast<int>(vesta::FastPath::SameThread) == 0); // entry.S
    static_assert(static_cast<int>(vesta::FastPath::Switched) == 2);   // entry.S FAST_PATH_SWITCHED
    vesta::Cpu& cpu = *vesta::x86_64::this_cpu_area().cpu;
    if (fast == vesta::FastPath::NotTaken) vesta::handle_general_syscall(cpu);
    vesta::x86_64::resume(cpu);
}

extern "C" [[noreturn]] void x86_64_user_trap(UserContext* frame) {
    using namespace vesta::x86_64;
    const uint64_t vector = frame->vector;
    // NMI, double fault and machine check run on IST stacks and are never the thread's doing.
    if (vector == 2 || vector == 8 || vector == 18) report_kernel_exception(*frame);
    if (user_access_test_armed) test_user_access(*frame);
    vesta::Cpu& cpu = *this_cpu_area().cpu;
    // False: another CPU took the thread off this one meanwhile; a fault
    // recurs when it runs again, an interrupt is still this CPU's to handle.
    const bool still_current = vesta::enter_kernel(cpu, false);
    if (vector < 32) {
        if (still_current)
            user_exception(cpu, *frame);
        else
            vesta::schedule(cpu);
    } else {
        dispatch_interrupt(cpu, static_cast<uint32_t>(vector));
    }
    resume(cpu);
}

extern "C" void x86_64_kernel_trap(UserContext* frame) {
    using namespace vesta::x86_64;
    if (frame->vector < 32) report_kernel_exception(*frame); // a kernel bug
    // Interrupts are enabled in the kernel only while idle: handle and move on.
    vesta::Cpu& cpu = *this_cpu_area().cpu;
    (void)vesta::enter_kernel(cpu, false);
    dispatch_interrupt(cpu, static_cast<uint32_t>(frame->vector));
    resume(cpu);
}
