// userland/showkey — prints what keys type, like Linux's showkey -a: opens
// keyboard 0 (dev::keyboard) through sys::devmgr, reads it, and prints the
// bytes of each read in hex on its standard output, one line per key read
// (docs/shell.md). `showkey` stops after 10 keys, `showkey N` after N
// (1–1000). A bad N is a message and status 2; no devmgr, no keyboard or a
// failed read, a message and status 1.
//
// Reads ask for kMaxKeyBytes (4) bytes at most, so each read returns one
// key's whole sequence (the driver never splits one, and an arrow key's is
// 3 bytes, Delete's 4): a line is one key.
#include <dev/keyboard.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <user/runtime.hpp>
#include <vesta/ipc/syscall_transport.hpp>

using namespace vesta;
using namespace vesta::user;
namespace sys = vesta::proto::sys;
namespace io = vesta::proto::io;

namespace {

constexpr uint64_t kDefaultKeys = 10, kMaxKeys = 1000;
constexpr size_t kMaxKeyBytes = 4; // keyboard::kMaxKeyBytes

// N from "N": 1 to kMaxKeys, or 0 for anything else.
uint64_t count_of(const char* text) {
    uint64_t value = 0;
    if (!text || !*text) return 0;
    for (; *text; ++text) {
        if (*text < '0' || *text > '9') return 0;
        value = value * 10 + static_cast<uint64_t>(*text - '0');
        if (value > kMaxKeys) return 0;
    }
    return value;
}

const char* status_text(ipc::Status status) {
    if (!status.is_protocol_error()) return error_name(status.abi_error());
    if (status.protocol_error() == sys::no_device) return "no such device (is there a keyboard?)";
    if (status.protocol_error() == sys::restarting) return "its driver is restarting";
    if (status.protocol_error() == io::busy) return "another program is reading it";
    return "a protocol error";
}

} // namespace

void main(uint64_t) {
    uint64_t keys = kDefaultKeys;
    if (argument_count() > 2 || (argument_count() == 2 && (keys = count_of(argument(1))) == 0)) {
        out("usage: showkey [N]  (print the bytes of the next N keys, 1-{}; default {})\n", kMaxKeys, kDefaultKeys);
        exit(2);
    }
    const uint64_t devmgr = service(sys::devmgr::kId);
    if (devmgr == kNoSlot) {
        out("showkey: no sys::devmgr in the start-up block: cannot open the keyboard\n");
        exit(1);
    }
    ipc::SyscallTransport transport(runtime.ipc_buffer);
    auto opened = sys::devmgr::open(transport, devmgr, proto::dev::keyboard::kId, 0);
    if (!opened.ok()) {
        out("showkey: cannot open keyboard0: {}\n", status_text(opened.error()));
        exit(1);
    }
    const uint64_t keyboard = opened.value().device;
    uint64_t page_address = 0, page = kNoSlot;
    if (const Error e = map_new_pages(1, rights::kRead | rights::kWrite, &page_address, &page); e != Error::None) {
        out("showkey: no memory for a buffer: {}\n", error_name(e));
        exit(1);
    }
    const auto* bytes = reinterpret_cast<const uint8_t*>(page_address);
    out("showkey: reading {} key{} from keyboard0\n", keys, keys == 1 ? "" : "s");
    for (uint64_t key = 0; key < keys; ++key) {
        auto n = io::file::read(transport, keyboard, ipc::CapList{{page}, 1}, 0, kMaxKeyBytes);
        if (!n.ok()) {
            out("showkey: reading keyboard0 failed: {}\n", status_text(n.error()));
            exit(1);
        }
        // "1b 5b 41": two lower-case hex digits a byte, one space apart.
        static constexpr char kDigits[] = "0123456789abcdef";
        char line[3 * kMaxKeyBytes + 1];
        size_t length = 0;
        for (size_t i = 0; i < n.value() && i < kMaxKeyBytes; ++i) {
            if (i) line[length++] = ' ';
            line[length++] = kDigits[bytes[i] >> 4];
            line[length++] = kDigits[bytes[i] & 15];
        }
        line[length++] = '\n';
        write_out(line, length);
    }
}
