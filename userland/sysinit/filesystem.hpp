// userland/sysinit/filesystem.hpp — the bootstrap filesystem: fs::fs over
// the initramfs tree (bootfs_tree.hpp) and io::file for each open file
// (docs/userland.md, "Bootstrap filesystem").
//
// Contracts:
// - Read-only: opening with WRITE or READ_WRITE is fs::denied, and
//   io::file.write on an open file is MissingRights (the protocol declares
//   no "read-only" error for write).
// - Errors in this order: the arguments' pages (OutOfRange when the path or
//   the info/name bytes do not fit them; the mapping's errors), bad_path
//   (bootfs::parse_path's rules), not_found / not_directory (the lookup),
//   then the call's own: is_directory (open of a directory), denied,
//   end_of_directory, not_directory (readdir of a file).
// - An open file is a badged capability to sysinit's endpoint (BadgeKind::
//   File: table index and generation). It belongs to the process the fs
//   capability was minted for and closes when that process ends. io::file
//   has no close, so when all kMaxOpenFiles entries are in use the least
//   recently used one is closed for the new one; a call through a closed
//   file's capability answers InvalidCapability.
// - Nodes are REGULAR or DIRECTORY; stat reports a directory's size as 0.
#pragma once

#include <fs/fs.ipc.hpp>
#include <io/file.ipc.hpp>
#include <vesta/ipc/server_loop.hpp>

#include "bootfs_tree.hpp"
#include "page_window.hpp"

namespace sysinit {

class Filesystem {
public:
    static constexpr size_t kMaxOpenFiles = 64;

    Filesystem(const bootfs::Tree& tree, PageWindow& window, vesta::ipc::ServerLoop& loop)
        : tree_(tree), window_(window), loop_(loop) {}

    // One call on an fs::fs capability minted for process `client`.
    void serve(uint32_t client, const vesta::ipc::Message& request, vesta::ipc::Message& reply);
    // One call on an open file's capability (its badge's id).
    void serve_file(uint32_t file, const vesta::ipc::Message& request, vesta::ipc::Message& reply);
    // Process `pid` ended: its files close.
    void close_files_of(uint32_t pid);
    size_t open_count() const;

    // The node the path in `page` names (bad_path, not_found, not_directory,
    // OutOfRange, the mapping's errors).
    vesta::ipc::Result<uint16_t> resolve(vesta::ipc::Slot page, size_t offset, size_t length);

    // --- fs::fs (generated dispatch calls these).
    vesta::ipc::Result<vesta::proto::fs::fs::open_reply> open(vesta::ipc::Slot path, size_t path_offset,
                                                              size_t path_length, vesta::proto::fs::open_mode mode);
    vesta::ipc::Result<vesta::proto::fs::node_kind> stat(vesta::ipc::Slot path, vesta::ipc::Slot info,
                                                         size_t path_offset, size_t path_length, size_t info_offset);
    vesta::ipc::Result<size_t> readdir(vesta::ipc::Slot path, vesta::ipc::Slot name, size_t path_offset,
                                       size_t path_length, uint64_t index);

    // --- io::file on the open file in hand.
    vesta::ipc::Result<size_t> read(const vesta::ipc::CapList& pages, uintptr_t buf, size_t amt);
    vesta::ipc::Result<size_t> write(const vesta::ipc::CapList& pages, uintptr_t buf, size_t amt);
    vesta::ipc::Result<uint64_t> seek(int64_t offset, vesta::proto::io::whence from);

private:
    struct OpenFile {
        bool used = false;
        uint32_t generation = 0; // 24 bits, in the badge
        uint32_t owner = 0;      // pid
        uint16_t node = 0;
        uint64_t position = 0;
        uint64_t last_use = 0;
    };

    OpenFile* file_of(uint32_t id);

    const bootfs::Tree& tree_;
    PageWindow& window_;
    vesta::ipc::ServerLoop& loop_;
    OpenFile files_[kMaxOpenFiles];
    uint64_t clock_ = 0;
    uint32_t client_ = 0;         // the process whose fs::fs call is in hand
    OpenFile* current_ = nullptr; // the open file whose io::file call is in hand
};

} // namespace sysinit
