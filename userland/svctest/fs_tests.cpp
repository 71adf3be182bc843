// userland/svctest/fs_tests.cpp — the bootstrap filesystem (fs::fs and
// io::file): listing, reading, seeking, and every error it answers.
#include <fs/fs.ipc.hpp>
#include <io/file.ipc.hpp>

#include "tests.hpp"

namespace svctest {

namespace fsp = vesta::proto::fs;
namespace io = vesta::proto::io;

namespace {

ipc::Result<fsp::node_kind> stat_path(Context& ctx, const char* bytes, size_t length) {
    put_bytes(ctx.path, bytes, length);
    return fsp::fs::stat(*ctx.transport, ctx.fs, ctx.path.slot, ctx.info.slot, 0, length, 0);
}

ipc::Result<fsp::fs::open_reply> open_path(Context& ctx, const char* path, fsp::open_mode mode = fsp::open_mode::READ) {
    const size_t length = put(ctx.path, path);
    return fsp::fs::open(*ctx.transport, ctx.fs, ctx.path.slot, 0, length, mode);
}

void close(uint64_t file) { invoke(runtime.cspace, CapabilitySpaceLabel::Delete, file); }

Verdict stat_reports_kind_and_size(Context& ctx) {
    auto root = stat_path(ctx, "/", 1);
    if (!root.ok() || root.value() != fsp::node_kind::DIRECTORY) return fail("stat / is not a directory");
    auto self = stat_path(ctx, "/svctest", 8);
    if (!self.ok() || self.value() != fsp::node_kind::REGULAR) return fail("stat /svctest is not a regular file");
    uint64_t words[2];
    __builtin_memcpy(words, ctx.info.data, sizeof(words));
    if (words[0] != static_cast<uint64_t>(fsp::node_kind::REGULAR) || words[1] < 64)
        return fail("stat /svctest wrote kind {} size {}", words[0], words[1]);
    return nullptr;
}

Verdict readdir_lists_root_then_ends(Context& ctx) {
    const size_t length = put(ctx.path, "/");
    bool seen_self = false;
    uint64_t index = 0;
    for (;; ++index) {
        auto n = fsp::fs::readdir(*ctx.transport, ctx.fs, ctx.path.slot, ctx.name.slot, 0, length, index);
        if (!n.ok()) {
            if (Verdict v = expect("readdir past the last entry", n.error(), fsp::end_of_directory)) return v;
            break;
        }
        if (n.value() == 7 && __builtin_memcmp(ctx.name.data, "svctest", 7) == 0) seen_self = true;
    }
    if (!seen_self) return fail("readdir / did not list svctest ({} entries)", index);
    auto far = fsp::fs::readdir(*ctx.transport, ctx.fs, ctx.path.slot, ctx.name.slot, 0, length, 1u << 30);
    return expect("readdir at index 2^30", far.error(), fsp::end_of_directory);
}

Verdict open_read_seek(Context& ctx) {
    auto opened = open_path(ctx, "svcchild");
    if (!opened.ok()) return expect("open svcchild", opened.error(), {});
    const uint64_t file = opened.value().file;
    const ipc::CapList page{{ctx.image.slot}, 1};
    Verdict verdict = nullptr;
    auto head = io::file::read(*ctx.transport, file, page, 0, 4);
    auto end = io::file::seek(*ctx.transport, file, 0, io::whence::END);
    auto at_end = io::file::read(*ctx.transport, file, page, 0, 16);
    auto back = io::file::seek(*ctx.transport, file, -4, io::whence::CUR);
    auto before = io::file::seek(*ctx.transport, file, -1, io::whence::SET);
    auto beyond = io::file::seek(*ctx.transport, file, 1, io::whence::END);
    if (!head.ok() || head.value() != 4 ||
        __builtin_memcmp(ctx.image.data,
                         "\x7f"
                         "ELF",
                         4) != 0)
        verdict = fail("reading the first 4 bytes of svcchild did not give the ELF magic");
    else if (!end.ok() || end.value() < 64)
        verdict = fail("seek to the end: {}", status_name(end.error()));
    else if (!at_end.ok() || at_end.value() != 0)
        verdict = fail("a read at the end returned {} bytes", at_end.ok() ? at_end.value() : 999);
    else if (!back.ok() || back.value() != end.value() - 4)
        verdict = fail("seek -4 from the end did not land 4 bytes before it");
    else if (Verdict v = expect("seek before the start", before.error(), io::bad_offset))
        verdict = v;
    else
        verdict = expect("seek past the end", beyond.error(), io::bad_offset);
    close(file);
    return verdict;
}

Verdict bad_paths(Context& ctx) {
    struct Case {
        const char* bytes;
        size_t length;
        const char* what;
    };
    static char too_long[256];
    for (char& c : too_long) c = 'a';
    const Case cases[] = {
        {"", 0, "an empty path"},
        {"a//b", 4, "a doubled slash"},
        {"../svctest", 10, "a '..' component"},
        {"./svctest", 9, "a '.' component"},
        {"svc\0test", 8, "a NUL byte"},
        {"\xc0\xaf", 2, "an overlong UTF-8 form"},
        {too_long, sizeof(too_long), "256 bytes"},
    };
    for (const Case& c : cases) {
        auto result = stat_path(ctx, c.bytes, c.length);
        if (Verdict v = expect(c.what, result.ok() ? ipc::Status() : result.error(), fsp::bad_path)) return v;
        put_bytes(ctx.path, c.bytes, c.length);
        auto opened = fsp::fs::open(*ctx.transport, ctx.fs, ctx.path.slot, 0, c.length, fsp::open_mode::READ);
        if (Verdict v = expect(c.what, opened.ok() ? ipc::Status() : opened.error(), fsp::bad_path)) return v;
    }
    return nullptr;
}

Verdict missing_file_and_not_a_directory(Context& ctx) {
    auto missing = open_path(ctx, "/no-such-file");
    if (Verdict v = expect("open of a missing file", missing.ok() ? ipc::Status() : missing.error(), fsp::not_found))
        return v;
    auto missing_dir = stat_path(ctx, "nothing/here", 12);
    if (Verdict v = expect("stat under a missing directory", missing_dir.ok() ? ipc::Status() : missing_dir.error(),
                           fsp::not_found))
        return v;
    auto through_file = stat_path(ctx, "svctest/x", 9);
    if (Verdict v =
            expect("stat below a file", through_file.ok() ? ipc::Status() : through_file.error(), fsp::not_directory))
        return v;
    auto trailing = stat_path(ctx, "svctest/", 8);
    return expect("a file with a trailing slash", trailing.ok() ? ipc::Status() : trailing.error(), fsp::not_directory);
}

Verdict directory_as_file(Context& ctx) {
    auto root = open_path(ctx, "/");
    if (Verdict v = expect("open of /", root.ok() ? ipc::Status() : root.error(), fsp::is_directory)) return v;
    const size_t length = put(ctx.path, "svctest");
    auto listing = fsp::fs::readdir(*ctx.transport, ctx.fs, ctx.path.slot, ctx.name.slot, 0, length, 0);
    return expect("readdir of a file", listing.ok() ? ipc::Status() : listing.error(), fsp::not_directory);
}

Verdict read_only(Context& ctx) {
    auto writable = open_path(ctx, "svctest", fsp::open_mode::WRITE);
    if (Verdict v = expect("open for writing", writable.ok() ? ipc::Status() : writable.error(), fsp::denied)) return v;
    auto both = open_path(ctx, "svctest", fsp::open_mode::READ_WRITE);
    if (Verdict v = expect("open for reading and writing", both.ok() ? ipc::Status() : both.error(), fsp::denied))
        return v;
    auto opened = open_path(ctx, "svctest");
    if (!opened.ok()) return expect("open svctest", opened.error(), {});
    auto written = io::file::write(*ctx.transport, opened.value().file, ipc::CapList{{ctx.image.slot}, 1}, 0, 4);
    close(opened.value().file);
    return expect("write to an open file", written.ok() ? ipc::Status() : written.error(), Error::MissingRights);
}

Verdict arguments_outside_their_pages(Context& ctx) {
    put(ctx.path, "svctest");
    auto path = fsp::fs::stat(*ctx.transport, ctx.fs, ctx.path.slot, ctx.info.slot, kPageSize - 3, 7, 0);
    if (Verdict v = expect("a path running off its page", path.ok() ? ipc::Status() : path.error(), Error::OutOfRange))
        return v;
    auto info = fsp::fs::stat(*ctx.transport, ctx.fs, ctx.path.slot, ctx.info.slot, 0, 7, kPageSize - 8);
    if (Verdict v = expect("info running off its page", info.ok() ? ipc::Status() : info.error(), Error::OutOfRange))
        return v;
    auto far = fsp::fs::stat(*ctx.transport, ctx.fs, ctx.path.slot, ctx.info.slot, 1u << 20, 7, 0);
    return expect("a path offset beyond the page", far.ok() ? ipc::Status() : far.error(), Error::OutOfRange);
}

Verdict oldest_file_closed_past_the_table(Context& ctx) {
    // sysinit holds 64 open files (filesystem.hpp): io::file has no close, so
    // the 65th open closes the least recently used one, whose capability
    // then answers InvalidCapability; the others keep working.
    constexpr size_t kTable = 64;
    uint64_t files[kTable + 1];
    size_t opened_count = 0;
    Verdict verdict = nullptr;
    for (; opened_count < kTable + 1; ++opened_count) {
        auto opened = open_path(ctx, "svcchild");
        if (!opened.ok()) {
            verdict = fail("open number {}: {}", opened_count + 1, status_name(opened.error()));
            break;
        }
        files[opened_count] = opened.value().file;
    }
    if (!verdict) {
        auto oldest = io::file::seek(*ctx.transport, files[0], 0, io::whence::SET);
        auto newest = io::file::seek(*ctx.transport, files[kTable], 0, io::whence::SET);
        auto second = io::file::seek(*ctx.transport, files[1], 0, io::whence::SET);
        if (Verdict v = expect("the least recently used file", oldest.ok() ? ipc::Status() : oldest.error(),
                               Error::InvalidCapability))
            verdict = v;
        else if (!newest.ok() || !second.ok())
            verdict = fail("a file still open answered {}", status_name(newest.ok() ? second.error() : newest.error()));
    }
    for (size_t i = 0; i < opened_count; ++i) close(files[i]);
    return verdict;
}

} // namespace

const Test kFilesystemTests[] = {
    {"svc.fs.stat_reports_kind_and_size", stat_reports_kind_and_size},
    {"svc.fs.readdir_lists_root_then_ends", readdir_lists_root_then_ends},
    {"svc.fs.open_read_seek", open_read_seek},
    {"svc.fs.bad_paths", bad_paths},
    {"svc.fs.missing_file_and_not_a_directory", missing_file_and_not_a_directory},
    {"svc.fs.directory_as_file", directory_as_file},
    {"svc.fs.read_only", read_only},
    {"svc.fs.arguments_outside_their_pages", arguments_outside_their_pages},
    {"svc.fs.oldest_file_closed_past_the_table", oldest_file_closed_past_the_table},
    {nullptr, nullptr},
};

} // namespace svctest
