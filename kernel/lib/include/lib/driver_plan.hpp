// lib/driver_plan.hpp — the driver loader's grant planner: from a parsed
// driver manifest, the machine (its device tree, RAM, who serves which
// interface) and the grants other drivers already hold, the concrete
// resource and slot of every entry — or a refusal naming the entry and the
// reason (docs/manifest.md, "The driver loader").
//
//   driver::Machine machine{.tree = &tree, .ram = ram, .ram_count = n, ...};
//   static driver::Plan plan;
//   driver::Diagnostic why;
//   if (!driver::plan(manifest, machine, claims, &plan, &why).ok())
//       driver::format_refusal(manifest, why, text, sizeof text);  // "pl011: 9:1: entry 0:devmem: ..."
//   ... create the capabilities ...
//   claims.add(plan, owner);      // only once everything was granted
//   claims.release(owner);        // when the driver's process ends
//
// Contract: plan() changes nothing (the claims table is read only); it reads
// the device tree only through lib/fdt (never outside the blob, never
// looping) and the manifest only inside its fixed arrays. A plan it accepts
// grants every entry exactly once, at the slot the manifest names (or any
// slot for `_`), and none of its resources overlaps RAM, another of its own
// grants, or a claim in the table. Freestanding and allocation-free: the
// root service's loader, host tests and a fuzzer share it. Not linked into
// the kernel.
#pragma once

#include <lib/fdt.hpp>
#include <lib/manifest.hpp>
#include <lib/result.hpp>
#include <stddef.h>
#include <stdint.h>

namespace vesta::driver {

inline constexpr uint64_t kPageSize = manifest::kDevicePageSize;
// Every [capabilities] entry and every [services] entry becomes one grant.
inline constexpr size_t kMaxGrants = manifest::kMaxCapabilities + manifest::kMaxServices;
inline constexpr size_t kMaxMessage = 240;  // a refusal's sentence, NUL included
inline constexpr size_t kMaxNodePath = 128; // a node's path in messages (cut with "...")
inline constexpr size_t kMaxEntryName = 16; // "255:endpoint"
inline constexpr size_t kMaxDriverName = manifest::kMaxNameLength + 1;

struct PhysicalRange {
    uint64_t base = 0;
    uint64_t size = 0;
};

// What the planner knows of the machine. Pointers are borrowed for the call.
struct Machine {
    const fdt::DeviceTree* tree = nullptr; // nullptr: no device tree (x86_64)
    const PhysicalRange* ram = nullptr;    // RAM ranges: device memory never overlaps them
    size_t ram_count = 0;
    bool io_ports = false; // the machine has I/O ports (x86_64)
    // Interfaces served whatever drivers run (the root service's own:
    // user/root_services.hpp). Drivers' [provides] come from the claims.
    const char* const* services = nullptr;
    size_t service_count = 0;
    // The framebuffer the loader found (RootInfo v3), for `framebuffer`
    // entries; size 0: none.
    PhysicalRange framebuffer;
    // Reads the 32-bit device register at `physical` into *value; false
    // when it cannot (no device memory covers it). Used only for
    // [devicetree] virtio-device, whose candidates' MagicValue, Version and
    // DeviceID registers are read (side-effect free on virtio-mmio).
    // nullptr: this machine cannot probe, and such manifests match nothing.
    bool (*read_device)(void* context, uint64_t physical, uint32_t* value) = nullptr;
    void* read_device_context = nullptr;
};

enum class GrantKind : uint8_t {
    IoPort,          // port_first, port_count
    Irq,             // line, bound to the note of grant note_grant with `badge`
    Note,            // a new notification
    Endpoint,        // a new endpoint
    DeviceMemory,    // pages at physical (page-aligned)
    Memory,          // a pool of memory_pages pages
    CapabilitySpace, // the driver's own cspace
    VirtualSpace,    // the driver's own vspace
    Service,         // an endpoint to interface_name
};
const char* kind_name(GrantKind kind);

// One resource of the plan, at its slot.
struct Grant {
    GrantKind kind = GrantKind::Note;
    bool any_slot = false; // `_` (and every service): the loader's choice
    uint16_t slot = 0;
    manifest::Location location;    // of the manifest entry
    char entry[kMaxEntryName] = {}; // "3:irq", "_:memory", "service" — for messages
    uint32_t port_first = 0;        // IoPort
    uint32_t port_count = 0;
    uint32_t line = 0;             // Irq: the IrqControl line
    uint32_t note_grant = 0;       // Irq: index (in Plan::grants) of the note it is bound to
    uint64_t badge = 0;            // Irq: the badge it signals the note with: bit k for the k-th irq on that note
    uint64_t physical = 0;         // DeviceMemory: first byte, page-aligned
    uint64_t pages = 0;            // DeviceMemory: whole pages
    uint64_t register_address = 0; // DeviceMemory: the range as asked for (a node's reg may
    uint64_t register_size = 0;    //   start and end inside its pages)
    bool framebuffer = false;      // DeviceMemory of a `framebuffer` entry (the executor adds its geometry)
    uint64_t memory_pages = 0;     // Memory
    char interface_name[manifest::kMaxInterfaceNameLength + 1] = {}; // Service: fully qualified
    uint32_t interface_id = 0;                                       // Service: FNV-1a of the name
};

struct Plan {
    char driver[kMaxDriverName] = {};
    bool has_node = false; // the manifest has [devicetree]: `node` is the matched one
    fdt::Node node;
    manifest::Location node_location;  // of [devicetree]
    char node_path[kMaxNodePath] = {}; // "/soc/serial@7e215040"
    size_t grant_count = 0;            // capabilities in manifest order, then services
    Grant grants[kMaxGrants];
    size_t provide_count = 0; // the manifest's [provides], recorded by Claims::add
    const manifest::Service* provides = nullptr;
};

enum class Refusal : uint8_t {
    None,
    NoDeviceTree,        // [devicetree] on a machine without a device tree
    NoMatchingNode,      // no enabled node is compatible, or every one has a driver
    NoIoPorts,           // ioport on a machine without I/O ports
    NoSuchReg,           // reg=INDEX beyond the node's reg entries
    RegUnusable,         // the reg entry is empty, wraps, or cannot be translated to a CPU address
    NoSuchInterrupt,     // interrupt=INDEX beyond the node's interrupts
    InterruptUnusable,   // the interrupt has no IrqControl line (per-CPU, unknown controller, malformed)
    PortsHeld,           // another driver holds some of the ports
    IrqHeld,             // another driver holds the line
    DeviceMemoryHeld,    // another driver holds some of the pages
    DeviceMemoryOverRam, // the pages overlap RAM
    GrantsOverlap,       // two entries of this manifest come to the same line or page
    ServiceNotProvided,  // nobody serves the interface
    ServiceAmbiguous,    // an unqualified name that several served interfaces end with
    NoFramebuffer,       // framebuffer on a machine whose loader found none
};
const char* message(Refusal refusal);

struct Diagnostic {
    Refusal refusal = Refusal::None;
    manifest::Location location; // of the entry refused (or of [devicetree])
    char text[kMaxMessage] = {}; // the sentence, NUL-terminated
};

// Writes "DRIVER: LINE:COLUMN: sentence" (or "DRIVER: sentence" without a
// location), NUL-terminated and cut to `size`; returns the length written.
size_t format_refusal(const char* driver, const Diagnostic& diagnostic, char* out, size_t size);

// FNV-1a (32-bit) of an interface's qualified name: its IDL interface id
// (docs/idl.md).
uint32_t interface_id(const char* name);

// --- The claims table -----------------------------------------------------

enum class ClaimKind : uint8_t { Ports, Irq, DeviceMemory, Node };

// One resource a running driver holds: [first, end) ports, lines, bytes of
// physical memory, or the device-tree node at offset `first`.
struct Claim {
    ClaimKind kind = ClaimKind::Ports;
    uint32_t owner = 0;
    uint64_t first = 0;
    uint64_t end = 0;
    char driver[kMaxDriverName] = {};
    char entry[kMaxEntryName] = {};
    manifest::Location location;
};

// What every driver that runs holds. Filled only by whole accepted plans,
// emptied by owner; the planner reads it.
class Claims {
public:
    static constexpr size_t kMaxClaims = 192;
    static constexpr size_t kMaxProvided = 64;

    // Records every port range, line, device-memory range and node of
    // `plan`, and its [provides], for `owner`. All or nothing: OutOfRange
    // (and nothing recorded) when the table cannot hold them.
    Result<void> add(const Plan& plan, uint32_t owner);
    // Forgets everything `owner` holds (nothing when it holds nothing).
    void release(uint32_t owner);
    // Forgets everything.
    void clear() {
        count_ = 0;
        provided_count_ = 0;
    }

    // The first claim of `kind` overlapping [first, end), or nullptr.
    const Claim* find(ClaimKind kind, uint64_t first, uint64_t end) const;
    size_t count() const { return count_; }
    const Claim& at(size_t index) const { return claims_[index]; }

    // Interfaces running drivers provide ([provides]).
    size_t provided_count() const { return provided_count_; }
    const char* provided(size_t index) const { return provided_[index].name; }

private:
    struct Provided {
        uint32_t owner = 0;
        char name[manifest::kMaxInterfaceNameLength + 1] = {};
    };
    Claim claims_[kMaxClaims];
    size_t count_ = 0;
    Provided provided_[kMaxProvided];
    size_t provided_count_ = 0;
};

// --- Planning ----------------------------------------------------------------

// Matches the manifest's [devicetree] to a node (the first enabled node that
// no claim holds, the one whose matching compatible string comes earliest in
// its own compatible list — most specific first — ties in document order;
// with virtio-device, only virtio-mmio transports whose registers name that
// device: Machine::read_device),
// then plans every entry in manifest order and every service. On refusal
// *out is unspecified and *diagnostic says which entry and why.
Result<void, Refusal> plan(const manifest::Manifest& manifest, const Machine& machine, const Claims& claims, Plan* out,
                           Diagnostic* diagnostic);

// The path of `node` ("/" for the root), cut with "..." to fit `size`.
void node_path(const fdt::DeviceTree& tree, fdt::Node node, char* out, size_t size);

} // namespace vesta::driver
