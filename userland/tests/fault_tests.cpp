// userland/tests/fault_tests.cpp — faults become messages to a fault
// endpoint: a supervisor maps a page and resumes (Helios task::pagefault),
// undefined and privileged instructions, unknown syscall numbers,
// misaligned access where the arch faults, tasks without a handler.
#include <faults_arch.hpp>

#include "suite.hpp"

namespace suite {

namespace {

constexpr uint64_t kLazy = 0x0000'3100'0000'0000;
volatile uint64_t done = 0;

void write_value(uint64_t address) {
    *reinterpret_cast<volatile uint64_t*>(address) = 42;
    done = 1;
    thread_exit();
}
void read_value(uint64_t address) {
    (void)*reinterpret_cast<volatile uint64_t*>(address);
    done = 1;
    thread_exit();
}
void undefined(uint64_t) {
    undefined_instruction();
    thread_exit();
}
void privileged(uint64_t) {
    privileged_instruction();
    thread_exit();
}
void unknown_syscall(uint64_t number) {
    Registers regs{{1, 2, 3, 4, 5, 6, 7, 8}};
    syscall_raw(number, regs);
    done = 1;
    thread_exit();
}
void misaligned(uint64_t address) {
#if defined(__aarch64__)
    uint64_t value;
    asm volatile("ldxr %0, [%1]" : "=r"(value) : "r"(address + 1) : "memory"); // exclusives must be aligned
#else
    asm volatile("movaps (%0), %%xmm0" ::"r"(address + 8) : "xmm0", "memory"); // SSE alignment: #GP
#endif
    thread_exit();
}
void jump(uint64_t address) {
    reinterpret_cast<void (*)()>(address)();
    thread_exit();
}

uint64_t map_and_resume(const FaultReport& f) {
    if (f.kind != FaultKind::PageFault) return 1;
    const uint64_t page = make(ObjectType::Page, 1);
    if (invoke(runtime.vspace, VirtualSpaceLabel::Map, page, f.address & ~(kPageSize - 1),
               rights::kRead | rights::kWrite)
            .error != Error::None)
        return 1;
    return 0;
}

uint64_t resume(const FaultReport& f) { return f.kind == FaultKind::UnknownSyscall ? 0 : 1; }

bool page_fault_handled() {
    const FaultReport f = run_expecting_fault(write_value, kLazy + 0x18, map_and_resume);
    EXPECT(f.faulted);
    EXPECT(f.kind == FaultKind::PageFault);
    EXPECT(f.address == kLazy + 0x18);
    EXPECT(f.detail & 2);
    EXPECT(wait_until([] { return done == 1; }));
    EXPECT(*reinterpret_cast<volatile uint64_t*>(kLazy + 0x18) == 42);
    return true;
}

bool page_faults_on_many_pages() {
    // A thread walks 8 pages; the handler maps each on demand.
    const FaultReport f = run_expecting_fault(
        [](uint64_t base) {
            for (uint64_t i = 0; i < 8; ++i) *reinterpret_cast<volatile uint64_t*>(base + i * kPageSize) = i;
            done = 1;
            thread_exit();
        },
        kLazy + 0x100000, map_and_resume);
    EXPECT(f.faulted);
    EXPECT(wait_until([] { return done == 1; }));
    for (uint64_t i = 0; i < 8; ++i)
        EXPECT(*reinterpret_cast<volatile uint64_t*>(kLazy + 0x100000 + i * kPageSize) == i);
    return true;
}

bool fault_message_badge_and_ip() {
    const FaultReport f = run_expecting_fault(read_value, 0x10);
    EXPECT(f.faulted);
    EXPECT(f.badge == kTestFaultBadge);
    EXPECT(f.ip > 0x400000 && f.ip < 0x800000);
    EXPECT(f.address == 0x10);
    EXPECT(task_state(f.task) == uint64_t(TaskState::Faulted));
    return true;
}

bool null_read() {
    // (argument 0 would mean "the IPC buffer address" to spawn: use 8)
    const FaultReport f = run_expecting_fault(read_value, 8);
    EXPECT(f.faulted && f.kind == FaultKind::PageFault && f.address == 8);
    EXPECT(f.detail & 1);
    return true;
}

bool write_to_code() {
    const FaultReport f = run_expecting_fault(write_value, reinterpret_cast<uint64_t>(&write_value));
    EXPECT(f.faulted && f.kind == FaultKind::PageFault);
    EXPECT(f.detail & 2);
    return true;
}

bool kernel_address_read() {
    const FaultReport f = run_expecting_fault(read_value, 0xffff'8000'0010'0000);
    EXPECT(f.faulted);
    EXPECT(f.kind == FaultKind::PageFault || f.kind == FaultKind::Protection);
    return true;
}

bool kernel_address_execute() {
    const FaultReport f = run_expecting_fault(jump, 0xffff'ffff'8010'0000);
    EXPECT(f.faulted);
    EXPECT(f.kind == FaultKind::PageFault || f.kind == FaultKind::Protection);
    return true;
}

bool non_canonical_address() {
    const FaultReport f = run_expecting_fault(read_value, 0x0000'9000'0000'0000);
    EXPECT(f.faulted);
    EXPECT(f.kind == FaultKind::PageFault || f.kind == FaultKind::Protection);
    return true;
}

bool undefined_instruction_fault() {
    const FaultReport f = run_expecting_fault(undefined, 1);
    EXPECT(f.faulted);
    EXPECT(f.kind == FaultKind::UndefinedInstruction);
    return true;
}

bool privileged_instruction_fault() {
    const FaultReport f = run_expecting_fault(privileged, 1);
    EXPECT(f.faulted);
    EXPECT(f.kind == FaultKind::Protection);
    return true;
}

template <uint64_t number>
bool unknown_syscall_fault() {
    const FaultReport f = run_expecting_fault(unknown_syscall, number, resume);
    EXPECT(f.faulted);
    EXPECT(f.kind == FaultKind::UnknownSyscall);
    EXPECT(f.detail == number);
    EXPECT(wait_until([] { return done == 1; })); // resumed after the syscall instruction
    return true;
}

bool misaligned_access() {
    const uint64_t address = new_pages(1, rights::kRead | rights::kWrite);
    EXPECT(address);
    const FaultReport f = run_expecting_fault(misaligned, address);
    EXPECT(f.faulted);
#if defined(__aarch64__)
    EXPECT(f.kind == FaultKind::Alignment);
#else
    EXPECT(f.kind == FaultKind::Protection);
#endif
    return true;
}

bool divide_by_zero_fault() {
    const FaultReport f = run_expecting_fault(
        [](uint64_t) {
            divide_by_zero();
            thread_exit();
        },
        1);
    EXPECT(f.faulted);
#if defined(__x86_64__)
    EXPECT(f.kind == FaultKind::Arithmetic);
    EXPECT(f.detail == 0);
#else
    EXPECT(f.kind == FaultKind::UndefinedInstruction); // the aarch64 stand-in (faults_arch.hpp)
#endif
    return true;
}

bool no_handler_leaves_task_faulted() {
    Thread t = make_thread(read_value, 0x20, 100, kNoSlot);
    EXPECT(t.ok && start_thread(t) == Error::None);
    EXPECT(wait_until([&] { return task_state(t.spawned.task) == uint64_t(TaskState::Faulted); }));
    EXPECT(done == 0);
    return true;
}

bool resume_faulted_task_after_fix() {
    Thread t = make_thread(write_value, kLazy + 0x40, 100, kNoSlot);
    EXPECT(t.ok && start_thread(t) == Error::None);
    EXPECT(wait_until([&] { return task_state(t.spawned.task) == uint64_t(TaskState::Faulted); }));
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_OK(invoke(runtime.vspace, VirtualSpaceLabel::Map, page, kLazy, rights::kRead | rights::kWrite).error);
    EXPECT_OK(invoke(t.spawned.task, TaskLabel::Resume).error);
    EXPECT(wait_until([] { return done == 1; }));
    EXPECT(*reinterpret_cast<volatile uint64_t*>(kLazy + 0x40) == 42);
    return true;
}

bool handler_refusal_leaves_faulted() {
    const FaultReport f = run_expecting_fault(write_value, kLazy);
    EXPECT(f.faulted);
    EXPECT(wait_until([&] { return task_state(f.task) == uint64_t(TaskState::Faulted); }));
    EXPECT(done == 0);
    EXPECT_OK(invoke(f.task, TaskLabel::Suspend).error);
    EXPECT(task_state(f.task) == uint64_t(TaskState::Inactive));
    return true;
}

bool faulting_tasks_leave_runner_running() {
    for (int i = 0; i < 5; ++i) {
        Thread t = make_thread(read_value, 0x30 + i, 100, kNoSlot);
        EXPECT(t.ok && start_thread(t) == Error::None);
    }
    sleep_ticks(3);
    const uint64_t n = make(ObjectType::Notification);
    EXPECT_OK(syscall(Syscall::Signal, n).error);
    return true;
}

bool write_registers_redirects() {
    Thread t = make_thread(read_value, 0x50, 100, kNoSlot);
    EXPECT(t.ok);
    const InvokeResult before = invoke(t.spawned.task, TaskLabel::ReadRegisters);
    EXPECT_OK(before.error);
    EXPECT(before.words[0] == reinterpret_cast<uint64_t>(&read_value));
    EXPECT_OK(invoke(t.spawned.task, TaskLabel::WriteRegisters, reinterpret_cast<uint64_t>(&write_value),
                     before.words[1], kLazy + 0x2000)
                  .error);
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_OK(
        invoke(runtime.vspace, VirtualSpaceLabel::Map, page, kLazy + 0x2000, rights::kRead | rights::kWrite).error);
    EXPECT_OK(start_thread(t));
    EXPECT(wait_until([] { return done == 1; }));
    EXPECT(*reinterpret_cast<volatile uint64_t*>(kLazy + 0x2000) == 42);
    return true;
}

bool bad_instruction_pointer() {
    Thread t = make_thread(read_value, 0, 100, kNoSlot);
    EXPECT(t.ok);
    EXPECT_OK(invoke(t.spawned.task, TaskLabel::WriteRegisters, 0xffff'8000'0000'0000, 0x1000, 0).error);
    EXPECT_OK(start_thread(t));
    EXPECT(wait_until([&] { return task_state(t.spawned.task) == uint64_t(TaskState::Faulted); }));
    return true;
}

bool bad_stack_pointer() {
    Thread t = make_thread(write_value, kLazy, 100, kNoSlot);
    EXPECT(t.ok);
    const InvokeResult r = invoke(t.spawned.task, TaskLabel::ReadRegisters);
    EXPECT_OK(invoke(t.spawned.task, TaskLabel::WriteRegisters, r.words[0], 0xffff'ffff'ffff'fff0, kLazy).error);
    EXPECT_OK(start_thread(t));
    EXPECT(wait_until([&] { return task_state(t.spawned.task) == uint64_t(TaskState::Faulted); }));
    return true;
}

} // namespace

extern const Test kFaultTests[] = {
    {"fault.page_fault_handled", page_fault_handled},
    {"fault.page_faults_on_many_pages", page_faults_on_many_pages},
    {"fault.message_badge_and_ip", fault_message_badge_and_ip},
    {"fault.null_read", null_read},
    {"fault.write_to_code", write_to_code},
    {"fault.kernel_address_read", kernel_address_read},
    {"fault.kernel_address_execute", kernel_address_execute},
    {"fault.non_canonical_address", non_canonical_address},
    {"fault.undefined_instruction", undefined_instruction_fault},
    {"fault.privileged_instruction", privileged_instruction_fault},
    {"fault.unknown_syscall_12", unknown_syscall_fault<12>},
    {"fault.unknown_syscall_1000", unknown_syscall_fault<1000>},
    {"fault.unknown_syscall_max", unknown_syscall_fault<~uint64_t{0}>},
    {"fault.misaligned_access", misaligned_access},
    {"fault.divide_by_zero", divide_by_zero_fault},
    {"fault.no_handler_leaves_task_faulted", no_handler_leaves_task_faulted},
    {"fault.resume_faulted_task_after_fix", resume_faulted_task_after_fix},
    {"fault.handler_refusal_leaves_faulted", handler_refusal_leaves_faulted},
    {"fault.faulting_tasks_leave_runner_running", faulting_tasks_leave_runner_running},
    {"fault.write_registers_redirects", write_registers_redirects},
    {"fault.bad_instruction_pointer", bad_instruction_pointer},
    {"fault.bad_stack_pointer", bad_stack_pointer},
};
extern const size_t kFaultTestCount = sizeof(kFaultTests) / sizeof(kFaultTests[0]);

} // namespace suite
