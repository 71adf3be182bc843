// userland/tests/protocol/server_file.cpp — the "file" role: io::file over a
// fixed 8 KiB store (fixture.hpp), reading and writing through the caller's
// pages.
#include <io/file.ipc.hpp>

#include "server.hpp"

namespace protocol_server {

namespace io = vesta::proto::io;
using vesta::ipc::Result;
using namespace protocol_fixture;

namespace {

class Store {
public:
    Store() {
        for (size_t i = 0; i < kFileSize; ++i) bytes_[i] = file_byte(i);
    }

    Result<size_t> read(const CapList& pages, uintptr_t buf, size_t amt) {
        const size_t n = min<size_t>(amt, kFileSize - position_);
        auto copied = copy_to_pages(pages, buf, bytes_ + position_, n);
        if (!copied.ok()) return copied.error();
        position_ += copied.value();
        return copied.value();
    }

    Result<size_t> write(const CapList& pages, uintptr_t buf, size_t amt) {
        const size_t n = min<size_t>(amt, kFileSize - position_);
        auto copied = copy_from_pages(pages, buf, bytes_ + position_, n);
        if (!copied.ok()) return copied.error();
        position_ += copied.value();
        return copied.value();
    }

    Result<uint64_t> seek(int64_t offset, io::whence from) {
        int64_t base = 0;
        if (from == io::whence::CUR) base = static_cast<int64_t>(position_);
        if (from == io::whence::END) base = static_cast<int64_t>(kFileSize);
        const int64_t target = base + offset;
        if (target < 0 || target > static_cast<int64_t>(kFileSize)) return io::bad_offset;
        position_ = static_cast<size_t>(target);
        return static_cast<uint64_t>(target);
    }

private:
    uint8_t bytes_[kFileSize];
    size_t position_ = 0;
};
static_assert(io::file::Server<Store>);

} // namespace

Error serve_file(ServerLoop& loop) {
    static Store store; // 8 KiB: not on the stack
    return loop.run(
        [&](uint64_t, const ipc::Message& request, ipc::Message& reply) { io::file::dispatch(store, request, reply); });
}

} // namespace protocol_server
