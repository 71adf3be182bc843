// userland/tests/protocol/server_sys.cpp — the "procmgr", "devices" and
// "devloader" roles: the system services' protocols (sys::*) over fake
// tables, enough to check arguments, capabilities both ways, deferred
// answers and every declared error (fixture.hpp).
#include <sys/devloader.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/devregistry.ipc.hpp>
#include <sys/procmgr.ipc.hpp>

#include "server.hpp"

namespace protocol_server {

namespace sys = vesta::proto::sys;
namespace fs = vesta::proto::fs;
using vesta::ipc::Result;
using namespace protocol_fixture;

namespace {

constexpr uint8_t kElfMagic[4] = {0x7f, 'E', 'L', 'F'};

uint64_t type_of(ipc::Slot slot) { return invoke(runtime.cspace, CapabilitySpaceLabel::Info, slot).words[0]; }

// The first `length` bytes of an image in pages, checked like a loader would
// at first glance: the ELF magic, and (for drivers) a manifest marker.
Result<void> check_image(const CapList& image, size_t size, bool driver) {
    uint8_t head[kPageSize];
    const size_t wanted = min<size_t>(size, sizeof(head));
    if (wanted < sizeof(kElfMagic)) return sys::bad_image;
    auto copied = copy_from_pages(image, 0, head, wanted);
    if (!copied.ok()) return copied.error();
    if (copied.value() != wanted || __builtin_memcmp(head, kElfMagic, sizeof(kElfMagic)) != 0) return sys::bad_image;
    if (!driver) return {};
    const size_t marker = 8; // "[driver]"
    for (size_t i = 0; i + marker <= wanted; ++i)
        if (__builtin_memcmp(head + i, kManifestMarker, marker) == 0) return {};
    return sys::bad_manifest;
}

class ProcessTable {
public:
    explicit ProcessTable(ServerLoop& loop) : loop_(loop) {}

    Result<uint64_t> new_process() {
        for (size_t i = 0; i < kMaxProcesses; ++i) {
            if (processes_[i].state == State::Free) {
                processes_[i] = Process{};
                processes_[i].state = State::New;
                return uint64_t{i + 1};
            }
        }
        return sys::table_full;
    }

    Result<void> load(const CapList& image, uint64_t pid, size_t size) {
        Process* process = TRY(find(pid));
        if (process->state != State::New) return sys::bad_state;
        TRY(check_image(image, size, false));
        process->state = State::Loaded;
        return {};
    }

    // Keeps the capability (the loop would delete it); a notification is
    // signalled when the process is killed, so the test sees it arrived.
    Result<void> grant(ipc::Slot capability, uint64_t pid, uint64_t slot) {
        Process* process = TRY(find(pid));
        if (process->state == State::Running || process->state == State::Exited) return sys::bad_state;
        if (process->granted_count == kMaxGranted || slot > 1023) return Error::OutOfRange;
        if (type_of(capability) == 0) return Error::InvalidCapability;
        loop_.keep(capability);
        process->granted[process->granted_count++] = capability;
        return {};
    }

    Result<void> start(uint64_t pid) {
        Process* process = TRY(find(pid));
        if (process->state != State::Loaded) return sys::bad_state;
        process->state = State::Running;
        return {};
    }

    Result<void> kill(uint64_t pid, int64_t status) {
        Process* process = TRY(find(pid));
        process->state = State::Exited;
        process->status = status;
        for (size_t i = 0; i < process->granted_count; ++i) {
            if (type_of(process->granted[i]) == static_cast<uint64_t>(ObjectType::Notification))
                syscall(Syscall::Signal, process->granted[i]);
            invoke(runtime.cspace, CapabilitySpaceLabel::Delete, process->granted[i]);
        }
        process->granted_count = 0;
        for (size_t i = 0; i < process->waiter_count; ++i)
            loop_.answer(process->waiters[i], sys::procmgr::reply::wait, status);
        process->waiter_count = 0;
        return {};
    }

    // Answers at once for an exited process; otherwise holds the call until kill.
    Result<int64_t> wait(uint64_t pid) {
        Process* process = TRY(find(pid));
        if (process->state == State::Exited) return process->status;
        if (process->waiter_count == kMaxWaiters) return Error::Busy;
        const ipc::DeferredCall call = loop_.defer();
        if (!call) return Error::Busy;
        process->waiters[process->waiter_count++] = call;
        return ipc::kDeferred;
    }

    // The calls for a shell need a filesystem and real processes: this test
    // server models the lifecycle calls only and says so (sysinit's are
    // tested by svctest, docs/userland.md).
    Result<uint64_t> spawn(ipc::Slot, const ipc::CapList&, size_t, size_t, uint32_t) { return Error::NotSupported; }
    Result<size_t> list(ipc::Slot) { return Error::NotSupported; }
    Result<size_t> capabilities(ipc::Slot, uint64_t) { return Error::NotSupported; }
    Result<size_t> devices(ipc::Slot) { return Error::NotSupported; }

private:
    enum class State : uint8_t { Free, New, Loaded, Running, Exited };
    static constexpr size_t kMaxGranted = 4, kMaxWaiters = 2;
    struct Process {
        State state = State::Free;
        int64_t status = 0;
        ipc::Slot granted[kMaxGranted] = {};
        size_t granted_count = 0;
        ipc::DeferredCall waiters[kMaxWaiters] = {};
        size_t waiter_count = 0;
    };

    Result<Process*> find(uint64_t pid) {
        if (pid == 0 || pid > kMaxProcesses || processes_[pid - 1].state == State::Free) return sys::no_process;
        return &processes_[pid - 1];
    }

    ServerLoop& loop_;
    Process processes_[kMaxProcesses];
};
static_assert(sys::procmgr::Server<ProcessTable>);

class Devices {
public:
    explicit Devices(ServerLoop& loop) : loop_(loop) {}

    // sys::devregistry
    Result<uint32_t> new_device(ipc::Slot device, uint32_t interface_id) {
        if (type_of(device) != static_cast<uint64_t>(ObjectType::Endpoint)) return Error::WrongType;
        if (count_ == kMaxDevices) return sys::table_full;
        uint32_t index = 0;
        for (size_t i = 0; i < count_; ++i) index += devices_[i].interface_id == interface_id;
        loop_.keep(device);
        devices_[count_++] = Device{interface_id, device};
        return index;
    }

    // sys::devmgr
    Result<sys::devmgr::open_reply> open(uint32_t interface_id, uint32_t index) {
        for (size_t i = 0; i < count_; ++i) {
            if (devices_[i].interface_id != interface_id || index-- != 0) continue;
            const InvokeResult copy =
                invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, devices_[i].endpoint, rights::kAll, 0);
            if (copy.error != Error::None) return copy.error;
            loop_.release_after_reply(copy.words[0]);
            return sys::devmgr::open_reply{copy.words[0]};
        }
        return sys::no_device;
    }
    // The test server has no processes: device i's "driver" is pid i + 1.
    Result<uint64_t> driver(uint32_t interface_id, uint32_t index) {
        for (size_t i = 0; i < count_; ++i)
            if (devices_[i].interface_id == interface_id && index-- == 0) return uint64_t{i + 1};
        return sys::no_device;
    }
    Result<uint32_t> count(uint32_t interface_id) {
        uint32_t n = 0;
        for (size_t i = 0; i < count_; ++i) n += devices_[i].interface_id == interface_id;
        return n;
    }

private:
    struct Device {
        uint32_t interface_id;
        ipc::Slot endpoint;
    };
    ServerLoop& loop_;
    Device devices_[kMaxDevices] = {};
    size_t count_ = 0;
};
static_assert(sys::devregistry::Server<Devices>);
static_assert(sys::devmgr::Server<Devices>);

struct Loader {
    Result<void> load(const CapList& image, uint64_t pid, size_t size) {
        if (pid == 0 || pid > kLoaderProcesses) return sys::no_process;
        if (pid == kLoaderProcesses) return sys::bad_state;
        return check_image(image, size, true);
    }
    // The path's bytes are "drivers/NAME": anything else is not_found, an
    // empty one bad_path (the test server has no filesystem).
    Result<void> load_path(ipc::Slot path, uint64_t pid, size_t offset, size_t length) {
        if (pid == 0 || pid > kLoaderProcesses) return sys::no_process;
        if (pid == kLoaderProcesses) return sys::bad_state;
        if (length == 0 || length > 64) return fs::bad_path;
        char bytes[64];
        const size_t copied = TRY(copy_from_pages(CapList{{path}, 1}, offset, bytes, length));
        if (copied != length) return Error::OutOfRange;
        if (length < 9 || __builtin_memcmp(bytes, "drivers/", 8) != 0) return fs::not_found;
        return {};
    }
};
static_assert(sys::devloader::Server<Loader>);

} // namespace

Error serve_procmgr(ServerLoop& loop) {
    static ProcessTable table(loop);
    return loop.run([&](uint64_t, const ipc::Message& request, ipc::Message& reply) {
        sys::procmgr::dispatch(table, request, reply);
    });
}

Error serve_devices(ServerLoop& loop) {
    static Devices devices(loop);
    return loop.run([&](uint64_t badge, const ipc::Message& request, ipc::Message& reply) {
        if (badge == kRegistryBadge)
            sys::devregistry::dispatch(devices, request, reply);
        else if (badge == kManagerBadge)
            sys::devmgr::dispatch(devices, request, reply);
        else
            ipc::set_error_reply(reply, Error::InvalidCapability);
    });
}

Error serve_devloader(ServerLoop& loop) {
    Loader loader;
    return loop.run([&](uint64_t, const ipc::Message& request, ipc::Message& reply) {
        sys::devloader::dispatch(loader, request, reply);
    });
}

} // namespace protocol_server
