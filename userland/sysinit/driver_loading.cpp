// userland/sysinit/driver_loading.cpp — sys::devloader (driver_loading.hpp).
#include "driver_loading.hpp"

#include "supervision.hpp"
#include "sysinit.hpp"

namespace sysinit {

using namespace vesta;
using namespace vesta::user;
namespace sys = vesta::proto::sys;
using ipc::Result;

namespace {

constexpr uint8_t kDriverPriority = 110; // above ordinary programs: a driver answers its IRQs first

bool equal(const char* a, const char* b) {
    size_t i = 0;
    for (; a[i] && a[i] == b[i]; ++i) {
    }
    return a[i] == b[i];
}

} // namespace

BadgeKind service_kind(const char* interface_name) {
    struct Known {
        const char* qualified;
        const char* last;
        BadgeKind kind;
    };
    static constexpr Known kServices[] = {
        {"fs::fs", "fs", BadgeKind::Filesystem},
        {"sys::procmgr", "procmgr", BadgeKind::ProcessManager},
        {"sys::devregistry", "devregistry", BadgeKind::DeviceRegistry},
        {"sys::devmgr", "devmgr", BadgeKind::DeviceManager},
        {"sys::devloader", "devloader", BadgeKind::DriverLoader},
    };
    for (const Known& known : kServices)
        if (equal(interface_name, known.qualified) || equal(interface_name, known.last)) return known.kind;
    return BadgeKind::None;
}

void DriverLoading::serve(const ipc::Message& request, ipc::Message& reply) {
    if (!sys::devloader::dispatch(*this, request, reply)) ipc::set_error_reply(reply, Error::NotSupported);
}

void DriverLoading::spawned(const Process& process) {
    if (process.driver) loader_.spawned(process.driver_handle);
}

void DriverLoading::release(const Process& process) {
    if (process.driver) loader_.release(process.driver_handle);
}

uint64_t DriverLoading::lookup(const char* interface_name, void* context) {
    auto* self = static_cast<DriverLoading*>(context);
    Process* process = self->loading_;
    const BadgeKind kind = service_kind(interface_name);
    if (!process || kind == BadgeKind::None) return kNoSlot;
    auto minted = mint(make_badge(kind, process->pid));
    if (!minted.ok()) return kNoSlot;
    if (self->processes_.hold(*process, minted.value()) != Error::None) { // dropped at start (copied by then) or end
        drop(minted.value());
        return kNoSlot;
    }
    return minted.value();
}

Result<void> DriverLoading::prepare(Process& process, const void* bytes, size_t size) {
    char message[256] = {};
    loading_ = &process;
    auto handle = loader_.prepare(bytes, size, process.pool, &DriverLoading::lookup, this, process.startup, message,
                                  sizeof(message));
    loading_ = nullptr;
    if (!handle.ok()) {
        log("devloader: {}", static_cast<const char*>(message));
        for (size_t i = 0; i < process.held_count; ++i) drop(process.held[i]);
        process.held_count = 0;
        process.startup = ProcessStartup{};
        return handle.error() == Error::OutOfMemory ? ipc::Status(Error::OutOfMemory) : ipc::Status(sys::bad_manifest);
    }
    const char* name = loader_.manifest().name; // the manifest prepare() read
    size_t i = 0;
    for (; name[i] && i + 1 < Process::kNameSize; ++i) process.name[i] = name[i];
    process.name[i] = '\0';
    process.driver = true;
    process.driver_handle = handle.value();
    process.priority = kDriverPriority;
    process.state = Process::State::Loaded;
    return {};
}

Result<void> DriverLoading::load(const ipc::CapList& image, uint64_t pid, size_t size) {
    Process* process = processes_.find(pid);
    if (!process) return sys::no_process;
    if (process->state != Process::State::New) return sys::bad_state;
    TRY(processes_.take_image(*process, image, size));
    auto mapped = processes_.map_image(*process);
    if (!mapped.ok()) {
        drop(process->image);
        process->image = kNoSlot;
        return mapped.error();
    }
    const ipc::Status prepared = prepare(*process, mapped.value(), size).error();
    processes_.unmap_image(*process);
    if (!prepared.ok()) {
        drop(process->image);
        process->image = kNoSlot;
    }
    return prepared;
}

Result<void> DriverLoading::load_image(Process& process, const void* bytes, size_t size) {
    if (process.state != Process::State::New) return sys::bad_state;
    TRY(processes_.use_image(process, bytes, size));
    return prepare(process, bytes, size);
}

Result<void> DriverLoading::load_path(ipc::Slot path, uint64_t pid, size_t path_offset, size_t path_length) {
    Process* process = processes_.find(pid);
    if (!process) return sys::no_process;
    if (process->state != Process::State::New) return sys::bad_state;
    const uint16_t node = TRY(filesystem_.resolve(path, path_offset, path_length));
    const bootfs::Node& file = tree_.node(node);
    if (file.kind != bootfs::Kind::Regular) return proto::fs::is_directory;
    TRY(load_image(*process, file.data, file.size));
    if (supervisor_) (void)supervisor_->adopt(*process, file.data, file.size, loader_.manifest().restart);
    return {};
}

} // namespace sysinit
