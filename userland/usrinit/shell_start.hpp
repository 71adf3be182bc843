// userland/usrinit/shell_start.hpp — the shell on serial0 (docs/shell.md):
// usrinit opens serial0 through devmgr and starts /shell with procmgr.spawn,
// granting it the port as its terminal (Role::Stdout), the System
// capability (usrinit hands it to the shell only) and the services fs::fs
// and sys::procmgr (minted anew for the shell by sysinit). When the shell
// ends usrinit says so and starts it again, at most kShellStarts times.
#pragma once

#include "services.hpp"

namespace usrinit {

inline constexpr char kShellPath[] = "/shell";
inline constexpr int kShellStarts = 5;

// Runs the shell until it has ended kShellStarts times or cannot start;
// returns why it stopped.
ipc::Status run_shell(const Services& services);

} // namespace usrinit
