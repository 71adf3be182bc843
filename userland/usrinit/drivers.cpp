// userland/usrinit/drivers.cpp — drivers.hpp.
#include <dev/console.ipc.hpp>
#include <dev/keyboard.ipc.hpp>
#include <dev/serial.ipc.hpp>
#include <fs/fs.ipc.hpp>
#include <lib/format.hpp>
#include <lib/string.hpp>
#include <sys/devloader.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/procmgr.ipc.hpp>

#include "drivers.hpp"

namespace usrinit {

namespace fs = vesta::proto::fs;
namespace sys = vesta::proto::sys;
using user::print;

namespace {

constexpr size_t kMaxName = 64;

// Writes "DIRECTORY/NAME" (or DIRECTORY alone) into the page; returns its length.
size_t put_path(SharedPage& page, const char* directory, const char* name = nullptr) {
    BufferSink sink(reinterpret_cast<char*>(page.data), page.size);
    if (name)
        format(sink, "{}/{}", directory, name);
    else
        format(sink, "{}", directory);
    return sink.length();
}

// The devices of the interfaces our drivers register: serial ports, text
// consoles, keyboards.
uint32_t devices(const Services& services) {
    static constexpr uint32_t kInterfaces[] = {proto::dev::serial::kId, proto::dev::console::kId,
                                               proto::dev::keyboard::kId};
    uint32_t total = 0;
    for (const uint32_t interface_id : kInterfaces) {
        auto count = sys::devmgr::count(transport(), services.devmgr, interface_id);
        total += count.ok() ? count.value() : 0;
    }
    return total;
}

// Starts one driver; true when it runs. sysinit loads it from its file in
// the bootstrap filesystem (devloader.load_path), so it supervises it: its
// manifest's restart policy applies when it ends, and a restart repeats the
// Console grant made here.
bool start_driver(const Services& services, const char* name, SharedPage& path) {
    const size_t path_length = put_path(path, kDriverDirectory, name);
    auto pid = sys::procmgr::new_process(transport(), services.procmgr);
    if (!pid.ok()) {
        print("usrinit: no process for {}: {}\n", name, status_name(pid.error()));
        return false;
    }
    auto loaded = sys::devloader::load_path(transport(), services.devloader, path.slot, pid.value(), 0, path_length);
    if (!loaded.ok()) {
        // sysinit's log names the manifest entry it refused.
        print("usrinit: the driver loader refused {} ({}); going on without it\n", name, status_name(loaded.error()));
        (void)sys::procmgr::kill(transport(), services.procmgr, pid.value(), -1); // nothing more to do if it fails
        return false;
    }
    // The Console, beyond the manifest (the loader grants nothing else):
    // drivers log through it, and the console's driver reads the kernel log.
    if (user::runtime.console != kNoSlot) {
        auto granted =
            sys::procmgr::grant(transport(), services.procmgr, user::runtime.console, pid.value(), kDriverConsoleSlot);
        if (!granted.ok())
            print("usrinit: {} runs without the console (procmgr.grant: {})\n", name, status_name(granted.error()));
    }
    if (auto started = sys::procmgr::start(transport(), services.procmgr, pid.value()); !started.ok()) {
        print("usrinit: cannot start {}: {}\n", name, status_name(started.error()));
        (void)sys::procmgr::kill(transport(), services.procmgr, pid.value(), -1); // nothing more to do if it fails
        return false;
    }
    return true;
}

// The policy's exceptions: the framebuffer console runs only where sysinit
// reported a framebuffer (`framebuffer=WxH` in usrinit's environment);
// without one the loader would refuse it, and the boot would say so.
bool wanted(const char* driver) {
    return !strings_equal(driver, "fbcon") || user::environment("framebuffer") != nullptr;
}

} // namespace

size_t start_drivers(const Services& services) {
    SharedPage directory, name, path;
    if (make_shared_page(1, &directory) != Error::None || make_shared_page(1, &name) != Error::None ||
        make_shared_page(1, &path) != Error::None) {
        print("usrinit: no memory for paths\n");
        return 0;
    }
    const size_t directory_length = put_path(directory, kDriverDirectory);
    size_t started = 0;
    for (uint64_t index = 0;; ++index) {
        auto length = fs::fs::readdir(transport(), services.fs, directory.slot, name.slot, 0, directory_length, index);
        if (!length.ok()) {
            if (length.error() != ipc::Status(fs::end_of_directory))
                print("usrinit: cannot list {}: {}\n", kDriverDirectory, status_name(length.error()));
            break;
        }
        char driver[kMaxName];
        const size_t n = length.value() < kMaxName - 1 ? length.value() : kMaxName - 1;
        __builtin_memcpy(driver, name.data, n);
        driver[n] = '\0';
        if (!wanted(driver)) continue;
        const uint32_t devices_before = devices(services);
        if (!start_driver(services, driver, path)) continue;
        ++started;
        uint64_t waited = 0;
        for (; waited < kRegisterTicks && devices(services) == devices_before; waited += 5) sleep_ticks(5);
        if (waited >= kRegisterTicks)
            print("usrinit: {} registered no device within {} s\n", driver, kRegisterTicks / 100);
    }
    release(directory);
    release(path);
    release(name);
    return started;
}

} // namespace usrinit
