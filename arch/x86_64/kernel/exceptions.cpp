// arch/x86_64/kernel/exceptions.cpp — CPU exceptions taken in the kernel.
//
// An exception in kernel mode is a kernel bug: it is reported (vector, error
// code, registers, a symbolised frame-pointer backtrace: debug/backtrace.hpp)
// and the machine stops with a failure status. Exceptions from user mode
// become faults (user.cpp).
#include <lib/format.hpp>

#include "cpu.hpp"
#include "kernel_stacks.hpp"
#include "per_cpu.hpp"
#include <arch/platform.hpp>
#include <console.hpp>
#include <debug/backtrace.hpp>

namespace vesta::x86_64 {
namespace {

const char* const kExceptionNames[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range exceeded",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor segment overrun",
    "invalid TSS",
    "segment not present",
    "stack-segment fault",
    "general protection fault",
    "page fault",
    "reserved",
    "x87 floating-point error",
    "alignment check",
    "machine check",
    "SIMD floating-point error",
    "virtualization exception",
    "control protection exception",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "hypervisor injection",
    "VMM communication",
    "security exception",
    "reserved",
};

} // namespace
} // namespace vesta::x86_64

namespace vesta::x86_64 {

void report_kernel_exception(const arch::UserContext& f) {
    using namespace arch::x86_64_context;
    const uint64_t vector = f.vector & 31;
    if (vector == 8 || vector == 14) report_stack_overflow(read_cr2(), f.rsp);
    console_emergency(); // the machine stops after this report: say it on the UART whoever has it
    print("\nvesta: kernel exception {} ({}), error code {:x}\n", f.vector, kExceptionNames[vector], f.error_code);
    if (vector == 14) {
        print("  page fault at {:016x}: {} {} in {} mode{}\n", read_cr2(),
              (f.error_code & 1) ? "protection violation" : "not-present page",
              (f.error_code & 16)  ? "on instruction fetch"
              : (f.error_code & 2) ? "on write"
                                   : "on read",
              (f.error_code & 4) ? "user" : "kernel", (f.error_code & 8) ? " (reserved bit set)" : "");
    }
    const uint64_t* r = f.regs;
    print("  rip={:016x} cs={:x} rflags={:016x} rsp={:016x} ss={:x} cr3={:016x}\n", f.rip, f.cs, f.rflags, f.rsp, f.ss,
          read_cr3());
    print("  rax={:016x} rbx={:016x} rcx={:016x} rdx={:016x}\n", r[kRax], r[kRbx], r[kRcx], r[kRdx]);
    print("  rsi={:016x} rdi={:016x} rbp={:016x} r8 ={:016x}\n", r[kRsi], r[kRdi], r[kRbp], r[kR8]);
    print("  r9 ={:016x} r10={:016x} r11={:016x} r12={:016x}\n", r[kR9], r[kR10], r[kR11], r[kR12]);
    print("  r13={:016x} r14={:016x} r15={:016x}\n", r[kR13], r[kR14], r[kR15]);
    if (!(f.cs & 3)) debug::print_backtrace(f.rip, r[kRbp], debug::on_kernel_stack);
    print("vesta: kernel stopped\n");
    arch::stop_machine(arch::ExitStatus::Failure);
}

} // namespace vesta::x86_64
