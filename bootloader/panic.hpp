// bootloader/panic.hpp — where the loader's panic() prints (bootloader/panic.cpp).
#pragma once

namespace vesta::loader {

class Console;

// The console panic() prints on; null (after ExitBootServices): silent halt.
void set_panic_console(Console* console);

} // namespace vesta::loader
