// kernel/boot/userspace.hpp — the end of the boot path: turn the remaining
// RAM into memory pools, build the root task from the initramfs, and run it.
#pragma once

#include <vesta/boot_info.hpp>

namespace vesta {

class PageAllocator;

// Never returns. Everything the page allocator still holds becomes memory
// pools (the allocator is empty afterwards). On a missing or invalid root
// program the reason is printed and the machine stops with a failure status.
[[noreturn]] void start_userspace(const boot::BootInfo& info, PageAllocator& pages, const char* command_line);

} // namespace vesta
