// userland/tests/devloader_tests.cpp — the driver loader (sysinit's
// DriverLoader, userland/sysinit/devloader.hpp) in QEMU, over the runner's
// own authorities: its IRQ and I/O-port control, its device page (QEMU
// virt's PL031, named by the kernel's device tree) and the device tree.
// Real driver images from the test initramfs — `devtest`, which checks that
// it got exactly its manifest, and `devrogue`, which touches a UART it was
// not granted — and copies of devtest patched in memory into malformed or
// refused manifests (the build-time check keeps such images out of any
// initramfs). Every refusal: its error, its exact message, nothing claimed,
// every page of the driver's pool back, and the next driver still loads.
#include <lib/fdt.hpp>
#include <lib/string.hpp>

#include "devloader.hpp" // userland/sysinit
#include "suite.hpp"

namespace suite {
namespace {

using sysinit::DriverLoader;

constexpr uint64_t kPoolPages = 128;
constexpr size_t kMessageSize = 256;

DriverLoader& loader() {
    static DriverLoader instance; // about 50 KiB
    return instance;
}
ProcessStartup& driver_startup() {
    static ProcessStartup instance;
    return instance;
}

uint64_t registry = kNoSlot; // what the lookup answers for sys::devregistry
uint64_t lookup(const char* name, void*) { return strings_equal(name, "sys::devregistry") ? registry : kNoSlot; }

// The test initramfs (suite slot kInitramfs), mapped once per runner.
bool find_image(const char* name, const void** image, size_t* size) {
    if (!initramfs) {
        const InvokeResult info = invoke(slot::kInitramfs, FrameLabel::Info);
        auto address = map_frame(slot::kInitramfs, rights::kRead);
        if (info.error != Error::None || !address.ok()) return false;
        initramfs = reinterpret_cast<const void*>(address.value());
        initramfs_size = info.words[1] * kPageSize;
    }
    return find_file(name, image, size);
}

// The kernel's device tree with QEMU virt's PL031 enabled: AAVMF marks it
// "disabled" (its runtime services read the clock), but it is the one device
// the runner holds a page of, as in the irq. and vspace. tests. The copy is
// the test's; the loader's rule (enabled nodes only) is unchanged.
const void* tree_with_pl031_enabled(const void* blob, size_t* size) {
    static void* copy = nullptr;
    auto opened = fdt::DeviceTree::open(blob, *size);
    if (!opened.ok()) return nullptr;
    const size_t total = opened.value().total_size();
    *size = total;
    if (!copy) copy = allocate(total);
    if (!copy) return nullptr;
    __builtin_memcpy(copy, blob, total);
    auto tree = fdt::DeviceTree::open(copy, total);
    if (!tree.ok()) return nullptr;
    const fdt::Node rtc = tree.value().next_compatible(fdt::Node(), "arm,pl031");
    const auto status = tree.value().property(rtc, "status");
    if (status.ok() && status.value().length >= 5) {
        auto* value = const_cast<uint8_t*>(status.value().data); // inside `copy`
        __builtin_memset(value, 0, status.value().length);
        __builtin_memcpy(value, "okay", 4);
    }
    return copy;
}

// A RootInfo as the kernel would write it, holding what the runner has: its
// device page and (device-tree machines) the device tree, with the PL031
// enabled unless `kernel_tree`.
Error initialise_loader(bool kernel_tree = false) {
    static RootInfo info;
    info = RootInfo{};
    info.magic = kRootInfoMagic;
    info.version = kRootInfoVersion;
    info.size = sizeof(RootInfo);
    const InvokeResult device = invoke(slot::kDevice, FrameLabel::Info);
    if (device.error == Error::None)
        info.capabilities[info.capability_count++] = {slot::kDevice, static_cast<uint64_t>(ObjectType::DeviceMemory),
                                                      device.words[0], device.words[1], 0};
    const InvokeResult tree = invoke(slot::kDeviceTree, FrameLabel::Info);
    if (tree.error == Error::None) {
        static uint64_t mapped = 0;
        if (!mapped) {
            auto address = map_frame(slot::kDeviceTree, rights::kRead);
            if (!address.ok()) return address.error();
            mapped = address.value();
        }
        size_t size = tree.words[1] * kPageSize;
        const void* blob = reinterpret_cast<const void*>(mapped);
        if (!kernel_tree) blob = tree_with_pl031_enabled(blob, &size);
        if (!blob) return Error::Malformed;
        info.device_tree = reinterpret_cast<uint64_t>(blob);
        info.device_tree_size = size;
    }
    registry = make(ObjectType::Endpoint);
    if (registry == kNoSlot) return Error::OutOfMemory;
    return loader().initialise(info, sysinit::ConsoleRelease{},
                               {.irq_control = slot::kIrqControl, .io_port_control = slot::kIoPortControl});
}

// One driver: its pool (split from the runner's), its handle, its process.
struct Driver {
    uint64_t pool = kNoSlot;
    uint32_t handle = 0;
    Spawned spawned{};
    char message[kMessageSize] = {};
};

// A pool of `pages` and DriverLoader::prepare() of the image into it.
Error prepare(const void* image, size_t size, Driver& d, uint64_t pages = kPoolPages) {
    const InvokeResult pool = invoke(runtime.memory, MemoryLabel::Split, pages, kAnySlot);
    if (pool.error != Error::None) return pool.error;
    d.pool = pool.words[0];
    driver_startup() = ProcessStartup{};
    auto handle = loader().prepare(image, size, d.pool, lookup, nullptr, driver_startup(), d.message, kMessageSize);
    if (!handle.ok()) return handle.error();
    d.handle = handle.value();
    return Error::None;
}

// Spawns and starts a prepared driver with `fault_endpoint` as its supervisor.
Error start(const void* image, size_t size, Driver& d, uint64_t fault_endpoint, const char* name) {
    SpawnOptions options;
    options.memory = d.pool;
    options.startup = &driver_startup();
    options.fault_endpoint = fault_endpoint;
    options.name = name;
    if (Error e = spawn(image, size, options, &d.spawned); e != Error::None) return e;
    loader().spawned(d.handle);
    return vesta::user::start(d.spawned);
}

// The driver's process ends: its pool goes, then its claims.
void end(Driver& d) {
    if (d.pool != kNoSlot) delete_cap(d.pool);
    loader().release(d.handle);
    d = Driver{};
}

// The next message on the fault endpoint (an exit or a fault), or false.
struct Report {
    FaultKind kind;
    uint64_t address, detail;
};
bool supervise(uint64_t endpoint, uint64_t reply, Report* report, uint64_t ticks = 500) {
    runtime.ipc_buffer->poll[0] = endpoint;
    if (syscall(Syscall::Poll, 1, {}, 0, 0, 0, 0, kNoSlot, ticks).error != Error::None) return false;
    const SyscallResult m = syscall(Syscall::Recv, endpoint, {}, 0, 0, 0, 0, reply);
    if (m.error != Error::None) return false;
    *report = {static_cast<FaultKind>(m.tag.label()), m.words[0], m.words[2]};
    return true;
}

// Loads devtest, runs it, and expects it to report that every check passed.
bool devtest_runs(const void* image, size_t size) {
    const uint64_t endpoint = make(ObjectType::Endpoint), reply = make(ObjectType::Reply);
    EXPECT(endpoint != kNoSlot && reply != kNoSlot);
    Driver d;
    const Error prepared = prepare(image, size, d);
    if (prepared != Error::None) return fail(d.message, __LINE__);
    EXPECT(!driver_startup().standard_slots);
    EXPECT_OK(start(image, size, d, endpoint, "devtest"));
    Report report{};
    EXPECT(supervise(endpoint, reply, &report));
    if (report.kind != FaultKind::Exited || report.detail != 0) {
        char text[96];
        print_to(text, sizeof(text), "devtest: fault kind {} detail {} (an exit status is its failed check's line)",
                 static_cast<uint64_t>(report.kind), report.detail);
        return fail(text, __LINE__);
    }
    end(d);
    EXPECT(loader().claims().count() == 0);
    delete_cap(reply);
    delete_cap(endpoint);
    return true;
}

// A refused prepare: the error, the exact message, nothing claimed, every
// page of the driver's pool back (before the pool itself goes).
bool refused(const void* image, size_t size, Error expected, const char* message, uint64_t pages = kPoolPages) {
    const size_t claims_before = loader().claims().count();
    Driver d;
    const InvokeResult pool = invoke(runtime.memory, MemoryLabel::Split, pages, kAnySlot);
    EXPECT_OK(pool.error);
    d.pool = pool.words[0];
    const uint64_t free_before = free_pages(d.pool);
    driver_startup() = ProcessStartup{};
    const size_t grants_before = driver_startup().grant_count();
    auto handle = loader().prepare(image, size, d.pool, lookup, nullptr, driver_startup(), d.message, kMessageSize);
    EXPECT(!handle.ok());
    EXPECT_ERROR(handle.error(), expected);
    if (!strings_equal(d.message, message)) {
        char text[2 * kMessageSize + 16];
        print_to(text, sizeof(text), "message '{}', expected '{}'", d.message, message);
        return fail(text, __LINE__);
    }
    EXPECT(loader().claims().count() == claims_before);
    EXPECT(free_pages(d.pool) == free_before);
    EXPECT(driver_startup().grant_count() == grants_before && driver_startup().standard_slots);
    delete_cap(d.pool);
    return true;
}

// A copy of an image, on the heap, with `from` replaced by `to` (same
// length) at its first occurrence.
struct Patched {
    uint8_t* bytes = nullptr;
    size_t size = 0;
    ~Patched() { free(bytes); }
};
bool patch(const void* image, size_t size, const char* from, const char* to, Patched& out) {
    free(out.bytes);
    out.bytes = static_cast<uint8_t*>(allocate(size));
    out.size = size;
    if (!out.bytes) return false;
    __builtin_memcpy(out.bytes, image, size);
    const size_t length = string_length(from);
    if (length != string_length(to) || length > size) return false;
    for (size_t i = 0; i + length <= size; ++i)
        if (__builtin_memcmp(out.bytes + i, from, length) == 0) {
            __builtin_memcpy(out.bytes + i, to, length);
            return true;
        }
    return false;
}

#define EXPECT_REFUSED_PATCH(from, to, error, message)                                                                 \
    do {                                                                                                               \
        EXPECT(patch(image, size, from, to, copy));                                                                    \
        if (!refused(copy.bytes, copy.size, error, message)) return false;                                             \
    } while (0)

bool load_devtest(const void** image, size_t* size) {
    if (!find_image("devtest", image, size)) return false;
    return initialise_loader() == Error::None;
}

// --- Tests -------------------------------------------------------------------

// devtest gets exactly its manifest and checks it from the inside.
bool grants_exactly() {
    const void* image = nullptr;
    size_t size = 0;
    EXPECT(load_devtest(&image, &size));
    return devtest_runs(image, size);
}

// A second instance finds its resources held; the first one's end returns them.
bool held_resources_refused() {
    const void* image = nullptr;
    size_t size = 0;
    EXPECT(load_devtest(&image, &size));
    Driver first;
    EXPECT_OK(prepare(image, size, first));
    EXPECT(loader().claims().count() >= 2);
#if defined(__x86_64__)
    if (!refused(image, size, Error::Busy,
                 "devtest: 8:1: entry 0:ioport: ports 0x2f8-0x2ff overlap ports 0x2f8-0x2ff held by devtest (entry "
                 "0:ioport, line 8)"))
        return false;
#else
    if (!refused(image, size, Error::NotFound,
                 "devtest: 7:1: no device-tree node compatible with \"arm,pl031\" is left: /pl031@9010000 is driven by "
                 "devtest"))
        return false;
#endif
    end(first);
    EXPECT(loader().claims().count() == 0);
    Driver again;
    EXPECT_OK(prepare(image, size, again));
    end(again);
    return true;
}

// A line someone outside the loader holds: the kernel says Busy, and what
// was made before the IRQ handler (the port or page, the note, the pool) is
// deleted again.
bool kernel_refusal_rolls_back() {
    const void* image = nullptr;
    size_t size = 0;
    EXPECT(load_devtest(&image, &size));
#if defined(__x86_64__)
    constexpr uint64_t kLine = 3;
    const char* expected = "devtest: 10:1: entry 2:irq: IrqControl.Get failed: busy (the kernel or a task the loader "
                           "did not start holds the line)";
#else
    constexpr uint64_t kLine = 2;
    const char* expected = "devtest: 13:1: entry 2:irq: IrqControl.Get failed: busy (the kernel or a task the loader "
                           "did not start holds the line)";
#endif
    const InvokeResult held = invoke(slot::kIrqControl, IrqControlLabel::Get, kLine, kAnySlot, runtime.memory);
    EXPECT_OK(held.error);
    if (!refused(image, size, Error::Busy, expected)) return false;
    EXPECT_OK(delete_cap(held.words[0]));
    // A pool too small for `_:memory = pages=16`.
#if defined(__x86_64__)
    const char* small = "devtest: 11:1: entry _:memory: Memory.Split failed: out of memory (the driver's memory pool "
                        "is too small)";
#else
    const char* small = "devtest: 14:1: entry _:memory: Memory.Split failed: out of memory (the driver's memory pool "
                        "is too small)";
#endif
    if (!refused(image, size, Error::OutOfMemory, small, 12)) return false;
    return devtest_runs(image, size);
}

// Malformed images and manifests: refused with the parser's message, the
// loader and the system carry on.
bool malformed_manifests_refused() {
    const void* image = nullptr;
    size_t size = 0;
    EXPECT(load_devtest(&image, &size));
    Patched copy;
    EXPECT_REFUSED_PATCH("[driver]", "[drivex]", Error::Malformed,
                         "driver image: 2:2: unknown section [drivex] (expected driver, capabilities, services, "
                         "provides or devicetree)");
    EXPECT_REFUSED_PATCH("name = devtest", "nome = devtest", Error::Malformed,
                         "driver image: 3:1: unknown key 'nome' in [driver] (expected name, desc, restart, "
                         "restart-delay, restart-delay-max, restart-limit or restart-window)");
#if defined(__x86_64__)
    EXPECT_REFUSED_PATCH("1:note =", "1:nite =", Error::Malformed,
                         "driver image: 9:3: unknown capability type 'nite' (expected ioport, irq, note, endpoint, "
                         "devmem, memory, cspace, vspace or framebuffer)");
    EXPECT_REFUSED_PATCH("pages=16", "pages=1 ", Error::Malformed,
                         "driver image: 11:12: pages=1 is out of range (2 to 262144)");
#else
    EXPECT_REFUSED_PATCH("1:note =", "1:nite =", Error::Malformed,
                         "driver image: 12:3: unknown capability type 'nite' (expected ioport, irq, note, endpoint, "
                         "devmem, memory, cspace, vspace or framebuffer)");
    EXPECT_REFUSED_PATCH("pages=16", "pages=1 ", Error::Malformed,
                         "driver image: 14:12: pages=1 is out of range (2 to 262144)");
#endif
    EXPECT_REFUSED_PATCH(".manifest", ".manifesx", Error::Malformed,
                         "driver image: no .manifest section (a driver declares one with VESTA_MANIFEST)");
    if (!refused(image, 64, Error::Malformed,
                 "driver image: not a valid driver image: program header table extends past the end of the file"))
        return false;
    if (!refused(nullptr, 0, Error::Malformed, "driver image: no image")) return false;
    return devtest_runs(image, size);
}

// Requests that parse but are not granted.
bool requests_refused() {
    const void* image = nullptr;
    size_t size = 0;
    EXPECT(load_devtest(&image, &size));
    Patched copy;
#if defined(__x86_64__)
    EXPECT_REFUSED_PATCH("sys::devregistry =", "sys::devregistrx =", Error::NotFound,
                         "devtest: 16:1: service 'sys::devregistrx' is provided by no one (provided: fs::fs, "
                         "sys::procmgr, sys::devregistry, sys::devmgr, sys::devloader)");
    // The console's ports: the kernel keeps them until System.ReleaseConsole.
    EXPECT_REFUSED_PATCH("min=0x2f8, max=0x300", "min=0x3f8, max=0x400", Error::Busy,
                         "devtest: 8:1: entry 0:ioport: IoPortControl.Get failed: busy (the kernel or a task the "
                         "loader did not start holds them)");
    const char* unserved = "devtest: 16:1: service 'sys::devregistry' is not being served (no endpoint for it)";
#else
    EXPECT_REFUSED_PATCH("sys::devregistry =", "sys::devregistrx =", Error::NotFound,
                         "devtest: 19:1: service 'sys::devregistrx' is provided by no one (provided: fs::fs, "
                         "sys::procmgr, sys::devregistry, sys::devmgr, sys::devloader)");
    EXPECT_REFUSED_PATCH("\"arm,pl031\"", "\"arm,pl03x\"", Error::NotFound,
                         "devtest: 7:1: no device-tree node matches: none is compatible with \"arm,pl03x\"");
    EXPECT_REFUSED_PATCH("reg=0", "reg=1", Error::InvalidArgument,
                         "devtest: 11:1: entry 0:devmem: reg=1, but /pl031@9010000 has 1 reg entry");
    EXPECT_REFUSED_PATCH("interrupt=0", "interrupt=4", Error::InvalidArgument,
                         "devtest: 13:1: entry 2:irq: interrupt=4, but /pl031@9010000 has 1 interrupt");
    // The PL011 is the kernel's console: the loader holds no device memory for it.
    EXPECT_REFUSED_PATCH("\"arm,pl031\"", "\"arm,pl011\"", Error::NotFound,
                         "devtest: 11:1: entry 0:devmem: no device memory the loader was given covers "
                         "0x9000000-0x9000fff (the kernel hands the root task the MMIO ranges the firmware's memory "
                         "map lists, and the console's registers once released)");
    const char* unserved = "devtest: 19:1: service 'sys::devregistry' is not being served (no endpoint for it)";
    // The kernel's own tree, as AAVMF left it: the PL031 is disabled.
    EXPECT_OK(initialise_loader(true));
    if (!refused(image, size, Error::NotFound,
                 "devtest: 7:1: no device-tree node compatible with \"arm,pl031\" is enabled (1 disabled)"))
        return false;
    EXPECT_OK(initialise_loader());
#endif
    const uint64_t served = registry;
    registry = kNoSlot;
    const bool ok = refused(image, size, Error::NotFound, unserved);
    registry = served;
    if (!ok) return false;
    return devtest_runs(image, size);
}

// devrogue touches a UART it was not granted: it faults, its supervisor
// hears of it, and the next driver loads and runs.
bool ungranted_device_faults() {
    const void* image = nullptr;
    size_t size = 0;
    EXPECT(find_image("devrogue", &image, &size));
    EXPECT_OK(initialise_loader());
    const uint64_t endpoint = make(ObjectType::Endpoint), reply = make(ObjectType::Reply);
    EXPECT(endpoint != kNoSlot && reply != kNoSlot);
    Driver d;
    if (prepare(image, size, d) != Error::None) return fail(d.message, __LINE__);
    EXPECT_OK(start(image, size, d, endpoint, "devrogue"));
    Report report{};
    EXPECT(supervise(endpoint, reply, &report));
#if defined(__x86_64__)
    EXPECT(report.kind == FaultKind::Protection);
#else
    EXPECT(report.kind == FaultKind::PageFault);
    EXPECT(report.address == 0x0900'0000);
#endif
    end(d); // kills the faulted driver with its pool
    const void* good = nullptr;
    size_t good_size = 0;
    EXPECT(find_image("devtest", &good, &good_size));
    return devtest_runs(good, good_size);
}

} // namespace

const Test kDevloaderTests[] = {
    {"devloader.grants_exactly", grants_exactly},
    {"devloader.held_resources_refused", held_resources_refused},
    {"devloader.kernel_refusal_rolls_back", kernel_refusal_rolls_back},
    {"devloader.malformed_manifests_refused", malformed_manifests_refused},
    {"devloader.requests_refused", requests_refused},
    {"devloader.ungranted_device_faults", ungranted_device_faults},
};
const size_t kDevloaderTestCount = sizeof(kDevloaderTests) / sizeof(kDevloaderTests[0]);

} // namespace suite
