// userland/tests/cpu_tests.cpp — the CPU state user mode sees: control
// registers the kernel writes with explicit values, whatever the firmware
// left (docs/hardening.md). The test ESP boots with `test-firmware-leftovers`,
// so the kernel starts from the bits a careless firmware could leave set.
//
// x86_64: xgetbv (CR4.OSXSAVE), rdfsbase/wrgsbase (CR4.FSGSBASE) and rdpmc
// (CR4.PCE) fault; sysenter faults (SYSENTER_CS = 0); sgdt, sidt and smsw
// fault where the CPU has UMIP (always on then). aarch64: the physical
// counter and both timers are out of EL0's reach (CNTKCTL_EL1), the virtual
// counter is readable, the PMU and the debug communications channel trap.
#include "suite.hpp"

namespace suite {

namespace {

// Runs `instruction` in a thread and returns how it faulted (faulted = false
// when it did not).
FaultReport fault_of(void (*instruction)(uint64_t)) { return run_expecting_fault(instruction, 1); }

#if defined(__x86_64__)

void execute_xgetbv(uint64_t) {
    asm volatile(".byte 0x0f, 0x01, 0xd0" ::"c"(0) : "rax", "rdx"); // xgetbv (XCR0)
    thread_exit();
}
void execute_rdfsbase(uint64_t) {
    asm volatile(".byte 0xf3, 0x48, 0x0f, 0xae, 0xc0" ::: "rax"); // rdfsbase %rax
    thread_exit();
}
void execute_wrgsbase(uint64_t) {
    asm volatile(".byte 0xf3, 0x48, 0x0f, 0xae, 0xd8" ::"a"(0x1234'5678'9abc'def0)); // wrgsbase %rax
    thread_exit();
}
void execute_rdpmc(uint64_t) {
    asm volatile("rdpmc" ::"c"(0) : "rax", "rdx");
    thread_exit();
}
void execute_sysenter(uint64_t) {
    asm volatile("sysenter" ::: "rcx", "r11", "memory");
    thread_exit();
}
uint8_t descriptor_table[16];
void execute_sgdt(uint64_t) {
    asm volatile("sgdt %0" : "=m"(descriptor_table));
    thread_exit();
}
void execute_sidt(uint64_t) {
    asm volatile("sidt %0" : "=m"(descriptor_table));
    thread_exit();
}
void execute_smsw(uint64_t) {
    uint64_t value;
    asm volatile("smsw %0" : "=r"(value));
    thread_exit();
}

bool cpu_has_umip() {
    uint32_t eax = 0, ebx, ecx = 0, edx;
    asm volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
    if (eax < 7) return false;
    eax = 7;
    ecx = 0;
    asm volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
    return ecx & (1u << 2);
}

bool xgetbv_undefined() {
    const FaultReport f = fault_of(execute_xgetbv);
    EXPECT(f.faulted);
    EXPECT(f.kind == FaultKind::UndefinedInstruction);
    return true;
}

bool fs_gs_base_instructions_undefined() {
    FaultReport f = fault_of(execute_rdfsbase);
    EXPECT(f.faulted && f.kind == FaultKind::UndefinedInstruction);
    f = fault_of(execute_wrgsbase);
    EXPECT(f.faulted && f.kind == FaultKind::UndefinedInstruction);
    return true;
}

bool rdpmc_protected() {
    const FaultReport f = fault_of(execute_rdpmc);
    EXPECT(f.faulted);
    EXPECT(f.kind == FaultKind::Protection);
    EXPECT((f.detail >> 32) == 13); // #GP
    return true;
}

bool sysenter_faults() {
    // #GP with SYSENTER_CS = 0 (Intel), #UD in long mode (AMD): never ring 0.
    const FaultReport f = fault_of(execute_sysenter);
    EXPECT(f.faulted);
    EXPECT(f.kind == FaultKind::Protection || f.kind == FaultKind::UndefinedInstruction);
    return true;
}

bool descriptor_tables_hidden_with_umip() {
    if (!cpu_has_umip()) return true; // nothing to switch on (the cpu-max boot tests cover it)
    void (*const instructions[])(uint64_t) = {execute_sgdt, execute_sidt, execute_smsw};
    for (auto instruction : instructions) {
        const FaultReport f = fault_of(instruction);
        EXPECT(f.faulted);
        EXPECT(f.kind == FaultKind::Protection);
        EXPECT((f.detail >> 32) == 13); // #GP
    }
    return true;
}

#elif defined(__aarch64__)

constexpr uint64_t kEcTrappedSystemRegister = 0x18;

void write_virtual_timer_control(uint64_t) {
    asm volatile("msr cntv_ctl_el0, xzr" ::: "memory"); // would stop the kernel's tick
    thread_exit();
}
void read_physical_timer_control(uint64_t) {
    uint64_t value;
    asm volatile("mrs %0, cntp_ctl_el0" : "=r"(value));
    thread_exit();
}
void write_physical_timer_value(uint64_t) {
    asm volatile("msr cntp_tval_el0, %0" ::"r"(uint64_t{1}));
    thread_exit();
}
void read_physical_counter(uint64_t) {
    uint64_t value;
    asm volatile("mrs %0, cntpct_el0" : "=r"(value));
    thread_exit();
}
void read_cycle_counter(uint64_t) {
    uint64_t value;
    asm volatile("mrs %0, pmccntr_el0" : "=r"(value));
    thread_exit();
}
void read_debug_channel_status(uint64_t) {
    uint64_t value;
    asm volatile("mrs %0, mdccsr_el0" : "=r"(value));
    thread_exit();
}

bool trapped(const FaultReport& f) {
    return f.faulted && f.kind == FaultKind::Protection && ((f.detail >> 26) & 0x3f) == kEcTrappedSystemRegister;
}

bool virtual_timer_out_of_reach() {
    EXPECT(trapped(fault_of(write_virtual_timer_control)));
    return true;
}

bool physical_timer_and_counter_out_of_reach() {
    EXPECT(trapped(fault_of(read_physical_timer_control)));
    EXPECT(trapped(fault_of(write_physical_timer_value)));
    EXPECT(trapped(fault_of(read_physical_counter)));
    return true;
}

bool virtual_counter_readable() {
    uint64_t first, second;
    asm volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(first));
    sleep_ticks(1);
    asm volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(second));
    EXPECT(second > first);
    return true;
}

bool performance_monitors_out_of_reach() {
    // Trapped with a PMU (PMUSERENR_EL0 = 0), undefined without one.
    const FaultReport f = fault_of(read_cycle_counter);
    EXPECT(trapped(f) || (f.faulted && f.kind == FaultKind::UndefinedInstruction));
    return true;
}

bool debug_channel_out_of_reach() {
    EXPECT(trapped(fault_of(read_debug_channel_status)));
    return true;
}

#endif

} // namespace

extern const Test kCpuTests[] = {
#if defined(__x86_64__)
    {"cpu.xgetbv_undefined", xgetbv_undefined},
    {"cpu.fs_gs_base_instructions_undefined", fs_gs_base_instructions_undefined},
    {"cpu.rdpmc_protected", rdpmc_protected},
    {"cpu.sysenter_faults", sysenter_faults},
    {"cpu.descriptor_tables_hidden_with_umip", descriptor_tables_hidden_with_umip},
#elif defined(__aarch64__)
    {"cpu.physical_timer_and_counter_out_of_reach", physical_timer_and_counter_out_of_reach},
    {"cpu.virtual_counter_readable", virtual_counter_readable},
    {"cpu.performance_monitors_out_of_reach", performance_monitors_out_of_reach},
    {"cpu.debug_channel_out_of_reach", debug_channel_out_of_reach},
    // Last: where it fails, EL0 has just stopped the kernel's tick, and the
    // suite's time limits stop working with it.
    {"cpu.virtual_timer_out_of_reach", virtual_timer_out_of_reach},
#endif
};
extern const size_t kCpuTestCount = sizeof(kCpuTests) / sizeof(kCpuTests[0]);

} // namespace suite
