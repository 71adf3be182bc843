// userland/sysinit/console_handover.hpp — whether sysinit hands the
// console UART from the kernel to a driver (System.ReleaseConsole), and
// doing it (docs/userland.md, "The console").
//
// Once released, the kernel writes its messages (and every Console.Write,
// sysinit's lines included) only into its log ring; a person sees them when
// the console's serial driver forwards the ring to the line. So sysinit
// releases the console only when such a driver will run: a driver under
// /drivers of the initramfs whose manifest names the console's hardware —
// on a machine with a device tree, a [devicetree] compatible of the node
// /chosen/stdout-path names; without one (a PC), an ioport entry covering
// COM1 (0x3f8), the kernel's console there — and the program sysinit starts
// is the default usrinit, which loads /drivers. Otherwise (no such driver,
// or a test program started with usrinit=) the kernel keeps the console and
// everything printed reaches the person directly.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vesta/root_info.hpp>

#include "bootfs_tree.hpp"
#include "devloader.hpp"

namespace sysinit {

// The driver under /drivers that will take the console, or nullptr; its
// name is copied into `driver` (`size` bytes).
bool find_console_driver(const bootfs::Tree& tree, const vesta::RootInfo& info, char* driver, size_t size);

// System.ReleaseConsole, paid from sysinit's pool. Errors: the invocation's.
vesta::Result<ConsoleRelease> release_console();

} // namespace sysinit
