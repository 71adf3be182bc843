// userland/sysinit/filesystem.cpp — fs::fs and io::file over the initramfs
// (filesystem.hpp).
#include "filesystem.hpp"

#include "sysinit.hpp"

namespace sysinit {

using namespace vesta;
namespace fsp = vesta::proto::fs;
namespace io = vesta::proto::io;
using ipc::Result;

namespace {

constexpr uint32_t kGenerationMask = 0xff'ffff;
constexpr uint32_t file_id(size_t index, uint32_t generation) {
    return (generation & kGenerationMask) << 8 | static_cast<uint32_t>(index);
}

ipc::CapList one(ipc::Slot slot) {
    ipc::CapList list;
    list.slots[0] = slot;
    list.count = 1;
    return list;
}

} // namespace

void Filesystem::serve(uint32_t client, const ipc::Message& request, ipc::Message& reply) {
    client_ = client;
    if (!fsp::fs::dispatch(*this, request, reply)) ipc::set_error_reply(reply, Error::NotSupported);
}

void Filesystem::serve_file(uint32_t file, const ipc::Message& request, ipc::Message& reply) {
    current_ = file_of(file);
    if (!current_) {
        ipc::set_error_reply(reply, Error::InvalidCapability); // closed (its owner ended, or evicted)
        return;
    }
    current_->last_use = ++clock_;
    if (!io::file::dispatch(*this, request, reply)) ipc::set_error_reply(reply, Error::NotSupported);
    current_ = nullptr;
}

void Filesystem::close_files_of(uint32_t pid) {
    for (OpenFile& file : files_)
        if (file.used && file.owner == pid) file.used = false;
}

size_t Filesystem::open_count() const {
    size_t n = 0;
    for (const OpenFile& file : files_) n += file.used;
    return n;
}

Filesystem::OpenFile* Filesystem::file_of(uint32_t id) {
    const size_t index = id & 0xff;
    if (index >= kMaxOpenFiles) return nullptr;
    OpenFile& file = files_[index];
    if (!file.used || file_id(index, file.generation) != id) return nullptr;
    return &file;
}

Result<uint16_t> Filesystem::resolve(ipc::Slot page, size_t offset, size_t length) {
    if (length == 0 || length > bootfs::kMaxPath) return fsp::bad_path;
    char bytes[bootfs::kMaxPath];
    const size_t copied = TRY(copy_from_pages(window_, one(page), offset, bytes, length));
    if (copied != length) return Error::OutOfRange;
    auto path = bootfs::parse_path(bytes, length);
    if (!path.ok()) return fsp::bad_path;
    auto node = tree_.lookup(path.value());
    if (!node.ok()) return node.error() == bootfs::LookupError::NotFound ? fsp::not_found : fsp::not_directory;
    return node.value();
}

Result<fsp::fs::open_reply> Filesystem::open(ipc::Slot path, size_t path_offset, size_t path_length,
                                             fsp::open_mode mode) {
    const uint16_t node = TRY(resolve(path, path_offset, path_length));
    if (tree_.node(node).kind == bootfs::Kind::Directory) return fsp::is_directory;
    if (mode != fsp::open_mode::READ) return fsp::denied;
    // A free entry, else the least recently used one (io::file has no close).
    size_t chosen = 0;
    for (size_t i = 0; i < kMaxOpenFiles; ++i) {
        if (!files_[i].used) {
            chosen = i;
            break;
        }
        if (files_[i].last_use < files_[chosen].last_use) chosen = i;
    }
    OpenFile& file = files_[chosen];
    const uint32_t generation = (file.generation + 1) & kGenerationMask;
    const uint64_t capability = TRY(mint(make_badge(BadgeKind::File, file_id(chosen, generation))));
    loop_.release_after_reply(capability); // the client gets its own copy
    file = OpenFile{true, generation, client_, node, 0, ++clock_};
    return fsp::fs::open_reply{capability};
}

Result<fsp::node_kind> Filesystem::stat(ipc::Slot path, ipc::Slot info, size_t path_offset, size_t path_length,
                                        size_t info_offset) {
    const uint16_t node = TRY(resolve(path, path_offset, path_length));
    const bootfs::Node& found = tree_.node(node);
    const fsp::node_kind kind =
        found.kind == bootfs::Kind::Directory ? fsp::node_kind::DIRECTORY : fsp::node_kind::REGULAR;
    const uint64_t words[2] = {static_cast<uint64_t>(kind), found.size};
    const size_t copied = TRY(copy_to_pages(window_, one(info), info_offset, words, sizeof(words)));
    if (copied != sizeof(words)) return Error::OutOfRange;
    return kind;
}

Result<size_t> Filesystem::readdir(ipc::Slot path, ipc::Slot name, size_t path_offset, size_t path_length,
                                   uint64_t index) {
    const uint16_t node = TRY(resolve(path, path_offset, path_length));
    if (tree_.node(node).kind != bootfs::Kind::Directory) return fsp::not_directory;
    uint16_t child = 0;
    if (!tree_.child(node, index, &child)) return fsp::end_of_directory;
    size_t length = 0;
    const char* leaf = tree_.leaf_of(child, &length);
    const size_t copied = TRY(copy_to_pages(window_, one(name), 0, leaf, length));
    if (copied != length) return Error::OutOfRange;
    return length;
}

Result<size_t> Filesystem::read(const ipc::CapList& pages, uintptr_t buf, size_t amt) {
    const bootfs::Node& node = tree_.node(current_->node);
    const size_t n = min<uint64_t>(amt, node.size - current_->position);
    if (n == 0) return size_t{0};
    const size_t copied = TRY(copy_to_pages(window_, pages, buf, node.data + current_->position, n));
    current_->position += copied;
    return copied;
}

Result<size_t> Filesystem::write(const ipc::CapList&, uintptr_t, size_t) { return Error::MissingRights; }

Result<uint64_t> Filesystem::seek(int64_t offset, io::whence from) {
    const auto size = static_cast<int64_t>(tree_.node(current_->node).size); // < 2^63: it lies in the archive
    const int64_t base = from == io::whence::SET   ? 0
                         : from == io::whence::CUR ? static_cast<int64_t>(current_->position)
                                                   : size;
    int64_t target = 0;
    if (__builtin_add_overflow(base, offset, &target) || target < 0 || target > size) return io::bad_offset;
    current_->position = static_cast<uint64_t>(target);
    return current_->position;
}

} // namespace sysinit
