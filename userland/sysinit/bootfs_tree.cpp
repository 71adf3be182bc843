// userland/sysinit/bootfs_tree.cpp — paths and the initramfs tree (bootfs_tree.hpp).
#include "bootfs_tree.hpp"

#include <lib/format.hpp>

namespace sysinit::bootfs {

using vesta::Result;

namespace {

// Length of the UTF-8 sequence starting at bytes[i] (1-4), or 0 when it is
// not valid: a stray continuation byte, an overlong form, a surrogate, a
// value above U+10FFFF, or a sequence cut by the end.
size_t utf8_sequence(const uint8_t* bytes, size_t length, size_t i) {
    const uint8_t lead = bytes[i];
    if (lead < 0x80) return 1;
    size_t count = 0;
    uint8_t low = 0x80, high = 0xbf; // the range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
        count = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        count = 3;
        if (lead == 0xe0) low = 0xa0;  // overlong
        if (lead == 0xed) high = 0x9f; // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        count = 4;
        if (lead == 0xf0) low = 0x90;  // overlong
        if (lead == 0xf4) high = 0x8f; // beyond U+10FFFF
    } else {
        return 0; // a continuation byte, 0xc0, 0xc1 or 0xf5-0xff
    }
    if (length - i < count) return 0;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return 0;
    for (size_t k = 2; k < count; ++k)
        if ((bytes[i + k] & 0xc0) != 0x80) return 0;
    return count;
}

bool same(const char* a, size_t a_length, const char* b, size_t b_length) {
    if (a_length != b_length) return false;
    for (size_t i = 0; i < a_length; ++i)
        if (a[i] != b[i]) return false;
    return true;
}

const char* build_message(BuildError error) {
    switch (error) {
    case BuildError::None: return "no error";
    case BuildError::Archive: return "malformed archive";
    case BuildError::BadName: return "a name the bootstrap filesystem cannot serve";
    case BuildError::FileAndDirectory: return "the name is both a file and a directory";
    case BuildError::DuplicateFile: return "a second file of this name";
    case BuildError::RootIsFile: return "a regular file in place of the root directory";
    case BuildError::TooManyNodes: return "more files and directories than the tree holds (256)";
    case BuildError::NamesTooLong: return "the paths exceed the tree's name storage (16 KiB)";
    }
    return "unknown error";
}

} // namespace

const char* message(PathError error) {
    switch (error) {
    case PathError::None: return "no error";
    case PathError::Empty: return "the path is empty";
    case PathError::TooLong: return "the path is longer than 255 bytes";
    case PathError::NulByte: return "the path holds a NUL byte";
    case PathError::BadUtf8: return "the path is not valid UTF-8";
    case PathError::EmptyComponent: return "the path has a doubled '/'";
    case PathError::DotComponent: return "the path has a '.' or '..' component";
    }
    return "unknown path error";
}

Result<Path, PathError> parse_path(const char* bytes, size_t length) {
    if (length == 0) return PathError::Empty;
    if (length > kMaxPath) return PathError::TooLong;
    const auto* raw = reinterpret_cast<const uint8_t*>(bytes);
    for (size_t i = 0; i < length;) {
        if (raw[i] == 0) return PathError::NulByte;
        const size_t n = utf8_sequence(raw, length, i);
        if (n == 0) return PathError::BadUtf8;
        i += n;
    }
    for (size_t i = 1; i < length; ++i)
        if (bytes[i] == '/' && bytes[i - 1] == '/') return PathError::EmptyComponent;
    size_t start = bytes[0] == '/' ? 1 : 0;
    size_t end = length;
    Path path{};
    if (bytes[end - 1] == '/') {
        path.wants_directory = true;
        if (end > start) --end;
    }
    for (size_t i = start; i < end;) {
        size_t stop = i;
        while (stop < end && bytes[stop] != '/') ++stop;
        const size_t n = stop - i;
        if ((n == 1 && bytes[i] == '.') || (n == 2 && bytes[i] == '.' && bytes[i + 1] == '.'))
            return PathError::DotComponent;
        i = stop + 1;
    }
    for (size_t i = start; i < end; ++i) path.text[path.length++] = bytes[i];
    path.text[path.length] = '\0';
    return path;
}

size_t format_problem(const BuildProblem& problem, char* out, size_t size) {
    vesta::BufferSink sink(out, size);
    if (problem.error == BuildError::Archive) {
        vesta::format(sink, "archive: {}", vesta::tar::message(problem.archive));
    } else if (problem.error == BuildError::BadName) {
        vesta::format(sink, "entry {} '{}': {}", problem.entry_index, static_cast<const char*>(problem.entry),
                      message(problem.path));
    } else {
        vesta::format(sink, "entry {} '{}': {}", problem.entry_index, static_cast<const char*>(problem.entry),
                      build_message(problem.error));
    }
    return sink.length();
}

void Tree::reset() {
    count_ = 1;
    names_used_ = 1; // the root's name: "" at offset 0
    names_[0] = '\0';
    nodes_[kRoot] = Node{0, 0, kRoot, Kind::Directory, nullptr, 0};
}

int Tree::find(const char* name, size_t length) const {
    for (size_t i = 0; i < count_; ++i)
        if (same(names_ + nodes_[i].name_offset, nodes_[i].name_length, name, length)) return static_cast<int>(i);
    return -1;
}

Result<uint16_t, BuildError> Tree::add(const char* name, size_t length, uint16_t parent, Kind kind) {
    if (count_ == kMaxNodes) return BuildError::TooManyNodes;
    if (length + 1 > kNameBytes - names_used_) return BuildError::NamesTooLong;
    Node& node = nodes_[count_];
    node = Node{static_cast<uint32_t>(names_used_), static_cast<uint16_t>(length), parent, kind, nullptr, 0};
    for (size_t i = 0; i < length; ++i) names_[names_used_++] = name[i];
    names_[names_used_++] = '\0';
    return static_cast<uint16_t>(count_++);
}

Result<uint16_t, BuildError> Tree::directory(const char* name, size_t length, BuildProblem* problem) {
    if (length == 0) return kRoot;
    const int found = find(name, length);
    if (found >= 0) {
        if (nodes_[found].kind != Kind::Directory) return BuildError::FileAndDirectory;
        return static_cast<uint16_t>(found);
    }
    size_t cut = length;
    while (cut > 0 && name[cut - 1] != '/') --cut;
    const uint16_t parent = TRY(directory(name, cut ? cut - 1 : 0, problem));
    return add(name, length, parent, Kind::Directory);
}

Result<void, BuildError> Tree::build(const void* archive, size_t size, BuildProblem* problem) {
    reset();
    BuildProblem local;
    BuildProblem& report = problem ? *problem : local;
    report = BuildProblem{};
    auto refuse = [&](BuildError error) {
        report.error = error;
        reset();
        return error;
    };
    vesta::tar::Reader reader(archive, size);
    vesta::tar::Entry entry;
    for (size_t index = 0; reader.next(&entry); ++index) {
        const bool regular = entry.type == '0' || entry.type == '7';
        if (!regular && entry.type != '5') continue; // links, devices, FIFOs: not served
        report.entry_index = index;
        for (size_t i = 0; i <= vesta::tar::kMaxName; ++i) {
            report.entry[i] = entry.name[i];
            if (!entry.name[i]) break;
        }
        size_t length = 0;
        while (entry.name[length]) ++length;
        if (length == 0 || (length == 1 && entry.name[0] == '.')) { // "./": the root itself
            if (regular) return refuse(BuildError::RootIsFile);
            continue;
        }
        auto parsed = parse_path(entry.name, length);
        if (!parsed.ok()) {
            report.path = parsed.error();
            return refuse(BuildError::BadName);
        }
        const Path& path = parsed.value();
        if (path.length == 0) { // "/": the root
            if (regular) return refuse(BuildError::RootIsFile);
            continue;
        }
        if (!regular || path.wants_directory) {
            if (!regular) {
                auto made = directory(path.text, path.length, &report);
                if (!made.ok()) return refuse(made.error());
                continue;
            }
            return refuse(BuildError::FileAndDirectory); // a regular file named "a/"
        }
        const int existing = find(path.text, path.length);
        if (existing >= 0)
            return refuse(nodes_[existing].kind == Kind::Directory ? BuildError::FileAndDirectory
                                                                   : BuildError::DuplicateFile);
        size_t cut = path.length;
        while (cut > 0 && path.text[cut - 1] != '/') --cut;
        auto parent = directory(path.text, cut ? cut - 1 : 0, &report);
        if (!parent.ok()) return refuse(parent.error());
        auto added = add(path.text, path.length, parent.value(), Kind::Regular);
        if (!added.ok()) return refuse(added.error());
        nodes_[added.value()].data = entry.data;
        nodes_[added.value()].size = entry.size;
    }
    if (reader.error() != vesta::tar::Error::None) {
        report.archive = reader.error();
        report.entry[0] = '\0';
        return refuse(BuildError::Archive);
    }
    return {};
}

const char* Tree::leaf_of(uint16_t index, size_t* length) const {
    const Node& node = nodes_[index];
    const char* name = names_ + node.name_offset;
    size_t start = node.name_length;
    while (start > 0 && name[start - 1] != '/') --start;
    *length = node.name_length - start;
    return name + start;
}

Result<uint16_t, LookupError> Tree::lookup(const Path& path) const {
    uint16_t current = kRoot;
    for (size_t end = 0; end <= path.length && path.length; ++end) {
        if (end != path.length && path.text[end] != '/') continue;
        if (nodes_[current].kind != Kind::Directory) return LookupError::NotDirectory;
        const int found = find(path.text, end);
        if (found < 0) return LookupError::NotFound;
        current = static_cast<uint16_t>(found);
    }
    if (path.wants_directory && nodes_[current].kind != Kind::Directory) return LookupError::NotDirectory;
    return current;
}

bool Tree::child(uint16_t directory, uint64_t position, uint16_t* out) const {
    if (directory >= count_ || nodes_[directory].kind != Kind::Directory) return false;
    for (size_t i = 1; i < count_; ++i) {
        if (nodes_[i].parent != directory) continue;
        if (position-- == 0) {
            *out = static_cast<uint16_t>(i);
            return true;
        }
    }
    return false;
}

} // namespace sysinit::bootfs
