// kernel/boot/userspace.hpp — the end of the boot path: turn the remaining
// RAM into memory pools, build the root task from the initramfs, and run it.
#pragma once

#include <stddef.h>
#include <vesta/boot_info.hpp>

namespace vesta {

class PageAllocator;

// The initramfs file to start as the root task, as `init=` gave it (not
// NUL-terminated); `name` null: the default, kDefaultInitProgram.
struct RootProgram {
    const char* name = nullptr;
    size_t length = 0;
};

// Never returns. Everything the page allocator still holds becomes memory
// pools (the allocator is empty afterwards), and `program` from the
// initramfs becomes the root task. On a name `init=` cannot take
// (init_name_problem), a program missing from the initramfs, a malformed
// initramfs or an invalid ELF image, a line names the program and the
// reason, and the machine stops with a failure status.
[[noreturn]] void start_userspace(const boot::BootInfo& info, PageAllocator& pages, const char* command_line,
                                  RootProgram program);

} // namespace vesta
