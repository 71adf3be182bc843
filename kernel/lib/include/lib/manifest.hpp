// lib/manifest.hpp — driver manifests: the INI text a driver carries in its
// `.manifest` ELF section, parsed into a plain struct (docs/manifest.md).
//
//   [driver]
//   name = pcserial
//   desc = Serial driver for x86_64 PCs
//   [capabilities]
//   0:ioport = min=0x3f8, max=0x400
//   1:note =
//   2:irq = irq=4, note=1
//   _:memory = pages=32
//   [services]
//   devregistry =
//
// Contract: parse() reads only inside [text, text + size), allocates
// nothing, and either fills *out with a manifest that satisfies every rule
// of docs/manifest.md (every limit below, every slot used once, every
// number in range, every irq note= naming a note entry, no overlapping
// ports or device memory, node references only with a [devicetree]
// section) or returns the first error in reading order and describes it in
// *diagnostic. Freestanding: shared by the driver loader (userland), the
// build-time checker (tools/manifest-check), host tests and fuzzers.
#pragma once

#include <lib/manifest_error.hpp>
#include <stddef.h>
#include <stdint.h>

namespace vesta::manifest {

// Limits of the format (docs/manifest.md, "Limits").
inline constexpr size_t kMaxSize = 8192;             // bytes of text (and of the .manifest section)
inline constexpr size_t kMaxLineLength = 1024;       // bytes per line, without the line end
inline constexpr size_t kMaxCapabilities = 32;       // entries of [capabilities]
inline constexpr size_t kMaxServices = 16;           // entries of [services]
inline constexpr size_t kMaxProvides = 8;            // entries of [provides]
inline constexpr size_t kMaxCompatibles = 8;         // strings of [devicetree] compatible
inline constexpr uint64_t kMaxVirtioDevice = 0xffff; // [devicetree] virtio-device: a virtio device ID
inline constexpr size_t kMaxNameLength = 31;         // [driver] name
inline constexpr size_t kMaxDescriptionLength = 127;
inline constexpr size_t kMaxInterfaceNameLength = 63;
inline constexpr size_t kMaxCompatibleLength = 63;
inline constexpr uint64_t kMaxSlot = 255;           // highest fixed slot a manifest may name
inline constexpr uint64_t kMaxIrq = 1023;           // highest fixed IRQ line
inline constexpr uint64_t kPortCount = 0x10000;     // ports 0 … 0xffff
inline constexpr uint64_t kMaxNodeIndex = 15;       // reg= and interrupt= indices
inline constexpr uint64_t kMinMemoryPages = 2;      // Memory.Split's minimum
inline constexpr uint64_t kMaxMemoryPages = 262144; // 1 GiB
inline constexpr uint64_t kDevicePageSize = 4096;
inline constexpr uint64_t kMaxRestartMilliseconds = 3600000; // one hour
inline constexpr uint64_t kMaxRestartLimit = 1000;

enum class CapabilityType : uint8_t {
    IoPort,          // ioport = min=FIRST, max=END (END exclusive)
    Irq,             // irq = irq=LINE | interrupt=INDEX, note=SLOT
    Note,            // note =           (a new notification)
    Endpoint,        // endpoint =       (a new endpoint)
    DeviceMemory,    // devmem = base=ADDRESS, size=BYTES | reg=INDEX
    Memory,          // memory = pages=N (a pool split for the driver)
    CapabilitySpace, // cspace = self
    VirtualSpace,    // vspace = self
    Framebuffer,     // framebuffer =    (the boot framebuffer's pages; at most one entry)
};

// The manifest spelling of a type ("ioport", "devmem", …).
const char* type_name(CapabilityType type);

// One [capabilities] entry. Which fields mean something depends on `type`;
// the others are zero.
struct Capability {
    CapabilityType type = CapabilityType::Note;
    bool any_slot = false; // `_`: the loader picks the slot and reports it
    uint16_t slot = 0;     // the fixed slot, when !any_slot
    Location location;     // of the entry's first character
    // IoPort: ports [port_first, port_end), port_first < port_end <= kPortCount.
    uint32_t port_first = 0;
    uint32_t port_end = 0;
    // Irq and DeviceMemory: whether the grant comes from the matched
    // device-tree node (interrupt=INDEX, reg=INDEX) instead of a number.
    bool from_node = false;
    uint32_t node_index = 0; // interrupt= or reg= index, when from_node
    uint32_t irq = 0;        // Irq: the line, when !from_node
    uint16_t note_slot = 0;  // Irq: the fixed slot of its note entry
    Location note_location;  // Irq: of the note= option
    uint64_t base = 0;       // DeviceMemory: page-aligned physical base, when !from_node
    uint64_t size = 0;       // DeviceMemory: bytes, a multiple of kDevicePageSize
    uint64_t pages = 0;      // Memory: pool size in pages
};

// An IDL interface name in [services] or [provides]: "sys::devregistry" or,
// in [services] only, unqualified ("devregistry").
struct Service {
    char name[kMaxInterfaceNameLength + 1] = {};
    bool qualified = false; // contains "::"
    Location location;
};

struct Compatible {
    char value[kMaxCompatibleLength + 1] = {};
    Location location;
};

enum class RestartMode : uint8_t { Never, OnFailure, Always };

// The supervision policy ([driver] restart and restart-* keys), applied by
// sysinit's supervisor (userland/sysinit/restart_policy.hpp): the n-th
// restart within the window waits min(delay * 2^(n-1), delay_max); more than
// `limit` restarts within `window` milliseconds leave the driver down.
struct RestartPolicy {
    RestartMode mode = RestartMode::OnFailure;
    uint32_t delay_ms = 100;
    uint32_t delay_max_ms = 10000;
    uint32_t limit = 5;
    uint32_t window_ms = 60000;
};

struct Manifest {
    char name[kMaxNameLength + 1] = {};
    char description[kMaxDescriptionLength + 1] = {}; // "" when absent
    Location driver_location;                         // of the [driver] header
    Location name_location;                           // of the name's value
    RestartPolicy restart;
    size_t capability_count = 0;
    Capability capabilities[kMaxCapabilities];
    size_t service_count = 0;
    Service services[kMaxServices];
    size_t provide_count = 0;
    Service provides[kMaxProvides];
    bool has_devicetree = false; // a [devicetree] section (then compatible_count >= 1)
    Location devicetree_location;
    size_t compatible_count = 0;
    Compatible compatibles[kMaxCompatibles];
    // [devicetree] virtio-device = ID: only "virtio,mmio" nodes whose
    // transport reports this virtio DeviceID match (the loader reads the
    // transport's registers; 18 is an input device). 0: no such key.
    uint32_t virtio_device = 0;
    Location virtio_device_location;
};

// Parses `size` bytes of manifest text. The text ends at the end of the
// buffer or at its first NUL byte, after which only NUL bytes may follow (a
// section holding a C string literal, padded). On failure *out is
// unspecified and *diagnostic says what and where.
Result<void> parse(const char* text, size_t size, Manifest* out, Diagnostic* diagnostic);

// The entry at fixed slot `slot`, or nullptr.
const Capability* find_slot(const Manifest& manifest, uint32_t slot);

// Whether the manifest's [devicetree] compatible list names `compatible`.
bool matches(const Manifest& manifest, const char* compatible);

} // namespace vesta::manifest
