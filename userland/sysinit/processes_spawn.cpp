// userland/sysinit/processes_spawn.cpp — procmgr.spawn: a program of the
// bootstrap filesystem started by path, with argv and the caller's grants
// (processes.hpp; protocols/sys/procmgr.ipc).
//
// Checks, in this order: the grants (at most 3: the message format carries
// 4 capabilities, `args` is one; bits of `roles` beyond the grants' bytes
// other than kSpawnGiveProcmgr and kSpawnGiveDevmgr are InvalidArgument;
// each role known, InvalidArgument otherwise; a Stdout grant an
// endpoint and a System grant a System capability, WrongType otherwise;
// a Service grant a capability to one of sysinit's services, InvalidArgument
// otherwise), the lengths (bad_path for a path of 0 or more than
// bootfs::kMaxPath bytes; OutOfRange for argv beyond the start-up block's
// string area or path and argv beyond the page), argv's shape (each entry
// NUL-terminated: InvalidArgument; more than the block holds: OutOfRange),
// the path (bad_path, not_found, not_directory, is_directory), the image
// (bad_image, logged with lib/elf's reason), then the table (table_full).
// Nothing is left behind by a refusal: a process is created only once every
// check passed, and one that cannot start is ended and its entry freed (no
// one has its pid to collect it).
#include <fs/fs.ipc.hpp>
#include <lib/elf.hpp>
#include <sys/devmgr.ipc.hpp>

#include "processes.hpp"
#include "sysinit.hpp"

namespace sysinit {

using namespace vesta;
using namespace vesta::user;
namespace sys = vesta::proto::sys;
namespace fsp = vesta::proto::fs;
using ipc::Result;

namespace {

constexpr uint64_t kUserProgramEnd = 0x0000'7000'0000'0000; // as processes.cpp: spawn()'s window
// A program runs kPriorityStep below the process that started it (a
// shell's programs below the shell: its Ctrl-C is always heard).
constexpr uint8_t kPriorityStep = 10;
constexpr uint8_t kDefaultPriority = 90;
constexpr size_t kMaxArgvBytes = startup::Builder::kMaxStringBytes;

ipc::CapList one(ipc::Slot slot) {
    ipc::CapList list;
    list.slots[0] = slot;
    list.count = 1;
    return list;
}

// The service a badge of sysinit's endpoint speaks: its interface id and note, or false.
bool service_of(BadgeKind kind, uint32_t* interface_id, const char** note) {
    switch (kind) {
    case BadgeKind::Filesystem: *interface_id = proto::fs::fs::kId, *note = "fs"; return true;
    case BadgeKind::ProcessManager: *interface_id = sys::procmgr::kId, *note = "procmgr"; return true;
    default: return false;
    }
}

// Checks one grant's role against the capability (CapabilitySpace.Info).
ipc::Status check_grant(ipc::Slot capability, startup::Role role) {
    const InvokeResult info = invoke(runtime.cspace, CapabilitySpaceLabel::Info, capability);
    if (info.error != Error::None) return info.error;
    const auto type = static_cast<ObjectType>(info.words[0]);
    switch (role) {
    case startup::Role::None: return {};
    case startup::Role::Stdout: return type == ObjectType::Endpoint ? ipc::Status{} : ipc::Status{Error::WrongType};
    case startup::Role::System: return type == ObjectType::System ? ipc::Status{} : ipc::Status{Error::WrongType};
    case startup::Role::Service: {
        uint32_t id = 0;
        const char* note = nullptr;
        if (type != ObjectType::Endpoint || !service_of(badge_kind(info.words[2]), &id, &note))
            return Error::InvalidArgument;
        return {};
    }
    default: return Error::InvalidArgument;
    }
}

} // namespace

Result<void> ProcessTable::take_grant(Process& process, ipc::Slot capability, startup::Role role, size_t index) {
    if (role == startup::Role::Service) { // minted anew for the new process: its identity, not the caller's
        const InvokeResult info = invoke(runtime.cspace, CapabilitySpaceLabel::Info, capability);
        uint32_t id = 0;
        const char* note = nullptr;
        const BadgeKind kind = badge_kind(info.words[2]);
        (void)service_of(kind, &id, &note); // checked by check_grant
        const uint64_t minted = TRY(mint(make_badge(kind, process.pid)));
        if (const Error e = hold(process, minted); e != Error::None) {
            drop(minted);
            return e;
        }
        if (const Error e = process.startup.grant_service(id, minted, note); e != Error::None) return e;
        return {};
    }
    if (process.held_count == Process::kMaxHeld) return Error::OutOfRange;
    const uint64_t kept = next_held_slot(process);
    if (const Error e = move_capability(capability, kept); e != Error::None) return e;
    loop_.keep(capability); // moved: the loop must not delete what comes to that slot next
    (void)hold(process, kept);
    static const char* const kNotes[] = {"grant0", "grant1", "grant2", "grant3"};
    const char* note = role == startup::Role::Stdout   ? "stdout"
                       : role == startup::Role::System ? "system"
                                                       : kNotes[index % 4];
    if (const Error e = process.startup.grant(Grant{.source = kept, .role = role, .note = note}); e != Error::None)
        return e;
    return {};
}

Result<uint64_t> ProcessTable::spawn(ipc::Slot args, const ipc::CapList& grants, size_t path_length, size_t argv_length,
                                     uint32_t roles) {
    // The grants (the message format bounds them to 3 besides `args`).
    if (grants.count >= kMaxMessageCaps) return Error::Malformed;
    const uint32_t grant_roles = roles & ~(sys::kSpawnGiveProcmgr | sys::kSpawnGiveDevmgr);
    if ((grant_roles >> (8 * grants.count)) != 0) return Error::InvalidArgument; // roles without grants, unknown bits
    for (size_t i = 0; i < grants.count; ++i)
        if (const ipc::Status s = check_grant(grants.slots[i], static_cast<startup::Role>((roles >> (8 * i)) & 0xff));
            !s.ok())
            return s;

    // The path and argv.
    if (path_length == 0 || path_length > bootfs::kMaxPath) return fsp::bad_path;
    if (argv_length > kMaxArgvBytes) return Error::OutOfRange;
    char bytes[bootfs::kMaxPath + kMaxArgvBytes];
    const size_t total = path_length + argv_length;
    const size_t copied = TRY(copy_from_pages(window_, one(args), 0, bytes, total));
    if (copied != total) return Error::OutOfRange;
    const char* argv = bytes + path_length;
    if (argv_length > 0 && argv[argv_length - 1] != '\0') return Error::InvalidArgument;
    startup::Builder argv_check; // the same limits the process's block will have
    for (size_t at = 0; at < argv_length;) {
        const Error e = argv_check.add_argument(argv + at);
        if (e != Error::None) return e == Error::InvalidArgument ? Error::InvalidArgument : Error::OutOfRange;
        while (argv[at]) ++at;
        ++at;
    }

    if (!programs_) return fsp::not_found;
    auto path = bootfs::parse_path(bytes, path_length);
    if (!path.ok()) return fsp::bad_path;
    auto node = programs_->lookup(path.value());
    if (!node.ok()) return node.error() == bootfs::LookupError::NotFound ? fsp::not_found : fsp::not_directory;
    const bootfs::Node& file = programs_->node(node.value());
    if (file.kind == bootfs::Kind::Directory) return fsp::is_directory;
    size_t leaf_length = 0;
    const char* leaf = programs_->leaf_of(node.value(), &leaf_length);
    char name[Process::kNameSize];
    size_t n = 0;
    for (; n < leaf_length && n + 1 < sizeof(name); ++n) name[n] = leaf[n];
    name[n] = '\0';

    const elf::ElfRequirements requirements{kElfMachine, kPageSize, kUserProgramEnd};
    if (const auto validated = elf::validate_elf(file.data, file.size, requirements); !validated.ok()) {
        log("{}: image refused: {}", static_cast<const char*>(name), elf::message(validated.error()));
        return sys::bad_image;
    }

    Process* created = TRY(create(name));
    Process& process = *created;
    process.image_bytes = file.data;
    process.image_size = file.size;
    const Process* caller = find(client_);
    process.priority = !caller                            ? kDefaultPriority
                       : caller->priority > kPriorityStep ? static_cast<uint8_t>(caller->priority - kPriorityStep)
                                                          : uint8_t{1};
    process.quiet = true;
    process.state = Process::State::Loaded;
    ipc::Status status;
    // Checked above with the same limits: cannot fail.
    if (argv_length == 0) (void)process.startup.add_argument(name);
    for (size_t at = 0; at < argv_length;) {
        (void)process.startup.add_argument(argv + at);
        while (argv[at]) ++at;
        ++at;
    }
    for (size_t i = 0; status.ok() && i < grants.count; ++i) {
        auto taken = take_grant(process, grants.slots[i], static_cast<startup::Role>((roles >> (8 * i)) & 0xff), i);
        if (!taken.ok()) status = taken.error();
    }
    // Services by flag, minted for the new pid (the caller could not pass
    // its own: they carry its identity).
    const struct {
        uint32_t flag;
        BadgeKind kind;
        uint32_t interface_id;
        const char* note;
    } by_flag[] = {
        {sys::kSpawnGiveProcmgr, BadgeKind::ProcessManager, sys::procmgr::kId, "procmgr"},
        {sys::kSpawnGiveDevmgr, BadgeKind::DeviceManager, sys::devmgr::kId, "devmgr"},
    };
    for (const auto& service : by_flag) {
        if (!status.ok() || !(roles & service.flag)) continue;
        auto minted = mint(make_badge(service.kind, process.pid));
        if (!minted.ok()) {
            status = minted.error();
        } else if (const Error e = hold(process, minted.value()); e != Error::None) {
            drop(minted.value());
            status = e;
        } else if (const Error g = process.startup.grant_service(service.interface_id, minted.value(), service.note);
                   g != Error::None) {
            status = g;
        }
    }
    if (status.ok()) {
        auto started = start(process);
        if (!started.ok()) status = started.error();
    } else {
        end(process, kStartFailed, "could not be given its grants");
    }
    if (!status.ok()) {
        release(process); // ended: no one has its pid to collect it
        return status;
    }
    return uint64_t{process.pid};
}

} // namespace sysinit
