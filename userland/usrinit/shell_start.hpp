// userland/usrinit/shell_start.hpp — the shells (docs/shell.md): one on
// serial0, as always, and, when a dev::console device exists (the
// framebuffer console, docs/framebuffer-console.md), a second one on
// console0. For each, usrinit opens the device through devmgr and starts
// /shell with procmgr.spawn, argv = {"shell", NAME} (NAME: serial0 or
// console0, the device the shell reopens after a driver restart), granting
// it the device as its terminal (Role::Stdout), the System capability and
// the services fs::fs, sys::procmgr and sys::devmgr (minted anew for each
// shell by sysinit). A ShellWaiter thread per shell waits for it; when one
// ends usrinit says so and starts it again, at most kShellStarts times per
// shell. The other goes on meanwhile.
#pragma once

#include "services.hpp"

namespace usrinit {

inline constexpr char kShellPath[] = "/shell";
inline constexpr int kShellStarts = 5;

// Runs the shells until each has ended kShellStarts times or cannot start;
// returns why the last one stopped.
ipc::Status run_shells(const Services& services);

} // namespace usrinit
