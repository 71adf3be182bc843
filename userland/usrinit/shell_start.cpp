// userland/usrinit/shell_start.cpp — shell_start.hpp.
#include <dev/console.ipc.hpp>
#include <dev/serial.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/procmgr.ipc.hpp>
#include <vesta/process_records.hpp>

#include "shell_start.hpp"
#include "shell_waiter.hpp"

namespace usrinit {

namespace sys = vesta::proto::sys;
using user::print;

namespace {

constexpr uint32_t role_byte(startup::Role role, size_t index) { return static_cast<uint32_t>(role) << (8 * index); }

// One shell and the device it runs on.
struct ShellRun {
    const char* name; // the device's name, the shell's argv[1]
    uint32_t interface_id;
    uint64_t device = kNoSlot; // usrinit's endpoint to it, granted at each start
    int starts = 0;
    bool running = false;
    ShellWaiter waiter;
};

// Starts the shell of `run`; false when procmgr refuses (then `failure` says why).
bool launch(const Services& services, ShellRun& run, SharedPage& args, ipc::Status& failure) {
    const size_t path_length = sizeof(kShellPath) - 1;
    size_t argv_length = 0;
    const char* const argv[] = {"shell", run.name}; // then the device's name
    for (const char* word : argv) {
        size_t n = 0;
        while (word[n]) ++n;
        __builtin_memcpy(args.data + path_length + argv_length, word, n + 1);
        argv_length += n + 1;
    }
    __builtin_memcpy(args.data, kShellPath, path_length);
    // The terminal, System and fs; procmgr and devmgr by flags (three grants at most besides the page;
    // devmgr lets the shell open its device again when its driver was restarted).
    ipc::CapList grants{{run.device, user::runtime.system, services.fs}, 3};
    uint32_t roles = role_byte(startup::Role::Stdout, 0) | role_byte(startup::Role::System, 1) |
                     role_byte(startup::Role::Service, 2) | sys::kSpawnGiveProcmgr | sys::kSpawnGiveDevmgr;
    if (user::runtime.system == kNoSlot) { // no poweroff then: the shell says so when asked
        grants = ipc::CapList{{run.device, services.fs}, 2};
        roles = role_byte(startup::Role::Stdout, 0) | role_byte(startup::Role::Service, 1) | sys::kSpawnGiveProcmgr |
                sys::kSpawnGiveDevmgr;
    }
    auto pid = sys::procmgr::spawn(transport(), services.procmgr, args.slot, grants, path_length, argv_length, roles);
    if (!pid.ok()) {
        print("usrinit: cannot start {} on {}: {}\n", kShellPath, run.name, status_name(pid.error()));
        failure = pid.error();
        return false;
    }
    ++run.starts;
    run.running = true;
    print("usrinit: shell started on {} (pid {})\n", run.name, pid.value());
    run.waiter.wait_for(pid.value());
    return true;
}

// Opens the device of `run`; false (with a message) when it cannot.
bool open_device(const Services& services, ShellRun& run, ipc::Status& failure) {
    auto opened = sys::devmgr::open(transport(), services.devmgr, run.interface_id, 0);
    if (!opened.ok()) {
        print("usrinit: cannot open {}: {}\n", run.name, status_name(opened.error()));
        failure = opened.error();
        return false;
    }
    run.device = opened.value().device;
    return true;
}

} // namespace

ipc::Status run_shells(const Services& services) {
    static ShellRun runs[ShellWaiter::kMaxWaiters] = {
        {.name = "serial0", .interface_id = proto::dev::serial::kId},
        {.name = "console0", .interface_id = proto::dev::console::kId},
    };
    size_t run_count = 1;
    auto consoles = sys::devmgr::count(transport(), services.devmgr, proto::dev::console::kId);
    if (consoles.ok() && consoles.value() > 0) run_count = 2;

    ipc::Status failure;
    uint64_t done = kNoSlot;
    if (const Error e = user::create(ObjectType::Notification, 0, &done); e != Error::None) return e;
    SharedPage args;
    if (const Error e = make_shared_page(1, &args); e != Error::None) return e;
    size_t running = 0;
    for (size_t i = 0; i < run_count; ++i) {
        ShellRun& run = runs[i];
        if (!open_device(services, run, failure)) continue;
        if (const Error e = run.waiter.start(i, services.procmgr, done); e != Error::None) {
            print("usrinit: no thread to wait for the shell on {}: {}\n", run.name, error_name(e));
            failure = e;
            continue;
        }
        running += launch(services, run, args, failure);
    }
    while (running > 0) {
        user::syscall(Syscall::Wait, done); // a waiter signals when its shell ended
        for (size_t i = 0; i < run_count; ++i) {
            ShellRun& run = runs[i];
            ipc::Result<int64_t> status = 0;
            if (!run.running || !run.waiter.take(&status)) continue;
            run.running = false;
            --running;
            if (!status.ok()) {
                print("usrinit: procmgr.wait for the shell on {}: {}\n", run.name, status_name(status.error()));
                failure = status.error();
                continue;
            }
            const bool again = run.starts < kShellStarts;
            print("usrinit: the shell on {} ended (status {}){}\n", run.name, status.value(),
                  again ? "; starting it again" : "; giving up");
            if (again) running += launch(services, run, args, failure);
        }
    }
    release(args);
    return failure;
}

} // namespace usrinit
