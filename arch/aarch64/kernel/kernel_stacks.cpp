// arch/aarch64/kernel/kernel_stacks.cpp — the boot CPU's stacks, overflow
// reports and the kernel stack's high-water mark.
#include "kernel_stacks.hpp"

#include <arch/platform.hpp>
#include <console.hpp>

#include "per_cpu.hpp"

// Defined by kernel.ld.
extern "C" char boot_stack_bottom[], boot_stack_top[];
extern "C" char boot_emergency_stack_bottom[], boot_emergency_stack_top[];

namespace vesta::aarch64 {
namespace {

static_assert(kStackPaint == 0x6b6174736e726b76, "entry.S paints the boot stack with this value");

KernelStack range(const char* bottom, const char* top) {
    return KernelStack{reinterpret_cast<uint64_t>(bottom), reinterpret_cast<uint64_t>(top)};
}

// Until aarch64_kernel_entry fills the per-CPU area, only the boot CPU runs.
CpuStacks current_stacks() {
    const CpuStacks& stacks = this_cpu().stacks;
    return stacks.kernel.top ? stacks : boot_cpu_stacks();
}

} // namespace

CpuStacks boot_cpu_stacks() {
    return CpuStacks{range(boot_stack_bottom, boot_stack_top),
                     range(boot_emergency_stack_bottom, boot_emergency_stack_top)};
}

bool report_stack_overflow(uint64_t fault_address, uint64_t stack_pointer) {
    const CpuStacks stacks = current_stacks();
    const KernelStack* overflowed = nullptr;
    const char* name = nullptr;
    if (stacks.kernel.overflowed(fault_address, stack_pointer)) {
        overflowed = &stacks.kernel;
        name = "kernel";
    } else if (stacks.emergency.overflowed(fault_address, stack_pointer)) {
        overflowed = &stacks.emergency;
        name = "emergency";
    }
    if (!overflowed) return false;
    print("\nvesta: kernel stack overflow: the {} stack ({:x}-{:x}) ran into its guard page "
          "(fault address {:x}, sp {:x})\n",
          name, overflowed->bottom, overflowed->top, fault_address, stack_pointer);
    return true;
}

} // namespace vesta::aarch64

namespace vesta::arch {

uint64_t kernel_stack_high_water() { return painted_stack_used(aarch64::current_stacks().kernel); }

} // namespace vesta::arch
