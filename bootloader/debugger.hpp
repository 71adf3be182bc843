// bootloader/debugger.hpp — help for a debugger attached to the machine
// (QEMU's gdb stub; docs/debugging.md).
//
// The loader is a relocatable PE image the firmware places anywhere, so a
// debugger needs its image base to place the loader's symbols; and it needs
// the loader to stop early, before anything worth a breakpoint has run.
#pragma once

#include "console.hpp"
#include "efi.hpp"
#include "files.hpp"

// The loader spins while this is non-zero (set when it waits for a debugger).
// A debugger releases it with `set var vesta_loader_debugger_wait = 0`.
extern "C" volatile uint8_t vesta_loader_debugger_wait;
// Called once the debugger released the loader: a place to stop.
extern "C" void vesta_loader_debugger_attached();

namespace vesta::loader {

// Prints "vesta loader: image base 0x…" (EFI_LOADED_IMAGE_PROTOCOL.ImageBase);
// prints nothing when the firmware does not describe the image.
void report_image_base(EFI_HANDLE image, EFI_BOOT_SERVICES* boot, Console& console);

// When \vesta\wait-for-debugger exists on the ESP: prints
// "vesta loader: waiting for the debugger …" and spins until a debugger
// clears vesta_loader_debugger_wait. Returns at once otherwise.
void wait_for_debugger_if_asked(EspDirectory& esp, Console& console);

} // namespace vesta::loader
