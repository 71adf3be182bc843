// arch/x86_64/kernel/cpu.hpp — x86_64 CPU primitives and per-CPU tables.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <arch/x86_64/instructions.hpp>

#include "kernel_stacks.hpp"

namespace vesta::x86_64 {

inline uint64_t read_cr2() {
    uint64_t value;
    asm volatile("mov %%cr2, %0" : "=r"(value));
    return value;
}
inline uint64_t read_cr3() {
    uint64_t value;
    asm volatile("mov %%cr3, %0" : "=r"(value));
    return value;
}

// Segment selectors. The order suits SYSCALL/SYSRET: user data follows a
// 32-bit user code slot, user 64-bit code follows user data.
inline constexpr uint16_t kKernelCode = 0x08;
inline constexpr uint16_t kKernelData = 0x10;
inline constexpr uint16_t kUserCode32 = 0x18 | 3;
inline constexpr uint16_t kUserData = 0x20 | 3;
inline constexpr uint16_t kUserCode = 0x28 | 3;
inline constexpr uint16_t kTaskState = 0x30;

// Interrupt stack table slots (TSS.IST1..7) for faults that must not use a
// possibly broken stack.
inline constexpr unsigned kIstDoubleFault = 1;
inline constexpr unsigned kIstNmi = 2;
inline constexpr unsigned kIstMachineCheck = 3;

struct [[gnu::packed]] TaskStateSegment {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t io_map_base;
};
static_assert(sizeof(TaskStateSegment) == 104);

struct InterruptGate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attributes;
    uint16_t offset_middle;
    uint32_t offset_high;
    uint32_t reserved;
};
static_assert(sizeof(InterruptGate) == 16);

// The descriptor tables one CPU owns. SMP will have one per CPU; today there
// is the boot CPU's. Its stacks are separate (kernel_stacks.hpp): they need
// guard pages, which .bss cannot give.
struct CpuTables {
    alignas(16) uint64_t gdt[8];
    TaskStateSegment tss;
    alignas(16) InterruptGate idt[256];
};

// Loads a fresh GDT, TSS (IST1..3 = the tops of `stacks.interrupt`) and IDT
// (all 256 vectors, DPL 0: `int n` from user mode raises #GP) on this CPU.
void initialise_cpu(CpuTables& tables, const CpuStacks& stacks);

} // namespace vesta::x86_64
