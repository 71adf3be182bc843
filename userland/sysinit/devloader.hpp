// sysinit/devloader.hpp — the driver loader (sys::devloader's work inside
// the root service): reads a driver image's manifest, matches it to a
// device-tree node, plans its grants against the machine and the grants of
// the other drivers (lib/driver_plan.hpp), creates the capabilities from
// the driver's own memory pool and adds them to the driver's
// user::ProcessStartup, so that spawn() places them at the slots the
// manifest names and describes them in the start-up block
// (docs/manifest.md, "The driver loader").
//
// Contract: a driver gets exactly what its manifest asks for and nothing
// else, or nothing at all: a refused driver leaves no claim behind and
// everything created for it so far is deleted. The loader never trusts the
// image, the manifest or the device tree: every bad input is a refusal with
// a message, never a crash.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/driver_plan.hpp>
#include <lib/fdt.hpp>
#include <lib/manifest.hpp>
#include <lib/result.hpp>
#include <user/runtime.hpp>
#include <vesta/error.hpp>
#include <vesta/root_info.hpp>

namespace sysinit {

// System.ReleaseConsole's reply, as sysinit received it once at start-up:
// the UART's DeviceMemory capability (aarch64; kNoSlot on x86_64), the kind
// (1: I/O ports, 2: MMIO, 0: nothing was released), and the first port or
// physical address and the count of ports or bytes.
struct ConsoleRelease {
    uint64_t device_memory_slot = vesta::kNoSlot;
    uint64_t kind = 0;
    uint64_t first = 0;
    uint64_t count = 0;
};
inline constexpr uint64_t kConsolePorts = 1;
inline constexpr uint64_t kConsoleMmio = 2;

// How sysinit's own services (and services drivers provide) are reached:
// the endpoint slot, in sysinit's cspace, of the IDL interface with this
// fully qualified name ("sys::devregistry"), or kNoSlot when nobody serves
// it. The loader copies the endpoint into the driver.
using ServiceLookup = uint64_t (*)(const char* interface_name, void* context);

// The authorities the loader invokes, as slots of the caller's cspace: the
// root task's by default; the test suite's runner has them elsewhere.
struct LoaderSlots {
    uint64_t irq_control = vesta::root_slot::kIrqControl;
    uint64_t io_port_control = vesta::root_slot::kIoPortControl;
};

// Holds the claims table, a parsed manifest and a plan (about 50 KiB): give
// it static storage. Not thread-safe: one service loop calls it.
class DriverLoader {
public:
    static constexpr size_t kMaxDrivers = 32;       // prepared and not released at once
    static constexpr size_t kMaxRamRanges = 128;    // RootInfo's RAM capabilities and /memory entries
    static constexpr size_t kMaxDeviceSources = 48; // DeviceMemory capabilities to split grants from

    // Once, at start: reads the RootInfo (the device-tree copy, RAM from
    // the Memory capabilities, the DeviceMemory capabilities the kernel
    // gave the root task) and the released console. Errors: InvalidArgument
    // (a RootInfo that is not one, a device tree that does not parse),
    // OutOfRange (more ranges than the loader's tables hold).
    vesta::Error initialise(const vesta::RootInfo& info, const ConsoleRelease& console,
                            const LoaderSlots& slots = LoaderSlots{});

    // Plans, claims and creates the capabilities of the driver in `image`
    // (its ELF bytes), paid from `memory` (a slot of sysinit's cspace: the
    // driver process's pool; everything created is destroyed when that
    // pool is deleted), and adds them to `startup` (its standard slots are
    // turned off: the driver gets only what its manifest names). On
    // device-tree machines the driver gets the first enabled node its
    // [devicetree] compatibles match (most specific compatible first) that
    // no earlier driver was given; none left is a refusal ("no device-tree
    // node matches"). On failure nothing stays claimed, the capabilities
    // made so far are deleted, and `message` (NUL-terminated, cut to
    // `message_size`) says "DRIVER: LINE:COL: reason" (or "IMAGE: reason"
    // when the manifest cannot be read). Returns a handle for release().
    // Errors: Malformed (no valid image or manifest), NotFound (no node, a
    // service nobody provides), Busy (a resource another driver holds),
    // InvalidArgument (any other refused request), OutOfRange (the loader's
    // tables are full), and the kernel's errors (OutOfMemory when the pool
    // is too small).
    vesta::Result<uint32_t> prepare(const void* image, size_t size, uint64_t memory, ServiceLookup services,
                                    void* context, vesta::user::ProcessStartup& startup, char* message,
                                    size_t message_size);

    // Optional, after spawn() copied the grants into the driver and before
    // its pool is deleted: deletes the loader's own copies of what it made
    // (the driver's copies keep the objects alive), so they do not occupy
    // sysinit's cspace while the driver runs. The memory pool a `memory`
    // entry asked for stays: its owning capability is the loader's (spawn
    // copies lend it), and it goes with the driver's pool.
    void spawned(uint32_t handle);

    // The driver's process ended (its pool is deleted by sysinit): its
    // claims return. An unknown or already released handle is ignored.
    void release(uint32_t handle);

    // The manifest the last prepare() read (its name, restart policy, …);
    // unspecified after a prepare() that could not read one.
    const vesta::manifest::Manifest& manifest() const { return manifest_; }

    // What is claimed now (for tests and diagnostics).
    const vesta::driver::Claims& claims() const { return claims_; }
    bool has_device_tree() const { return has_tree_; }

private:
    struct DeviceSource {
        uint64_t slot, physical, pages;
    };
    struct Driver {
        bool used = false;
        uint32_t handle = 0;
        size_t slot_count = 0; // the loader's copies of what it made (spawned() deletes them)
        uint64_t slots[vesta::driver::kMaxGrants] = {};
    };

    vesta::Error perform(uint64_t memory, ServiceLookup services, void* context, Driver& driver, char* message,
                         size_t message_size);
    vesta::Result<uint64_t> split_device_memory(const vesta::driver::Grant& grant, uint64_t memory);
    // Machine::read_device for [devicetree] virtio-device: maps the page
    // (split from a DeviceMemory source, paid from the driver's pool), reads
    // the register, keeps the page mapped for the next read of the same page.
    struct DeviceProbe {
        DriverLoader* loader = nullptr;
        uint64_t memory = vesta::kNoSlot;
        uint64_t page_physical = ~uint64_t{0};
        uint64_t page_slot = vesta::kNoSlot;
        uintptr_t page_address = 0;
    };
    static bool read_device(void* probe, uint64_t physical, uint32_t* value);
    static void end_probe(DeviceProbe& probe);
    void undo();
    Driver* find(uint32_t handle);

    bool initialised_ = false;
    LoaderSlots authority_;
    ConsoleRelease console_;
    bool has_tree_ = false;
    vesta::fdt::DeviceTree tree_;
    vesta::driver::PhysicalRange ram_[kMaxRamRanges];
    size_t ram_count_ = 0;
    // The framebuffer (RootInfo v3; size 0: none) and the environment entry
    // a driver granted it gets: "FRAMEBUFFER=W,H,PITCH,FORMAT,R,G,B,OFFSET"
    // (docs/manifest.md, "The driver loader").
    vesta::driver::PhysicalRange framebuffer_;
    char framebuffer_geometry_[128] = {};
    DeviceSource devices_[kMaxDeviceSources];
    size_t device_count_ = 0;
    uint32_t next_generation_ = 1;
    vesta::driver::Claims claims_;
    vesta::manifest::Manifest manifest_;
    vesta::driver::Plan plan_;
    uint64_t made_[vesta::driver::kMaxGrants] = {}; // per grant of plan_: the slot made, or kNoSlot
    Driver drivers_[kMaxDrivers];
};

} // namespace sysinit
