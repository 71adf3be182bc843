// userland/lib/output.cpp — standard output (runtime.hpp: write_out, out):
// an io::file stream the start-up block names (Role::Stdout), else the
// Console.
#include <io/file.ipc.hpp>
#include <user/runtime.hpp>
#include <vesta/ipc/syscall_transport.hpp>

namespace vesta::user {

namespace {

namespace io = vesta::proto::io;

// The page the stream's server copies from, mapped on first use.
uint64_t out_page = kNoSlot;
char* out_bytes = nullptr;

// Sends `n` bytes of the page to the stream; false when the stream failed.
bool send_page(size_t n) {
    ipc::SyscallTransport transport(runtime.ipc_buffer);
    size_t done = 0;
    while (done < n) {
        auto written = io::file::write(transport, runtime.output, ipc::CapList{{out_page}, 1}, done, n - done);
        if (!written.ok() || written.value() == 0) return false;
        done += written.value();
    }
    return true;
}

} // namespace

void write_out(const char* text, size_t length) {
    if (runtime.output != kNoSlot && !out_bytes && runtime.ipc_buffer) {
        uint64_t address = 0;
        if (map_new_pages(1, rights::kRead | rights::kWrite, &address, &out_page) == Error::None)
            out_bytes = reinterpret_cast<char*>(address);
    }
    if (runtime.output == kNoSlot || !out_bytes) {
        write(text, length);
        return;
    }
    // Chunks of at most a page, LF as CR LF.
    size_t i = 0;
    while (i < length) {
        size_t n = 0;
        for (; i < length && n + 2 <= kPageSize; ++i) {
            if (text[i] == '\n') out_bytes[n++] = '\r';
            out_bytes[n++] = text[i];
        }
        if (!send_page(n)) {
            runtime.output = kNoSlot; // the stream is gone: the Console from here
            write(text, length);
            return;
        }
    }
}

} // namespace vesta::user
