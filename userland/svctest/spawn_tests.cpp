// userland/svctest/spawn_tests.cpp — the process manager's calls for a
// shell: procmgr.spawn (a program by path with argv and grants, and every
// refusal), list, capabilities and devices.
#include <dev/serial.ipc.hpp>
#include <fs/fs.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/procmgr.ipc.hpp>
#include <vesta/process_records.hpp>

#include "tests.hpp"

namespace svctest {

namespace fsp = vesta::proto::fs;
namespace sys = vesta::proto::sys;

namespace {

bool named(const vesta::records::ProcessRecord& record, const char* name) {
    size_t i = 0;
    for (; i < sizeof(record.name) && record.name[i] && record.name[i] == name[i]; ++i) {
    }
    return i < sizeof(record.name) && record.name[i] == name[i];
}

template <class T>
ipc::Status status_of(const ipc::Result<T>& result) {
    return result.ok() ? ipc::Status() : result.error();
}

// Path then NUL-separated argv in ctx.path; spawns with `grants`.
ipc::Result<uint64_t> spawn(Context& ctx, const char* path, const char* argv, size_t argv_length,
                            const ipc::CapList& grants = {}, uint32_t roles = 0) {
    const size_t path_length = put(ctx.path, path);
    __builtin_memcpy(ctx.path.data + path_length, argv, argv_length);
    return sys::procmgr::spawn(*ctx.transport, ctx.procmgr, ctx.path.slot, grants, path_length, argv_length, roles);
}

Verdict spawn_runs_a_program_and_wait_collects_it(Context& ctx) {
    auto pid = spawn(ctx, "/hello", "hello\0a\0b c", 12);
    if (!pid.ok()) return fail("spawn /hello: {}", status_name(pid.error()));
    auto status = sys::procmgr::wait(*ctx.transport, ctx.procmgr, pid.value());
    if (!status.ok() || status.value() != 0)
        return fail("hello ended with {} ({}), not 0", status.ok() ? status.value() : 0, status_name(status.error()));
    // No argv: the file's name is argv[0]. crash with no argument exits with status 2 (its usage).
    auto crash = spawn(ctx, "crash", "", 0);
    if (!crash.ok()) return fail("spawn crash: {}", status_name(crash.error()));
    auto usage = sys::procmgr::wait(*ctx.transport, ctx.procmgr, crash.value());
    if (!usage.ok() || usage.value() != 2) return fail("crash without arguments ended with {}, not 2", usage.value());
    auto faulting = spawn(ctx, "crash", "crash\0page", 11);
    if (!faulting.ok()) return fail("spawn crash page: {}", status_name(faulting.error()));
    auto fault = sys::procmgr::wait(*ctx.transport, ctx.procmgr, faulting.value());
    const auto page_fault = -static_cast<int64_t>(FaultKind::PageFault);
    if (!fault.ok() || fault.value() != page_fault) return fail("crash page ended with {}, not -1", fault.value());
    return nullptr;
}

Verdict spawn_refuses_what_it_cannot_run(Context& ctx) {
    struct Case {
        const char* what;
        const char* path;
        const char* argv;
        size_t argv_length;
        ipc::Status want;
    };
    const Case cases[] = {
        {"a missing program", "/nosuch", "", 0, fsp::not_found},
        {"a file that is not an ELF", "/README", "", 0, sys::bad_image},
        {"a directory", "/drivers", "", 0, fsp::is_directory},
        {"a path through a file", "/hello/x", "", 0, fsp::not_directory},
        {"a bad path", "/a//b", "", 0, fsp::bad_path},
        {"an empty path", "", "", 0, fsp::bad_path},
        {"argv without its last NUL", "/hello", "hello", 5, Error::InvalidArgument},
    };
    for (const Case& c : cases) {
        auto pid = spawn(ctx, c.path, c.argv, c.argv_length);
        if (Verdict v = expect(c.what, status_of(pid), c.want)) return v;
    }
    // Beyond the page, and argv beyond a start-up block's strings.
    auto beyond = sys::procmgr::spawn(*ctx.transport, ctx.procmgr, ctx.path.slot, {}, 6, kPageSize, 0);
    if (Verdict v = expect("argv past the start-up block's 2 KiB", status_of(beyond), Error::OutOfRange)) return v;
    static char many[40 * 2];
    for (size_t i = 0; i < 40; ++i) many[2 * i] = 'x', many[2 * i + 1] = '\0';
    auto too_many = spawn(ctx, "/hello", many, sizeof(many));
    if (Verdict v = expect("40 arguments", status_of(too_many), Error::OutOfRange)) return v;
    // Grants: a role the call does not know, roles without grants, a page as standard output.
    auto role = spawn(ctx, "/hello", "", 0, ipc::CapList{{ctx.info.slot}, 1}, 9);
    if (Verdict v = expect("role 9", status_of(role), Error::InvalidArgument)) return v;
    auto roles = spawn(ctx, "/hello", "", 0, {}, static_cast<uint32_t>(startup::Role::Stdout));
    if (Verdict v = expect("a role without its grant", status_of(roles), Error::InvalidArgument)) return v;
    auto flag = spawn(ctx, "/hello", "", 0, {}, uint32_t{1} << 29); // 31 and 30 give procmgr and devmgr
    if (Verdict v = expect("an unknown flag of roles", status_of(flag), Error::InvalidArgument)) return v;
    auto page =
        spawn(ctx, "/hello", "", 0, ipc::CapList{{ctx.info.slot}, 1}, static_cast<uint32_t>(startup::Role::Stdout));
    if (Verdict v = expect("a page as standard output", status_of(page), Error::WrongType)) return v;
    auto service =
        spawn(ctx, "/hello", "", 0, ipc::CapList{{ctx.info.slot}, 1}, static_cast<uint32_t>(startup::Role::Service));
    return expect("a page as a service", status_of(service), Error::InvalidArgument);
}

Verdict spawn_passes_grants(Context& ctx) {
    // svctest's own fs capability as a service, and procmgr by the flag: the child gets its own minted.
    auto pid = spawn(ctx, "/hello", "hello", 6, ipc::CapList{{ctx.fs}, 1},
                     static_cast<uint32_t>(startup::Role::Service) | sys::kSpawnGiveProcmgr);
    if (!pid.ok()) return fail("spawn with a service grant: {}", status_name(pid.error()));
    auto status = sys::procmgr::wait(*ctx.transport, ctx.procmgr, pid.value());
    if (!status.ok() || status.value() != 0) return fail("hello ended with {}, not 0", status.value());
    // svctest still holds its own capability (the call moved nothing of it).
    put(ctx.path, "/");
    auto root = fsp::fs::stat(*ctx.transport, ctx.fs, ctx.path.slot, ctx.info.slot, 0, 1, 0);
    return expect("fs after lending it", status_of(root), {});
}

Verdict list_describes_sysinit_and_svctest(Context& ctx) {
    auto count = sys::procmgr::list(*ctx.transport, ctx.procmgr, ctx.info.slot);
    if (!count.ok()) return fail("list: {}", status_name(count.error()));
    const auto* records = reinterpret_cast<const vesta::records::ProcessRecord*>(ctx.info.data);
    if (count.value() < 2 || count.value() > vesta::records::kMaxProcessRecords)
        return fail("list gave {} records", count.value());
    if (records[0].pid != 0 || records[0].pool_pages == 0 || records[0].capabilities == 0)
        return fail("record 0 is not sysinit's (pid {}, {} pages)", records[0].pid, records[0].pool_pages);
    bool found = false;
    for (size_t i = 1; i < count.value(); ++i) {
        const auto& r = records[i];
        if (!named(r, "svctest")) continue;
        found = r.state == static_cast<uint8_t>(vesta::records::ProcessState::Running) && r.pool_pages == 1024 &&
                r.free_pages < r.pool_pages && r.capabilities >= 5 && r.restarts == 0;
    }
    return found ? nullptr : fail("svctest is not listed as running with its 1024-page pool and capabilities");
}

Verdict capabilities_lists_slots(Context& ctx) {
    auto count = sys::procmgr::list(*ctx.transport, ctx.procmgr, ctx.info.slot);
    if (!count.ok()) return fail("list: {}", status_name(count.error()));
    uint32_t own = 0;
    const auto* records = reinterpret_cast<const vesta::records::ProcessRecord*>(ctx.info.data);
    for (size_t i = 1; i < count.value(); ++i)
        if (named(records[i], "svctest")) own = records[i].pid;
    auto caps = sys::procmgr::capabilities(*ctx.transport, ctx.procmgr, ctx.info.slot, own);
    if (!caps.ok()) return fail("capabilities of svctest (pid {}): {}", own, status_name(caps.error()));
    const auto* slots = reinterpret_cast<const vesta::records::CapabilityRecord*>(ctx.info.data);
    if (caps.value() < 5 || slots[0].slot != 0 || slots[0].type != static_cast<uint8_t>(ObjectType::Task))
        return fail("{} capabilities, the first in slot {} of type {}", caps.value(), slots[0].slot, slots[0].type);
    for (size_t i = 1; i < caps.value(); ++i)
        if (slots[i].slot <= slots[i - 1].slot || slots[i].type == 0) return fail("record {} is out of order", i);
    auto none = sys::procmgr::capabilities(*ctx.transport, ctx.procmgr, ctx.info.slot, 999999);
    if (Verdict v = expect("capabilities of an unknown pid", status_of(none), sys::no_process)) return v;
    auto self = sys::procmgr::capabilities(*ctx.transport, ctx.procmgr, ctx.info.slot, 0);
    return expect("capabilities of pid 0", status_of(self), sys::no_process);
}

Verdict devices_match_devmgr(Context& ctx) {
    auto count = sys::procmgr::devices(*ctx.transport, ctx.procmgr, ctx.info.slot);
    if (!count.ok()) return fail("devices: {}", status_name(count.error()));
    auto serial = sys::devmgr::count(*ctx.transport, ctx.devmgr, vesta::proto::dev::serial::kId);
    if (!serial.ok()) return fail("devmgr.count: {}", status_name(serial.error()));
    const auto* records = reinterpret_cast<const vesta::records::DeviceRecord*>(ctx.info.data);
    uint32_t listed = 0;
    for (size_t i = 0; i < count.value(); ++i) listed += records[i].interface_id == vesta::proto::dev::serial::kId;
    if (listed != serial.value())
        return fail("devices lists {} serial ports, devmgr counts {}", listed, serial.value());
    return nullptr;
}

} // namespace

const Test kSpawnTests[] = {
    {"svc.procmgr.spawn_runs_a_program_and_wait_collects_it", spawn_runs_a_program_and_wait_collects_it},
    {"svc.procmgr.spawn_refuses_what_it_cannot_run", spawn_refuses_what_it_cannot_run},
    {"svc.procmgr.spawn_passes_grants", spawn_passes_grants},
    {"svc.procmgr.list_describes_sysinit_and_svctest", list_describes_sysinit_and_svctest},
    {"svc.procmgr.capabilities_lists_slots", capabilities_lists_slots},
    {"svc.procmgr.devices_match_devmgr", devices_match_devmgr},
    {nullptr, nullptr},
};

} // namespace svctest
