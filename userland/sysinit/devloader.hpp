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

class DriverLoader {
public:
    // Once, at start: reads the RootInfo (the device-tree copy, RAM from
    // the Memory capabilities, the DeviceMemory capabilities the kernel
    // gave the root task) and the released console. Errors: InvalidArgument
    // (a RootInfo that is not one, a device tree that does not parse),
    // OutOfRange (more ranges than the loader's tables hold).
    vesta::Error initialise(const vesta::RootInfo& info, const ConsoleRelease& console);

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

    // The driver's process ended (its pool is deleted by sysinit): its
    // claims return. An unknown or already released handle is ignored.
    void release(uint32_t handle);
};

} // namespace sysinit
