// userland/shell/terminal_name.hpp — which device the shell's terminal is:
// usrinit passes its name as argv[1] ("serial0", "console0"), and the
// shell opens that device again through devmgr when its driver was
// restarted (docs/shell.md, "How it works"). Portable and host-tested.
//
// Contract: a name is an interface's short name — `serial` (dev::serial)
// or `console` (dev::console) — followed by a decimal index 0–255 without
// leading zeros; anything else is refused (false, `out` unchanged). No
// argument at all means serial0 (the shell as usrinit started it before
// there were consoles).
#pragma once

#include <stdint.h>

namespace shell {

struct TerminalDevice {
    uint32_t interface_id = 0;
    uint32_t index = 0;
    char name[16] = {}; // as given, e.g. "console0"
};

bool parse_terminal_name(const char* name, TerminalDevice* out);

} // namespace shell
