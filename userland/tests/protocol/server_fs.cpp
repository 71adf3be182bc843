// userland/tests/protocol/server_fs.cpp — the "fs" role: fs::fs over a tiny
// fixed tree (fixture.hpp). Paths come in the caller's page; open() answers
// with a badged copy of the server's own endpoint, and calls on that badge
// speak io::file for the file opened.
#include <fs/fs.ipc.hpp>
#include <io/file.ipc.hpp>

#include "server.hpp"

namespace protocol_server {

namespace fsp = vesta::proto::fs;
namespace io = vesta::proto::io;
using vesta::ipc::Result;
using namespace protocol_fixture;

namespace {

struct Node {
    const char* name;
    fsp::node_kind kind;
    int parent;
    const char* text; // regular files
};
constexpr Node kTree[] = {
    {"", fsp::node_kind::DIRECTORY, -1, nullptr},
    {"hello.txt", fsp::node_kind::REGULAR, 0, kHelloText},
    {"dev", fsp::node_kind::DIRECTORY, 0, nullptr},
    {"serial0", fsp::node_kind::DEVICE, 2, nullptr},
};
constexpr int kNodeCount = sizeof(kTree) / sizeof(kTree[0]);

size_t text_length(const char* text) {
    size_t n = 0;
    while (text && text[n]) ++n;
    return n;
}

bool component_is(const char* component, size_t length, const char* name) {
    for (size_t i = 0; i < length; ++i)
        if (name[i] != component[i]) return false;
    return name[length] == '\0';
}

class Filesystem {
public:
    Filesystem(ServerLoop& loop, uint64_t endpoint) : loop_(loop), endpoint_(endpoint) {}

    // fs::fs
    Result<fsp::fs::open_reply> open(ipc::Slot path, size_t path_offset, size_t path_length, fsp::open_mode mode) {
        const int node = TRY(lookup(path, path_offset, path_length));
        if (kTree[node].kind == fsp::node_kind::DIRECTORY) return fsp::is_directory;
        if (kTree[node].kind != fsp::node_kind::REGULAR || mode != fsp::open_mode::READ) return fsp::denied;
        size_t index = 0;
        while (index < kMaxOpen && open_[index].used) ++index;
        if (index == kMaxOpen) return Error::OutOfMemory;
        const InvokeResult copy = invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, endpoint_,
                                         rights::kWrite | rights::kGrant, kFileBadgeBase + index);
        if (copy.error != Error::None) return copy.error;
        loop_.release_after_reply(copy.words[0]); // the client gets its own copy
        open_[index] = OpenFile{true, node, 0};
        return fsp::fs::open_reply{copy.words[0]};
    }

    Result<fsp::node_kind> stat(ipc::Slot path, ipc::Slot info, size_t path_offset, size_t path_length,
                                size_t info_offset) {
        const int node = TRY(lookup(path, path_offset, path_length));
        const uint64_t words[2] = {static_cast<uint64_t>(kTree[node].kind), text_length(kTree[node].text)};
        CapList page;
        page.slots[0] = info;
        page.count = 1;
        auto copied = copy_to_pages(page, info_offset, words, sizeof(words));
        if (!copied.ok()) return copied.error();
        if (copied.value() != sizeof(words)) return Error::OutOfRange;
        return kTree[node].kind;
    }

    Result<size_t> readdir(ipc::Slot path, ipc::Slot name, size_t path_offset, size_t path_length, uint64_t index) {
        const int node = TRY(lookup(path, path_offset, path_length));
        if (kTree[node].kind != fsp::node_kind::DIRECTORY) return fsp::not_directory;
        for (int child = 0; child < kNodeCount; ++child) {
            if (kTree[child].parent != node || index-- != 0) continue;
            CapList page;
            page.slots[0] = name;
            page.count = 1;
            auto copied = copy_to_pages(page, 0, kTree[child].name, text_length(kTree[child].name));
            if (!copied.ok()) return copied.error();
            return copied.value();
        }
        return fsp::end_of_directory;
    }

    // io::file on the badge of an open file (Files below).
    struct OpenFile {
        bool used;
        int node;
        size_t position;
    };
    OpenFile* file_of(uint64_t badge) {
        if (badge < kFileBadgeBase || badge >= kFileBadgeBase + kMaxOpen) return nullptr;
        OpenFile* file = &open_[badge - kFileBadgeBase];
        return file->used ? file : nullptr;
    }

private:
    static constexpr size_t kMaxOpen = 8;

    // The node a path names: '/'-separated components from the root (a
    // leading '/' is optional; empty components are skipped).
    Result<int> lookup(ipc::Slot page, size_t offset, size_t length) {
        if (length == 0 || length > kMaxPath) return fsp::bad_path;
        char path[kMaxPath];
        CapList pages;
        pages.slots[0] = page;
        pages.count = 1;
        auto copied = copy_from_pages(pages, offset, path, length);
        if (!copied.ok()) return copied.error();
        if (copied.value() != length) return fsp::bad_path;
        int node = 0;
        for (size_t i = 0; i < length;) {
            if (path[i] == '/') {
                ++i;
                continue;
            }
            size_t end = i;
            while (end < length && path[end] != '/') {
                if (path[end] == '\0') return fsp::bad_path;
                ++end;
            }
            if (kTree[node].kind != fsp::node_kind::DIRECTORY) return fsp::not_directory;
            int next = -1;
            for (int child = 0; child < kNodeCount && next < 0; ++child)
                if (kTree[child].parent == node && component_is(path + i, end - i, kTree[child].name)) next = child;
            if (next < 0) return fsp::not_found;
            node = next;
            i = end;
        }
        return node;
    }

    ServerLoop& loop_;
    uint64_t endpoint_;
    OpenFile open_[kMaxOpen] = {};
};
static_assert(fsp::fs::Server<Filesystem>);

// io::file for the open file whose badge the call in hand carries.
class Files {
public:
    Files(ServerLoop& loop, Filesystem& fs) : loop_(loop), fs_(fs) {}

    Result<size_t> read(const CapList& pages, uintptr_t buf, size_t amt) {
        Filesystem::OpenFile* file = fs_.file_of(loop_.badge());
        const char* text = kTree[file->node].text;
        const size_t size = text_length(text);
        const size_t n = min<size_t>(amt, size - file->position);
        if (n == 0) return size_t{0};
        auto copied = copy_to_pages(pages, buf, text + file->position, n);
        if (!copied.ok()) return copied.error();
        file->position += copied.value();
        return copied.value();
    }
    Result<size_t> write(const CapList&, uintptr_t, size_t) { return io::io_error; } // read-only files
    Result<uint64_t> seek(int64_t offset, io::whence from) {
        Filesystem::OpenFile* file = fs_.file_of(loop_.badge());
        const auto size = static_cast<int64_t>(text_length(kTree[file->node].text));
        const int64_t base = from == io::whence::SET ? 0 : from == io::whence::CUR ? int64_t(file->position) : size;
        if (base + offset < 0 || base + offset > size) return io::bad_offset;
        file->position = static_cast<size_t>(base + offset);
        return static_cast<uint64_t>(file->position);
    }

private:
    ServerLoop& loop_;
    Filesystem& fs_;
};
static_assert(io::file::Server<Files>);

} // namespace

Error serve_fs(ServerLoop& loop, uint64_t endpoint) {
    static Filesystem fs(loop, endpoint);
    static Files files(loop, fs);
    return loop.run([&](uint64_t badge, const ipc::Message& request, ipc::Message& reply) {
        if (badge == 0)
            fsp::fs::dispatch(fs, request, reply);
        else if (fs.file_of(badge))
            io::file::dispatch(files, request, reply);
        else
            ipc::set_error_reply(reply, Error::InvalidCapability);
    });
}

} // namespace protocol_server
