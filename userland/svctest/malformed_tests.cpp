// userland/svctest/malformed_tests.cpp — a malformed request to each of
// sysinit's services (an unknown label, another interface's label, wrong
// word or capability counts, a value outside its type) gets an error reply
// and the service keeps serving.
#include <fs/fs.ipc.hpp>
#include <io/file.ipc.hpp>
#include <sys/devloader.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/devregistry.ipc.hpp>
#include <sys/procmgr.ipc.hpp>

#include "tests.hpp"

namespace svctest {

namespace fsp = vesta::proto::fs;
namespace io = vesta::proto::io;
namespace sys = vesta::proto::sys;

namespace {

enum class Target { Filesystem, File, ProcessManager, DeviceManager, DeviceRegistry, DriverLoader };

struct Request {
    const char* what;
    Target target;
    uint64_t label;
    size_t words;
    size_t caps;
    uint64_t word_values[4];
    ipc::Status want;
};

constexpr uint64_t unknown(uint32_t interface_id) { return uint64_t{interface_id} << 16 | 99; }

constexpr Request kRequests[] = {
    {"fs: an unknown call", Target::Filesystem, unknown(fsp::fs::kId), 0, 0, {}, Error::NotSupported},
    {"fs: a procmgr call", Target::Filesystem, sys::procmgr::label::wait, 1, 0, {1}, Error::NotSupported},
    {"fs.open without its page", Target::Filesystem, fsp::fs::label::open, 3, 0, {0, 1, 1}, Error::Malformed},
    {"fs.stat with one page of two", Target::Filesystem, fsp::fs::label::stat, 3, 1, {0, 1, 0}, Error::Malformed},
    {"fs.readdir with two words of three", Target::Filesystem, fsp::fs::label::readdir, 2, 2, {0, 1}, Error::Malformed},
    {"fs.open with mode 9", Target::Filesystem, fsp::fs::label::open, 3, 1, {0, 1, 9}, Error::InvalidArgument},
    {"io::file: an unknown call", Target::File, unknown(io::file::kId), 0, 0, {}, Error::NotSupported},
    {"io::file.seek with one word", Target::File, io::file::label::seek, 1, 0, {0}, Error::Malformed},
    {"io::file.seek from whence 7", Target::File, io::file::label::seek, 2, 0, {0, 7}, Error::InvalidArgument},
    {"io::file.seek with a page attached", Target::File, io::file::label::seek, 2, 1, {0, 0}, Error::Malformed},
    {"io::file.read without pages", Target::File, io::file::label::read, 2, 0, {0, 8}, Error::InvalidArgument},
    {"procmgr: an unknown call", Target::ProcessManager, unknown(sys::procmgr::kId), 0, 0, {}, Error::NotSupported},
    {"procmgr.wait without a pid", Target::ProcessManager, sys::procmgr::label::wait, 0, 0, {}, Error::Malformed},
    {"procmgr.wait with a page attached",
     Target::ProcessManager,
     sys::procmgr::label::wait,
     1,
     1,
     {1},
     Error::Malformed},
    {"procmgr.kill with one word", Target::ProcessManager, sys::procmgr::label::kill, 1, 0, {1}, Error::Malformed},
    {"procmgr.grant without its capability",
     Target::ProcessManager,
     sys::procmgr::label::grant,
     2,
     0,
     {1, 9},
     Error::Malformed},
    {"procmgr.new_process with a word",
     Target::ProcessManager,
     sys::procmgr::label::new_process,
     1,
     0,
     {1},
     Error::Malformed},
    {"procmgr.spawn without its page",
     Target::ProcessManager,
     sys::procmgr::label::spawn,
     3,
     0,
     {1, 0, 0},
     Error::Malformed},
    {"procmgr.spawn with two words of three",
     Target::ProcessManager,
     sys::procmgr::label::spawn,
     2,
     1,
     {1, 0},
     Error::Malformed},
    {"procmgr.spawn with roles 2^33",
     Target::ProcessManager,
     sys::procmgr::label::spawn,
     3,
     1,
     {1, 0, uint64_t{1} << 33},
     Error::InvalidArgument},
    {"procmgr.list without its page", Target::ProcessManager, sys::procmgr::label::list, 0, 0, {}, Error::Malformed},
    {"procmgr.capabilities without a pid",
     Target::ProcessManager,
     sys::procmgr::label::capabilities,
     0,
     1,
     {},
     Error::Malformed},
    {"procmgr.devices with a word", Target::ProcessManager, sys::procmgr::label::devices, 1, 1, {1}, Error::Malformed},
    {"devmgr: an fs call", Target::DeviceManager, fsp::fs::label::stat, 3, 2, {0, 1, 0}, Error::NotSupported},
    {"devmgr.count without an interface", Target::DeviceManager, sys::devmgr::label::count, 0, 0, {}, Error::Malformed},
    {"devmgr.count of interface 2^40",
     Target::DeviceManager,
     sys::devmgr::label::count,
     1,
     0,
     {uint64_t{1} << 40},
     Error::InvalidArgument},
    {"devmgr.open with a page attached",
     Target::DeviceManager,
     sys::devmgr::label::open,
     2,
     1,
     {1, 0},
     Error::Malformed},
    {"devregistry: an unknown call",
     Target::DeviceRegistry,
     unknown(sys::devregistry::kId),
     0,
     0,
     {},
     Error::NotSupported},
    {"devregistry.new_device without an endpoint",
     Target::DeviceRegistry,
     sys::devregistry::label::new_device,
     1,
     0,
     {1},
     Error::Malformed},
    {"devloader: an unknown call", Target::DriverLoader, unknown(sys::devloader::kId), 0, 0, {}, Error::NotSupported},
    {"devloader.load with one word", Target::DriverLoader, sys::devloader::label::load, 1, 1, {1}, Error::Malformed},
};

uint64_t endpoint_of(Context& ctx, Target target, uint64_t file) {
    switch (target) {
    case Target::Filesystem: return ctx.fs;
    case Target::File: return file;
    case Target::ProcessManager: return ctx.procmgr;
    case Target::DeviceManager: return ctx.devmgr;
    case Target::DeviceRegistry: return ctx.devregistry;
    case Target::DriverLoader: return ctx.devloader;
    }
    return kNoSlot;
}

// A valid call to each service still gets its proper answer.
Verdict still_serving(Context& ctx, uint64_t file) {
    put(ctx.path, "/");
    auto root = fsp::fs::stat(*ctx.transport, ctx.fs, ctx.path.slot, ctx.info.slot, 0, 1, 0);
    if (!root.ok() || root.value() != fsp::node_kind::DIRECTORY) return fail("fs stopped answering stat /");
    auto position = io::file::seek(*ctx.transport, file, 3, io::whence::SET);
    if (!position.ok() || position.value() != 3) return fail("the open file stopped answering seek");
    auto waited = sys::procmgr::wait(*ctx.transport, ctx.procmgr, 999999);
    if (Verdict v =
            expect("procmgr.wait of an unknown pid", waited.ok() ? ipc::Status() : waited.error(), sys::no_process))
        return v;
    auto counted = sys::devmgr::count(*ctx.transport, ctx.devmgr, 0x5e7d'00fe);
    if (!counted.ok() || counted.value() != 0) return fail("devmgr stopped answering count");
    auto registered = sys::devregistry::new_device(*ctx.transport, ctx.devregistry, ctx.path.slot, 0x5e7d'00fe);
    if (Verdict v = expect("devregistry.new_device of a page", registered.ok() ? ipc::Status() : registered.error(),
                           Error::WrongType))
        return v;
    auto loaded = sys::devloader::load(*ctx.transport, ctx.devloader, ipc::CapList{{ctx.path.slot}, 1}, 999999, 8);
    return expect("devloader.load into an unknown pid", loaded.ok() ? ipc::Status() : loaded.error(), sys::no_process);
}

Verdict each_service_answers_malformed_requests(Context& ctx) {
    const size_t length = put(ctx.path, "svctest");
    auto opened = fsp::fs::open(*ctx.transport, ctx.fs, ctx.path.slot, 0, length, fsp::open_mode::READ);
    if (!opened.ok()) return fail("open svctest: {}", status_name(opened.error()));
    const uint64_t file = opened.value().file;
    Verdict verdict = nullptr;
    for (const Request& request : kRequests) {
        ipc::Message message;
        message.tag = MessageTag::make(request.label, request.words, request.caps);
        for (size_t i = 0; i < 4; ++i) message.words[i] = request.word_values[i];
        for (size_t i = 0; i < request.caps; ++i) message.caps[i] = i == 0 ? ctx.path.slot : ctx.info.slot;
        const Error sent = ctx.transport->call(endpoint_of(ctx, request.target, file), message);
        if (sent != Error::None) {
            verdict = fail("{}: the call failed with {}", request.what, error_name(sent));
            break;
        }
        if (Verdict v = expect(request.what, ipc::Status::from_label(message.tag.label()), request.want)) {
            verdict = v;
            break;
        }
        if (Verdict v = still_serving(ctx, file)) {
            char why[200]; // fail() formats into the buffer v points to
            BufferSink sink(why, sizeof(why));
            format(sink, "{}", v);
            verdict = fail("after {}: {}", request.what, static_cast<const char*>(why));
            break;
        }
    }
    invoke(runtime.cspace, CapabilitySpaceLabel::Delete, file);
    return verdict;
}

Verdict pages_that_are_not_pages(Context& ctx) {
    // A path "page" that is an endpoint, and one with no rights to map.
    uint64_t endpoint = kNoSlot, read_only = kNoSlot;
    create(ObjectType::Endpoint, 0, &endpoint);
    const InvokeResult copy =
        invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, ctx.path.slot, rights::kWrite | rights::kGrant, 0);
    read_only = copy.words[0];
    auto wrong = fsp::fs::stat(*ctx.transport, ctx.fs, endpoint, ctx.info.slot, 0, 1, 0);
    auto unreadable = fsp::fs::stat(*ctx.transport, ctx.fs, read_only, ctx.info.slot, 0, 1, 0);
    put(ctx.path, "/");
    auto info_read_only = fsp::fs::stat(*ctx.transport, ctx.fs, ctx.path.slot, read_only, 0, 1, 0);
    invoke(runtime.cspace, CapabilitySpaceLabel::Delete, endpoint);
    invoke(runtime.cspace, CapabilitySpaceLabel::Delete, read_only);
    if (Verdict v =
            expect("an endpoint as the path page", wrong.ok() ? ipc::Status() : wrong.error(), Error::WrongType))
        return v;
    if (Verdict v = expect("a path page without Read", unreadable.ok() ? ipc::Status() : unreadable.error(),
                           Error::MissingRights))
        return v;
    return expect("an info page without Read", info_read_only.ok() ? ipc::Status() : info_read_only.error(),
                  Error::MissingRights);
}

} // namespace

const Test kMalformedTests[] = {
    {"svc.malformed.each_service_answers_and_keeps_serving", each_service_answers_malformed_requests},
    {"svc.malformed.pages_that_are_not_pages", pages_that_are_not_pages},
    {nullptr, nullptr},
};

} // namespace svctest
