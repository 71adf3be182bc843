// arch/x86_64/kernel/cpu.cpp — GDT, TSS and IDT (Intel SDM vol. 3, ch. 3, 6, 7).
#include "cpu.hpp"

extern "C" const uint64_t trap_stub_table[256];

namespace vesta::x86_64 {
namespace {

constexpr uint64_t segment(bool code, unsigned privilege) {
    // Long mode ignores base and limit; present, S=1, writable/readable, L for code.
    uint64_t descriptor = (1ull << 47) | (1ull << 44) | (1ull << 41) | (uint64_t{privilege} << 45);
    if (code) descriptor |= (1ull << 43) | (1ull << 53);
    return descriptor;
}

struct [[gnu::packed]] DescriptorPointer {
    uint16_t limit;
    uint64_t base;
};

} // namespace

void initialise_cpu(CpuTables& tables, const CpuStacks& stacks) {
    tables.gdt[0] = 0;
    tables.gdt[kKernelCode >> 3] = segment(true, 0);
    tables.gdt[kKernelData >> 3] = segment(false, 0);
    tables.gdt[kUserCode32 >> 3] = 0; // no 32-bit user code
    tables.gdt[kUserData >> 3] = segment(false, 3);
    tables.gdt[kUserCode >> 3] = segment(true, 3);
    const uint64_t tss = reinterpret_cast<uint64_t>(&tables.tss);
    const uint64_t limit = sizeof(TaskStateSegment) - 1;
    tables.gdt[kTaskState >> 3] = (limit & 0xffff) | ((tss & 0xffffff) << 16) | (0x89ull << 40) |
                                  ((limit >> 16 & 0xf) << 48) | ((tss >> 24 & 0xff) << 56);
    tables.gdt[(kTaskState >> 3) + 1] = tss >> 32;

    tables.tss = {};
    // No I/O bitmap and IOPL 0: every in/out in user mode raises #GP. User
    // drivers reach ports through IoPort capabilities (kernel invocations).
    tables.tss.io_map_base = sizeof(TaskStateSegment);
    for (unsigned i = 0; i < 3; ++i) tables.tss.ist[i] = stacks.interrupt[i].top;

    for (unsigned vector = 0; vector < 256; ++vector) {
        const uint64_t handler = trap_stub_table[vector];
        InterruptGate& gate = tables.idt[vector];
        gate.offset_low = handler & 0xffff;
        gate.selector = kKernelCode;
        gate.ist = vector == 8 ? kIstDoubleFault : vector == 2 ? kIstNmi : vector == 18 ? kIstMachineCheck : 0;
        gate.type_attributes = 0x8e; // present, DPL 0, 64-bit interrupt gate
        gate.offset_middle = (handler >> 16) & 0xffff;
        gate.offset_high = static_cast<uint32_t>(handler >> 32);
        gate.reserved = 0;
    }

    const DescriptorPointer gdtr{sizeof(tables.gdt) - 1, reinterpret_cast<uint64_t>(tables.gdt)};
    const DescriptorPointer idtr{sizeof(tables.idt) - 1, reinterpret_cast<uint64_t>(tables.idt)};
    asm volatile("lgdt %0" ::"m"(gdtr));
    // Reload CS with a far return, then the data segments and the task register.
    asm volatile("pushq %[code]\n\t"
                 "leaq 1f(%%rip), %%rax\n\t"
                 "pushq %%rax\n\t"
                 "lretq\n"
                 "1:\n\t"
                 "movw %[data], %%ax\n\t"
                 "movw %%ax, %%ds\n\t"
                 "movw %%ax, %%es\n\t"
                 "movw %%ax, %%ss\n\t"
                 "xorl %%eax, %%eax\n\t"
                 "movw %%ax, %%fs\n\t"
                 "movw %%ax, %%gs\n\t"
                 "ltr %[task]"
                 :
                 : [code] "i"(uint64_t{kKernelCode}), [data] "i"(kKernelData), [task] "r"(kTaskState)
                 : "rax", "memory");
    asm volatile("lidt %0" ::"m"(idtr));
}

} // namespace vesta::x86_64
