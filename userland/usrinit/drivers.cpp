// userland/usrinit/drivers.cpp — drivers.hpp.
#include <dev/serial.ipc.hpp>
#include <fs/fs.ipc.hpp>
#include <io/file.ipc.hpp>
#include <lib/format.hpp>
#include <sys/devloader.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/procmgr.ipc.hpp>

#include "drivers.hpp"

namespace usrinit {

namespace fs = vesta::proto::fs;
namespace io = vesta::proto::io;
namespace sys = vesta::proto::sys;
using user::print;

namespace {

constexpr size_t kMaxName = 64;
constexpr size_t kMaxImage = 1 << 20; // 1 MiB: far above any driver

// Writes "DIRECTORY/NAME" (or DIRECTORY alone) into the page; returns its length.
size_t put_path(SharedPage& page, const char* directory, const char* name = nullptr) {
    BufferSink sink(reinterpret_cast<char*>(page.data), page.size);
    if (name)
        format(sink, "{}/{}", directory, name);
    else
        format(sink, "{}", directory);
    return sink.length();
}

uint32_t serial_ports(const Services& services) {
    auto count = sys::devmgr::count(transport(), services.devmgr, proto::dev::serial::kId);
    return count.ok() ? count.value() : 0;
}

// Reads the file at the path in `path` (length `path_length`) into a new
// page; the caller releases it.
ipc::Result<size_t> read_image(const Services& services, SharedPage& path, size_t path_length, SharedPage& info,
                               SharedPage* image) {
    auto kind = fs::fs::stat(transport(), services.fs, path.slot, info.slot, 0, path_length, 0);
    if (!kind.ok()) return kind.error();
    if (kind.value() != fs::node_kind::REGULAR) return fs::is_directory;
    uint64_t size = 0;
    __builtin_memcpy(&size, info.data + 8, sizeof(size));
    if (size == 0 || size > kMaxImage) return sys::bad_image;
    if (const Error e = make_shared_page((size + kPageSize - 1) / kPageSize, image); e != Error::None) return e;
    auto opened = fs::fs::open(transport(), services.fs, path.slot, 0, path_length, fs::open_mode::READ);
    if (!opened.ok()) return opened.error();
    const uint64_t file = opened.value().file;
    size_t done = 0;
    ipc::Status failure;
    while (done < size) {
        auto n = io::file::read(transport(), file, ipc::CapList{{image->slot}, 1}, done, size - done);
        if (!n.ok()) {
            failure = n.error();
            break;
        }
        if (n.value() == 0) break;
        done += n.value();
    }
    user::invoke(user::runtime.cspace, CapabilitySpaceLabel::Delete, file);
    if (!failure.ok()) return failure;
    if (done != size) return Error::Malformed; // the file ended early
    return done;
}

// Starts one driver; true when it runs.
bool start_driver(const Services& services, const char* name, SharedPage& path, SharedPage& info) {
    const size_t path_length = put_path(path, kDriverDirectory, name);
    SharedPage image;
    auto read = read_image(services, path, path_length, info, &image);
    if (!read.ok()) {
        print("usrinit: cannot read {}/{}: {}\n", kDriverDirectory, name, status_name(read.error()));
        release(image);
        return false;
    }
    const ipc::CapList pages{{image.slot}, 1};
    auto pid = sys::procmgr::new_process(transport(), services.procmgr);
    if (!pid.ok()) {
        print("usrinit: no process for {}: {}\n", name, status_name(pid.error()));
        release(image);
        return false;
    }
    auto loaded = sys::devloader::load(transport(), services.devloader, pages, pid.value(), read.value());
    release(image);
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

} // namespace

size_t start_drivers(const Services& services) {
    SharedPage directory, name, path, info;
    if (make_shared_page(1, &directory) != Error::None || make_shared_page(1, &name) != Error::None ||
        make_shared_page(1, &path) != Error::None || make_shared_page(1, &info) != Error::None) {
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
        const uint32_t ports_before = serial_ports(services);
        if (!start_driver(services, driver, path, info)) continue;
        ++started;
        uint64_t waited = 0;
        for (; waited < kRegisterTicks && serial_ports(services) == ports_before; waited += 5) sleep_ticks(5);
        if (waited >= kRegisterTicks)
            print("usrinit: {} registered no serial port within {} s\n", driver, kRegisterTicks / 100);
    }
    release(directory);
    release(path);
    release(name);
    release(info);
    return started;
}

} // namespace usrinit
