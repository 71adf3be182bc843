// kernel/boot/userspace_unavailable.cpp — start_userspace for architectures
// whose backend cannot run user tasks yet: the kernel stays idle.
#include <arch/platform.hpp>
#include <boot/userspace.hpp>
#include <console.hpp>

namespace vesta {

void start_userspace(const boot::BootInfo&, PageAllocator&, const char*) {
    print("vesta: user mode is not implemented on {} yet; idling\n", arch::kArchitectureName);
    arch::halt_forever();
}

} // namespace vesta
