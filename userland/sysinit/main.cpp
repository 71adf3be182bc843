// userland/sysinit — the root service, the kernel's default root task
// (docs/userland.md): the bootstrap filesystem over the initramfs, the
// process manager, the device registry and manager and the driver loader,
// all served by one ServerLoop on one endpoint and told apart by badge
// (badges.hpp); then it starts usrinit (or the program `usrinit=` names).
#include <fs/fs.ipc.hpp>
#include <sys/devloader.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/devregistry.ipc.hpp>
#include <sys/procmgr.ipc.hpp>
#include <vesta/root_info.hpp>

#include "console_handover.hpp"
#include "devices.hpp"
#include "driver_loading.hpp"
#include "filesystem.hpp"
#include "processes.hpp"
#include "supervision.hpp"
#include "sysinit.hpp"

using namespace vesta;
using namespace vesta::user;
using namespace sysinit;

namespace {

constexpr const char* kDefaultProgram = "usrinit";
constexpr size_t kReplyObjects = ipc::ServerLoop::kMaxReplyObjects; // 15 calls held open at most (waits)

// The value of `name=` on the kernel command line, copied into `out`; false when absent.
bool command_line_value(const RootInfo& info, const char* name, char* out, size_t size) {
    size_t name_length = 0;
    while (name[name_length]) ++name_length;
    const char* line = info.command_line;
    for (size_t i = 0; i < sizeof(info.command_line) && line[i]; ++i) {
        if (i > 0 && line[i - 1] != ' ') continue;
        size_t k = 0;
        while (k < name_length && i + k < sizeof(info.command_line) && line[i + k] == name[k]) ++k;
        if (k != name_length || i + k >= sizeof(info.command_line) || line[i + k] != '=') continue;
        size_t n = 0;
        for (size_t j = i + k + 1; j < sizeof(info.command_line) && line[j] && line[j] != ' ' && n + 1 < size; ++j)
            out[n++] = line[j];
        out[n] = '\0';
        return true;
    }
    return false;
}

[[noreturn]] void give_up(const char* what, Error error) {
    log("cannot {}: {}", what, error_name(error));
    exit(1);
}

struct Services {
    bootfs::Tree& tree;
    PageWindow& window;
    ipc::ServerLoop& loop;
    Filesystem& filesystem;
    ProcessTable& processes;
    Devices& devices;
    DriverLoading& driver_loading;
    Supervisor& supervisor;
};

void process_spawned(void* context, const Process& process) {
    static_cast<Services*>(context)->supervisor.spawned(process);
    static_cast<Services*>(context)->driver_loading.spawned(process);
}

void process_ending(void* context, Process& process, int64_t status, char* note, size_t size) {
    static_cast<Services*>(context)->supervisor.ended(process, status, note, size);
}

uint32_t identity_of(void* context, uint32_t pid) {
    return static_cast<Services*>(context)->supervisor.identity_of(pid);
}

void device_back(void* context, uint32_t identity) { static_cast<Services*>(context)->supervisor.registered(identity); }

size_t list_devices(void* context, records::DeviceRecord* out, size_t capacity) {
    return static_cast<Services*>(context)->devices.describe(out, capacity);
}

void process_ended(void* context, const Process& process) {
    auto* services = static_cast<Services*>(context);
    services->devices.remove_owner(process.pid, services->supervisor.restarting(process));
    services->filesystem.close_files_of(process.pid);
    services->driver_loading.release(process);
    refill_reserved_slots(); // what died with the pool left reserved slots empty
}

// The regular file `program` names in the initramfs.
vesta::Result<uint16_t, bootfs::LookupError> find_program(const bootfs::Tree& tree, const char* program) {
    size_t length = 0;
    while (program[length]) ++length;
    auto path = bootfs::parse_path(program, length);
    if (!path.ok()) return bootfs::LookupError::NotFound;
    const uint16_t node = TRY(tree.lookup(path.value()));
    if (tree.node(node).kind != bootfs::Kind::Regular) return bootfs::LookupError::NotFound;
    return node;
}

// A test program's environment: `counter-hz=N` (the cycle counter's
// frequency, for timing in the guest's clock) and every `name=value` word of
// the kernel command line (e.g. `faultstorm-count=1000`). What does not fit
// the start-up block is left out.
void add_test_environment(ProcessStartup& startup, const RootInfo& info) {
    char word[80];
    BufferSink sink(word, sizeof(word));
    format(sink, "counter-hz={}", info.counter_frequency);
    (void)startup.add_environment(word);
    const char* line = info.command_line;
    for (size_t i = 0; i < sizeof(info.command_line) && line[i];) {
        size_t n = 0;
        bool has_value = false, cut = false;
        for (; i < sizeof(info.command_line) && line[i] && line[i] != ' '; ++i) {
            if (n + 1 < sizeof(word))
                word[n++] = line[i];
            else
                cut = true;
            has_value |= line[i] == '=';
        }
        word[n] = '\0';
        if (has_value && !cut) (void)startup.add_environment(word);
        while (i < sizeof(info.command_line) && line[i] == ' ') ++i;
    }
}

// Starts the first program: usrinit, or what `usrinit=` names (a test
// program, which also gets sys::devregistry and a read-only view of
// sysinit's pool, noted "sysinit-pool").
void start_first_program(Services& services, const char* program, bool test_program, const RootInfo& info) {
    auto node = find_program(services.tree, program);
    if (!node.ok()) {
        log("no program '{}' in the initramfs: nothing to start{}", program,
            test_program ? "" : " (usrinit=NAME chooses another program)");
        return;
    }
    const char* name = program;
    for (const char* c = program; *c; ++c)
        if (*c == '/') name = c + 1;
    auto created = services.processes.create(name);
    if (!created.ok()) {
        log("cannot make a process for {}: {}", program,
            created.error().is_protocol_error() ? "the process table is full"
                                                : error_name(created.error().abi_error()));
        return;
    }
    Process& process = *created.value();
    const bootfs::Node& file = services.tree.node(node.value());
    process.image_bytes = file.data;
    process.image_size = file.size;
    process.state = Process::State::Loaded;
    struct Offered {
        BadgeKind kind;
        uint32_t interface_id;
        const char* note;
        bool test_only;
    };
    const Offered offered[] = {
        {BadgeKind::Filesystem, proto::fs::fs::kId, "fs", false},
        {BadgeKind::ProcessManager, proto::sys::procmgr::kId, "procmgr", false},
        {BadgeKind::DeviceManager, proto::sys::devmgr::kId, "devmgr", false},
        {BadgeKind::DriverLoader, proto::sys::devloader::kId, "devloader", false},
        {BadgeKind::DeviceRegistry, proto::sys::devregistry::kId, "devregistry", true},
    };
    for (const Offered& service : offered) {
        if (service.test_only && !test_program) continue;
        auto minted = mint(make_badge(service.kind, process.pid));
        if (!minted.ok()) give_up("mint a service capability", minted.error());
        (void)services.processes.hold(process, minted.value());
        if (const Error e = process.startup.grant_service(service.interface_id, minted.value(), service.note);
            e != Error::None)
            give_up("grant a service", e);
    }
    if (test_program) {
        const Error e =
            process.startup.grant(Grant{.source = runtime.memory, .note = "sysinit-pool", .rights = rights::kRead});
        if (e != Error::None) give_up("grant the pool view", e);
        add_test_environment(process.startup, info);
    } else if (runtime.system != kNoSlot) {
        // Power off and reboot: usrinit hands it to the shell only.
        const Error e =
            process.startup.grant(Grant{.source = runtime.system, .role = startup::Role::System, .note = "system"});
        if (e != Error::None) give_up("grant the System capability", e);
    }
    if (!test_program && info.version >= 3 && info.framebuffer_physical != 0 && info.framebuffer_size != 0) {
        // usrinit's policy starts the framebuffer console only on a machine with a framebuffer.
        char word[48];
        BufferSink sink(word, sizeof(word));
        format(sink, "framebuffer={}x{}", info.framebuffer_width, info.framebuffer_height);
        (void)process.startup.add_environment(word); // an empty block: cannot fail
    }
    (void)services.processes.start(process); // says why when it cannot
}

void serve(Services& services) {
    const auto handle = [&](uint64_t badge, const ipc::Message& request, ipc::Message& reply) {
        const uint32_t id = badge_id(badge);
        switch (badge_kind(badge)) {
        case BadgeKind::Filesystem: services.filesystem.serve(id, request, reply); break;
        case BadgeKind::File: services.filesystem.serve_file(id, request, reply); break;
        case BadgeKind::ProcessManager: services.processes.serve(id, request, reply); break;
        case BadgeKind::DeviceRegistry: services.devices.serve_registry(id, request, reply); break;
        case BadgeKind::DeviceManager: services.devices.serve_manager(request, reply); break;
        case BadgeKind::DriverLoader: services.driver_loading.serve(request, reply); break;
        case BadgeKind::Fault: handle_fault_message(services.processes, id, request, reply); break;
        case BadgeKind::None: ipc::set_error_reply(reply, Error::InvalidCapability); break;
        }
    };
    // The notification is the supervision timer's: a restart may be due.
    const Error stopped = services.loop.run(handle, [&](uint64_t) { services.supervisor.on_timer(); });
    give_up("serve any longer", stopped);
}

} // namespace

void main(uint64_t argument) {
    const auto& info = *reinterpret_cast<const RootInfo*>(argument);
    if (argument != kRootInfoAddress || info.magic != kRootInfoMagic) {
        print("sysinit: not started by the kernel as the root task; stopping\n");
        exit(1);
    }
    reserved_base = info.cspace_slots - kReservedSlots;
    if (const Error e = fill_reserved_slots(); e != Error::None) give_up("fill the reserved slots", e);

    // The bootstrap filesystem's tree.
    static bootfs::Tree tree;
    bootfs::BuildProblem problem;
    if (tree.build(initramfs, initramfs_size, &problem).ok()) {
        log("bootstrap filesystem: {} files and directories from the initramfs ({} bytes)", tree.node_count() - 1,
            initramfs_size);
    } else {
        char text[320];
        format_problem(problem, text, sizeof(text));
        log("bootstrap filesystem: the initramfs is refused ({}); serving an empty tree",
            static_cast<const char*>(text));
    }

    // The endpoint, the mapping windows and spawn()'s staging tables, made
    // before any process exists (so sysinit's pool only changes with them).
    if (const Error e = create(ObjectType::Endpoint, 0, &service_endpoint); e != Error::None)
        give_up("create the service endpoint", e);
    static PageWindow window;
    if (const Error e = window.prepare(); e != Error::None) give_up("prepare the mapping windows", e);
    if (const Error e = prepare_spawning(); e != Error::None) give_up("prepare spawning", e);
    static SupervisionTimer timer;
    if (const Error e = timer.initialise(info.counter_frequency); e != Error::None)
        give_up("start the supervision timer", e);

    char program[64];
    const bool test_program = command_line_value(info, "usrinit", program, sizeof(program));
    if (!test_program) {
        BufferSink sink(program, sizeof(program));
        format(sink, "{}", kDefaultProgram);
    }

    // The console: released to a driver only when one will take it (usrinit
    // loads the drivers under /drivers).
    ConsoleRelease console{kNoSlot, 0, 0, 0};
    char console_driver[32] = {};
    const char* kept_because = nullptr;
    if (test_program)
        kept_because = "a test program runs instead of usrinit";
    else if (!find_program(tree, program).ok())
        kept_because = "no usrinit to start its driver";
    else if (!find_console_driver(tree, info, console_driver, sizeof(console_driver)))
        kept_because = "no console driver under /drivers";
    if (kept_because) {
        log("console: kept by the kernel ({})", kept_because);
    } else if (auto released = release_console(); released.ok()) {
        console = released.value();
        log("console: handed to the {} driver; the kernel logs into its ring from here",
            static_cast<const char*>(console_driver));
    } else {
        log("console: kept by the kernel (System.ReleaseConsole: {})", error_name(released.error()));
    }

    static DriverLoader loader;
    if (const Error e = loader.initialise(info, console); e != Error::None) give_up("initialise the driver loader", e);

    static ipc::ServerLoop loop;
    if (const Error e = loop.init(
            {.endpoint = service_endpoint, .reply_objects = kReplyObjects, .notification = timer.notification()});
        e != Error::None)
        give_up("start the service loop", e);
    static Filesystem filesystem(tree, window, loop);
    static ProcessTable processes(window, loop);
    static Devices devices(loop);
    static DriverLoading driver_loading(processes, loader, filesystem, tree);
    static Supervisor supervisor(processes, devices, driver_loading, timer);
    driver_loading.set_supervisor(&supervisor);
    static Services services{tree, window, loop, filesystem, processes, devices, driver_loading, supervisor};
    processes.set_hooks(process_spawned, process_ended, &services);
    processes.set_end_note_hook(process_ending, &services);
    devices.set_supervision(identity_of, device_back, &services);
    processes.set_programs(tree);
    processes.set_device_lister(list_devices, &services);
    log("process manager, device registry and manager, driver loader: ready ({} MiB for processes, {} MiB each)",
        free_pages() * kPageSize >> 20, ProcessTable::kPoolPages * kPageSize >> 20);

    start_first_program(services, program, test_program, info);
    serve(services);
}
