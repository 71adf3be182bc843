// arch/x86_64/loader/arch_loader.cpp — x86_64 handoff: CPU checks, TSC, and
// the switch to the kernel's page tables.
#include <arch_interface.hpp>

namespace vesta::loader::arch {
namespace {

void cpuid(uint32_t leaf, uint32_t* a, uint32_t* b, uint32_t* c, uint32_t* d) {
    asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

uint64_t read_msr(uint32_t msr) {
    uint32_t low, high;
    asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
    return (uint64_t{high} << 32) | low;
}

void write_msr(uint32_t msr, uint64_t value) {
    asm volatile("wrmsr" ::"c"(msr), "a"(static_cast<uint32_t>(value)), "d"(static_cast<uint32_t>(value >> 32)));
}

constexpr uint32_t kMsrEfer = 0xc0000080;
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

uint64_t read_counter() {
    uint32_t low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return (uint64_t{high} << 32) | low;
}

uint64_t counter_frequency(EFI_BOOT_SERVICES* boot) {
    const uint64_t start = read_counter();
    boot->Stall(10000); // 10 ms
    const uint64_t ticks = read_counter() - start;
    return ticks * 100;
}

uint32_t boot_level() { return 0; }

Result<void> check_cpu(Console& console) {
    uint32_t a, b, c, d;
    cpuid(0x80000000, &a, &b, &c, &d);
    if (a < 0x80000001) {
        console.print("vesta loader: the CPU has no extended CPUID leaves\n");
        return Error::NotSupported;
    }
    cpuid(0x80000001, &a, &b, &c, &d);
    if (!(d & (1u << 20))) {
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
