// arch/x86_64/kernel/kernel_stacks.cpp — the boot CPU's stacks, overflow
// reports and the kernel stack's high-water mark.
#include "kernel_stacks.hpp"

#include <arch/platform.hpp>
#include <console.hpp>

#include "per_cpu.hpp"

// Defined by kernel.ld.
extern "C" char boot_stack_bottom[], boot_stack_top[];
extern "C" char boot_double_fault_stack_bottom[], boot_double_fault_stack_top[];
extern "C" char boot_nmi_stack_bottom[], boot_nmi_stack_top[];
extern "C" char boot_machine_check_stack_bottom[], boot_machine_check_stack_top[];

namespace vesta::x86_64 {
namespace {

static_assert(kStackPaint == 0x6b6174736e726b76, "entry.S paints the boot stack with this value");

KernelStack range(const char* bottom, const char* top) {
    return KernelStack{reinterpret_cast<uint64_t>(bottom), reinterpret_cast<uint64_t>(top)};
}

const char* const kInterruptStackNames[3] = {"double-fault", "NMI", "machine-check"};

// Until x86_64_kernel_entry fills the per-CPU area, only the boot CPU runs.
CpuStacks current_stacks() {
    const CpuStacks& stacks = this_cpu().stacks;
    return stacks.kernel.top ? stacks : boot_cpu_stacks();
}

} // namespace

CpuStacks boot_cpu_stacks() {
    return CpuStacks{range(boot_stack_bottom, boot_stack_top),
                     {range(boot_double_fault_stack_bottom, boot_double_fault_stack_top),
                      range(boot_nmi_stack_bottom, boot_nmi_stack_top),
                      range(boot_machine_check_stack_bottom, boot_machine_check_stack_top)}};
}

bool report_stack_overflow(uint64_t fault_address, uint64_t stack_pointer) {
    const CpuStacks stacks = current_stacks();
    const KernelStack* overflowed = nullptr;
    const char* name = nullptr;
    auto check = [&](const KernelStack& stack, const char* stack_name) {
        if (!overflowed && stack.overflowed(fault_address, stack_pointer)) {
            overflowed = &stack;
            name = stack_name;
        }
    };
    check(stacks.kernel, "kernel");
    for (unsigned i = 0; i < 3; ++i) check(stacks.interrupt[i], kInterruptStackNames[i]);
    if (!overflowed) return false;
    print("\nvesta: kernel stack overflow: the {} stack ({:x}-{:x}) ran into its guard page "
          "(fault address {:x}, rsp {:x})\n",
          name, overflowed->bottom, overflowed->top, fault_address, stack_pointer);
    return true;
}

} // namespace vesta::x86_64

namespace vesta::arch {

uint64_t kernel_stack_high_water() { return painted_stack_used(x86_64::current_stacks().kernel); }

} // namespace vesta::arch
