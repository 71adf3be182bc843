// userland/sysinit/bootfs_tree.hpp — the bootstrap filesystem's tree: the
// initramfs (a ustar archive) seen as directories and files, and the paths
// clients name them by (docs/userland.md, "Bootstrap filesystem").
//
// Portable and allocation-free: sysinit serves fs::fs over it, and the host
// tests (test/unit/userland/sysinit/) build it from archives made in memory.
//
// Paths (parse_path): UTF-8 bytes, at most kMaxPath of them, components
// separated by single '/'. A leading '/' is optional ("/drivers/pl011" and
// "drivers/pl011" name the same file) and "/" alone is the root; one trailing
// '/' asks for a directory ("sysinit/" is not_directory). Refused, each with
// its own PathError: an empty path, one longer than kMaxPath, a NUL byte,
// bytes that are not UTF-8 (overlong forms and surrogates included), a
// doubled '/' anywhere ("a//b", "//"), and "." or ".." components (the tree
// has no current directory and no way up).
//
// The tree (Tree::build): every regular file of the archive (types '0' and
// '7') is a file; directory entries (type '5') are directories, and so is
// every prefix of a name (a/b/c implies a and a/b). The root always exists.
// Other entry types (links, devices, FIFOs) are left out. Children are
// listed in archive order. An archive that is malformed, names an entry with
// a path the rules above refuse, has a name that is both a file and a
// directory, or the same file twice, is refused with a BuildProblem that
// names the entry.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/result.hpp>
#include <lib/tar.hpp>

namespace sysinit::bootfs {

inline constexpr size_t kMaxPath = 255;     // bytes of a path, as clients send it
inline constexpr size_t kMaxNodes = 256;    // files and directories, the root included
inline constexpr size_t kNameBytes = 16384; // the nodes' full paths, NUL-terminated

enum class PathError : uint8_t {
    None,
    Empty,          // no bytes at all
    TooLong,        // more than kMaxPath bytes
    NulByte,        // a NUL inside the path
    BadUtf8,        // not valid UTF-8
    EmptyComponent, // a doubled '/'
    DotComponent,   // a "." or ".." component
};
const char* message(PathError error);

// A path parse_path accepted: its components joined by '/', without a
// leading or trailing '/' ("" is the root), NUL-terminated.
struct Path {
    char text[kMaxPath + 1];
    size_t length;
    bool wants_directory; // it ended with '/'
};

vesta::Result<Path, PathError> parse_path(const char* bytes, size_t length);

enum class Kind : uint8_t { Regular, Directory };

struct Node {
    uint32_t name_offset = 0; // its full path in the tree's name storage
    uint16_t name_length = 0;
    uint16_t parent = 0; // the root is its own parent
    Kind kind = Kind::Regular;
    const uint8_t* data = nullptr; // regular files: the bytes inside the archive
    uint64_t size = 0;
};

enum class BuildError : uint8_t {
    None,
    Archive,          // the archive is malformed (BuildProblem::archive says how)
    BadName,          // an entry's name breaks the path rules (BuildProblem::path)
    FileAndDirectory, // a name is a file and a directory (a file "a" and an entry "a/b")
    DuplicateFile,    // two regular files with one name
    RootIsFile,       // a regular file whose name is the root ("./")
    TooManyNodes,     // more than kMaxNodes files and directories
    NamesTooLong,     // the full paths exceed kNameBytes
};

// What Tree::build refused, for a message: the error, the entry's name and
// index in the archive, and the detail of Archive and BadName.
struct BuildProblem {
    BuildError error = BuildError::None;
    vesta::tar::Error archive = vesta::tar::Error::None;
    PathError path = PathError::None;
    size_t entry_index = 0;
    char entry[vesta::tar::kMaxName + 1] = {};
};
// "entry 3 'a/b': <reason>" (or the archive's message), NUL-terminated in
// `out`; returns the length written.
size_t format_problem(const BuildProblem& problem, char* out, size_t size);

enum class LookupError : uint8_t {
    None,
    NotFound,     // nothing at the path (or at one of its prefixes)
    NotDirectory, // a prefix is a file, or a trailing '/' follows a file
};

class Tree {
public:
    static constexpr uint16_t kRoot = 0;

    // Reads `archive` (`size` bytes; a tar image) into the tree, replacing
    // what it held. On failure the tree holds only the root and `*problem`
    // (if given) says what was refused.
    vesta::Result<void, BuildError> build(const void* archive, size_t size, BuildProblem* problem);

    size_t node_count() const { return count_; }
    const Node& node(uint16_t index) const { return nodes_[index]; }
    // The node's full path ("" for the root), NUL-terminated.
    const char* path_of(uint16_t index) const { return names_ + nodes_[index].name_offset; }
    // The node's last component and its length ("" for the root).
    const char* leaf_of(uint16_t index, size_t* length) const;

    // The node `path` names.
    vesta::Result<uint16_t, LookupError> lookup(const Path& path) const;
    // The `position`-th child of directory `directory`, in archive order;
    // false past the last (or for a file).
    bool child(uint16_t directory, uint64_t position, uint16_t* out) const;

private:
    // The node whose full path is `name` (`length` bytes), or -1.
    int find(const char* name, size_t length) const;
    // The directory at `name`, made (with its parents) if missing.
    vesta::Result<uint16_t, BuildError> directory(const char* name, size_t length, BuildProblem* problem);
    vesta::Result<uint16_t, BuildError> add(const char* name, size_t length, uint16_t parent, Kind kind);
    void reset();

    Node nodes_[kMaxNodes];
    size_t count_ = 0;
    char names_[kNameBytes] = {};
    size_t names_used_ = 0;
};

} // namespace sysinit::bootfs
