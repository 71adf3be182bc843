// userland/usrinit/shell_start.cpp — shell_start.hpp.
#include <dev/serial.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/procmgr.ipc.hpp>
#include <vesta/process_records.hpp>

#include "shell_start.hpp"

namespace usrinit {

namespace sys = vesta::proto::sys;
using user::print;

namespace {

constexpr uint32_t role_byte(startup::Role role, size_t index) { return static_cast<uint32_t>(role) << (8 * index); }

} // namespace

ipc::Status run_shell(const Services& services) {
    auto opened = sys::devmgr::open(transport(), services.devmgr, proto::dev::serial::kId, 0);
    if (!opened.ok()) {
        print("usrinit: cannot open serial0: {}\n", status_name(opened.error()));
        return opened.error();
    }
    const uint64_t terminal = opened.value().device;
    SharedPage args;
    if (const Error e = make_shared_page(1, &args); e != Error::None) return e;
    const size_t path_length = sizeof(kShellPath) - 1;
    __builtin_memcpy(args.data, kShellPath, path_length);
    __builtin_memcpy(args.data + path_length, "shell", 6); // argv[0] and its NUL
    // The terminal, System and fs; procmgr and devmgr by flags (three grants at most besides the page;
    // devmgr lets the shell open serial0 again when its driver was restarted).
    ipc::CapList grants{{terminal, user::runtime.system, services.fs}, 3};
    uint32_t roles = role_byte(startup::Role::Stdout, 0) | role_byte(startup::Role::System, 1) |
                     role_byte(startup::Role::Service, 2) | sys::kSpawnGiveProcmgr | sys::kSpawnGiveDevmgr;
    if (user::runtime.system == kNoSlot) { // no poweroff then: the shell says so when asked
        grants = ipc::CapList{{terminal, services.fs}, 2};
        roles = role_byte(startup::Role::Stdout, 0) | role_byte(startup::Role::Service, 1) | sys::kSpawnGiveProcmgr |
                sys::kSpawnGiveDevmgr;
    }
    ipc::Status failure;
    for (int start = 0; start < kShellStarts; ++start) {
        auto pid = sys::procmgr::spawn(transport(), services.procmgr, args.slot, grants, path_length, 6, roles);
        if (!pid.ok()) {
            print("usrinit: cannot start {}: {}\n", kShellPath, status_name(pid.error()));
            failure = pid.error();
            break;
        }
        print("usrinit: shell started on serial0 (pid {})\n", pid.value());
        auto status = sys::procmgr::wait(transport(), services.procmgr, pid.value());
        if (!status.ok()) {
            failure = status.error();
            break;
        }
        print("usrinit: the shell ended (status {}){}\n", status.value(),
              start + 1 < kShellStarts ? "; starting it again" : "; giving up");
    }
    release(args);
    return failure;
}

} // namespace usrinit
