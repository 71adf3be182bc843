// kernel/boot/kernel_main.hpp — the portable kernel entry.
#pragma once

#include <vesta/boot_info.hpp>

namespace vesta {

// Called by the arch entry once the CPU is set up (descriptor tables,
// exception vectors, early console). `boot_info` is the loader's handoff, a
// direct-map pointer, not yet validated. Never returns.
[[noreturn]] void kernel_main(const boot::BootInfo* boot_info);

} // namespace vesta
