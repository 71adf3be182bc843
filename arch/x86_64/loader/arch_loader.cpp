// arch/x86_64/loader/arch_loader.cpp — x86_64 handoff: CPU checks, TSC, and
// the switch to the kernel's page tables.
#include <arch/x86_64/instructions.hpp>
#include <arch_interface.hpp>

namespace vesta::loader::arch {
namespace {

using x86_64::cpuid;
using x86_64::kMsrEfer;
using x86_64::read_msr;
using x86_64::write_msr;

constexpr uint64_t kEferNoExecuteEnable = 1u << 11;
constexpr uint64_t kCr0WriteProtect = 1u << 16;

// The code that runs across the CR3 switch; it is identity-mapped by the
// loader (handoff_code_address), and uses no stack after the switch.
[[noreturn, gnu::noinline]] void switch_and_jump(uint64_t root, uint64_t entry, uint64_t boot_info) {
    asm volatile("mov %%rcx, %%cr3\n\t"
                 "jmp *%%rax" ::"c"(root),
                 "a"(entry), "D"(boot_info)
                 : "memory");
    __builtin_unreachable();
}

} // namespace

uint64_t read_counter() { return x86_64::read_tsc(); }

uint64_t counter_frequency(EFI_BOOT_SERVICES* boot) {
    const uint64_t start = read_counter();
    boot->Stall(10000); // 10 ms
    const uint64_t ticks = read_counter() - start;
    return ticks * 100;
}

uint32_t boot_level() { return 0; }

Result<void> check_cpu(Console& console) {
    if (cpuid(0x80000000).eax < 0x80000001) {
        console.print("vesta loader: the CPU has no extended CPUID leaves\n");
        return Error::NotSupported;
    }
    if (!(cpuid(0x80000001).edx & (1u << 20))) {
        console.print("vesta loader: the CPU lacks the no-execute (NX) bit, needed for W^X\n");
        return Error::NotSupported;
    }
    return {};
}

void prepare_code(uint64_t, uint64_t) {} // instruction fetch is coherent with data writes

uint64_t handoff_code_address() { return reinterpret_cast<uint64_t>(&switch_and_jump); }

void enter_kernel(const KernelTables& tables, uint64_t entry, uint64_t boot_info) {
    asm volatile("cli");
    write_msr(kMsrEfer, read_msr(kMsrEfer) | kEferNoExecuteEnable);
    uint64_t cr0;
    asm volatile("mov %%cr0, %0" : "=r"(cr0));
    asm volatile("mov %0, %%cr0" ::"r"(cr0 | kCr0WriteProtect));
    switch_and_jump(tables.kernel_root(), entry, boot_info);
}

} // namespace vesta::loader::arch
