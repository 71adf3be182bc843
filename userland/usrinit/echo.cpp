// userland/usrinit/echo.cpp — echo.hpp.
#include <dev/serial.ipc.hpp>
#include <io/file.ipc.hpp>
#include <sys/devmgr.ipc.hpp>

#include "echo.hpp"
#include "line_echo.hpp"

namespace usrinit {

namespace io = vesta::proto::io;
namespace sys = vesta::proto::sys;
using user::print;

namespace {

constexpr char kBanner[] = "usrinit: serial0 echoes what you type (Enter ends a line)\r\n> ";

ipc::Result<size_t> send(uint64_t device, SharedPage& page, const uint8_t* bytes, size_t n) {
    __builtin_memcpy(page.data, bytes, n);
    size_t done = 0;
    while (done < n) {
        auto written = io::file::write(transport(), device, ipc::CapList{{page.slot}, 1}, done, n - done);
        if (!written.ok()) return written.error();
        if (written.value() == 0) return io::io_error;
        done += written.value();
    }
    return done;
}

} // namespace

ipc::Status echo(const Services& services) {
    auto opened = sys::devmgr::open(transport(), services.devmgr, proto::dev::serial::kId, 0);
    if (!opened.ok()) {
        print("usrinit: cannot open serial0: {}\n", status_name(opened.error()));
        return opened.error();
    }
    const uint64_t device = opened.value().device;
    SharedPage in, out;
    if (const Error e = make_shared_page(1, &in); e != Error::None) return e;
    if (const Error e = make_shared_page(1, &out); e != Error::None) return e;
    print("usrinit: echoing on serial0\n");
    auto banner = send(device, out, reinterpret_cast<const uint8_t*>(kBanner), sizeof(kBanner) - 1);
    if (!banner.ok()) return banner.error();
    constexpr size_t kChunk = 1024; // its echo fits the out page
    uint8_t echoed[kMaxEchoPerByte * kChunk];
    for (;;) {
        auto n = io::file::read(transport(), device, ipc::CapList{{in.slot}, 1}, 0, kChunk);
        if (!n.ok()) {
            print("usrinit: reading serial0 failed: {}\n", status_name(n.error()));
            return n.error();
        }
        const size_t m = echo_bytes(in.data, n.value(), echoed);
        auto sent = send(device, out, echoed, m);
        if (!sent.ok()) {
            print("usrinit: writing serial0 failed: {}\n", status_name(sent.error()));
            return sent.error();
        }
    }
}

} // namespace usrinit
