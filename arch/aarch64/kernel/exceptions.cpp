// arch/aarch64/kernel/exceptions.cpp — exceptions taken in the kernel.
//
// Apart from interrupts while idle, every exception taken at EL1 is a kernel
// bug: it is reported (class decoded from ESR_EL1, FAR, ELR, SPSR, all
// registers, a symbolised frame-pointer backtrace: debug/backtrace.hpp) and
// the machine stops with a failure status. Exceptions from EL0 become faults
// (user.cpp).
#include <arch/platform.hpp>
#include <console.hpp>
#include <debug/backtrace.hpp>

#include "interrupt_controller.hpp"
#include "kernel_stacks.hpp"
#include "per_cpu.hpp"
#include "stop.hpp"
#include <smp/cross_cpu.hpp>

namespace vesta::aarch64 {

// Matches the layout built by exception_common in entry.S.
struct ExceptionFrame {
    uint64_t x[31];
    uint64_t elr, spsr, esr, far, sp;
};
static_assert(sizeof(ExceptionFrame) == 36 * 8);

namespace {

const char* const kVectorNames[4] = {"current EL with SP_EL0", "current EL with SP_ELx", "lower EL (AArch64)",
                                     "lower EL (AArch32)"};
const char* const kKindNames[4] = {"synchronous", "IRQ", "FIQ", "SError"};

const char* exception_class_name(uint64_t ec) {
    switch (ec) {
    case 0x00: return "unknown reason (undefined instruction)";
    case 0x01: return "trapped WFI/WFE";
    case 0x07: return "trapped FP/SIMD access";
    case 0x0e: return "illegal execution state";
    case 0x15: return "SVC from AArch64";
    case 0x18: return "trapped system register access";
    case 0x20: return "instruction abort from a lower EL";
    case 0x21: return "instruction abort";
    case 0x22: return "PC alignment fault";
    case 0x24: return "data abort from a lower EL";
    case 0x25: return "data abort";
    case 0x26: return "SP alignment fault";
    case 0x2f: return "SError";
    case 0x30:
    case 0x31: return "breakpoint";
    case 0x32:
    case 0x33: return "software step";
    case 0x34:
    case 0x35: return "watchpoint";
    case 0x3c: return "BRK instruction";
    default: return "other";
    }
}

} // namespace
} // namespace vesta::aarch64

namespace vesta::aarch64 {
namespace {

[[noreturn]] void report_kernel_exception(const ExceptionFrame* frame, uint64_t kind) {
    const uint64_t ec = (frame->esr >> 26) & 0x3f;
    if (ec == 0 && (kind & 3) == 0 && arch::semihosting_exit_pending()) arch::semihosting_unavailable();
    console_emergency(); // the machine stops after this report: say it on the UART whoever has it
    print("\nvesta: kernel exception: {} from {}: {} (ESR {:x}, class {:x}, ISS {:x})\n", kKindNames[kind & 3],
          kVectorNames[(kind >> 2) & 3], exception_class_name(ec), frame->esr, ec, frame->esr & 0x1ffffff);
    if (ec == 0x24 || ec == 0x25 || ec == 0x20 || ec == 0x21)
        print("  fault address (FAR) {:016x}, {}\n", frame->far,
              (ec == 0x24 || ec == 0x25) ? ((frame->esr >> 6) & 1 ? "on write" : "on read") : "on fetch");
    print("  elr={:016x} spsr={:016x} sp={:016x}\n", frame->elr, frame->spsr, frame->sp);
    for (unsigned i = 0; i < 31; i += 4) {
        print("  x{}={:016x}", i, frame->x[i]);
        for (unsigned j = i + 1; j < i + 4 && j < 31; ++j) print(" x{}={:016x}", j, frame->x[j]);
        print("\n");
    }
    debug::print_backtrace(frame->elr, frame->x[29], debug::on_kernel_stack);
    print("vesta: kernel stopped\n");
    arch::stop_machine(arch::ExitStatus::Failure);
}

} // namespace
} // namespace vesta::aarch64

extern "C" void aarch64_exception(vesta::aarch64::ExceptionFrame* frame, uint64_t kind) {
    using namespace vesta::aarch64;
    if ((kind & 3) == 1 && this_cpu().cpu) { // an IRQ while idle (the kernel unmasks IRQs only there)
        (void)vesta::enter_kernel(*this_cpu().cpu, false);
        dispatch_interrupt(*this_cpu().cpu);
        resume(*this_cpu().cpu);
    }
    report_kernel_exception(frame, kind);
}

// Entered on the emergency stack when an EL1 vector found SP off the kernel
// stack (entry.S). SP may also be off it for other reasons (a kernel bug on a
// thread's context frame): then this is an ordinary kernel exception.
extern "C" [[noreturn]] void aarch64_stack_overflow(vesta::aarch64::ExceptionFrame* frame, uint64_t kind) {
    using namespace vesta::aarch64;
    PerCpu& here = this_cpu();
    if (here.reporting_overflow) vesta::arch::halt_forever(); // the report itself overflowed
    here.reporting_overflow = true;
    report_stack_overflow(frame->far, frame->sp);
    report_kernel_exception(frame, kind);
}
