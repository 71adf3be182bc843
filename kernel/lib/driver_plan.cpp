// driver_plan.cpp — planning a driver's grants (lib/driver_plan.hpp): each
// manifest entry becomes a concrete resource at its slot, or the whole
// driver is refused with the entry and the reason.
//
// Uses platform::irq_line() (kernel/platform/devicetree_platform.hpp) for
// `interrupt=INDEX`: the one rule that turns a device-tree interrupt into
// an IrqControl line, shared with the kernel.
#include "driver_plan_internal.hpp"

#include <lib/string.hpp>
#include <platform/devicetree_platform.hpp>

namespace vesta::driver {
namespace {

using detail::refuse;

// The last of [first, end), for messages (ranges are never empty).
constexpr uint64_t last(uint64_t end) { return end - 1; }

// What planning one manifest needs at hand.
struct Planner {
    const manifest::Manifest& manifest;
    const Machine& machine;
    const Claims& claims;
    Plan& plan;
    Diagnostic* diagnostic;

    Refusal ports(const manifest::Capability& entry, Grant& grant);
    Refusal irq(const manifest::Capability& entry, Grant& grant);
    Refusal device_memory(const manifest::Capability& entry, Grant& grant);
    Refusal framebuffer(const manifest::Capability& entry, Grant& grant);
    Refusal service(const manifest::Service& entry, Grant& grant);
    Refusal check_pages(const manifest::Capability& entry, Grant& grant, const char* origin, bool check_ram = true);
    void bind_notes();
};

Refusal Planner::ports(const manifest::Capability& entry, Grant& grant) {
    grant.port_first = entry.port_first;
    grant.port_count = entry.port_end - entry.port_first;
    const uint64_t end = entry.port_end;
    if (!machine.io_ports)
        return refuse(diagnostic, Refusal::NoIoPorts, entry.location,
                      "entry {}: ports {:x}-{:x} asked for, but this machine has no I/O ports", grant.entry,
                      grant.port_first, last(end));
    if (const Claim* held = claims.find(ClaimKind::Ports, grant.port_first, end))
        return refuse(diagnostic, Refusal::PortsHeld, entry.location,
                      "entry {}: ports {:x}-{:x} overlap ports {:x}-{:x} held by {} (entry {}, line {})", grant.entry,
                      grant.port_first, last(end), held->first, last(held->end), held->driver, held->entry,
                      held->location.line);
    return Refusal::None;
}

Refusal Planner::irq(const manifest::Capability& entry, Grant& grant) {
    char origin[kMaxNodePath + 32] = {};
    if (entry.from_node) {
        const fdt::DeviceTree& tree = *machine.tree;
        const auto line = platform::irq_line(tree, plan.node, entry.node_index);
        if (!line.ok()) {
            const platform::IrqLineError error = line.error();
            if (error == platform::IrqLineError::NoInterrupts)
                return refuse(diagnostic, Refusal::NoSuchInterrupt, entry.location,
                              "entry {}: interrupt={}, but {} has no interrupts", grant.entry, entry.node_index,
                              plan.node_path);
            if (error == platform::IrqLineError::NoSuchInterrupt) {
                const auto count = tree.interrupt_count(plan.node);
                return refuse(diagnostic, Refusal::NoSuchInterrupt, entry.location,
                              "entry {}: interrupt={}, but {} has {} interrupt{}", grant.entry, entry.node_index,
                              plan.node_path, count.ok() ? count.value() : 0,
                              count.ok() && count.value() == 1 ? "" : "s");
            }
            return refuse(diagnostic, Refusal::InterruptUnusable, entry.location,
                          "entry {}: interrupt={} of {} has no IRQ line: {}", grant.entry, entry.node_index,
                          plan.node_path, platform::message(error));
        }
        grant.line = line.value();
        BufferSink sink(origin, sizeof(origin));
        format(sink, " (interrupt={} of {})", entry.node_index, plan.node_path);
    } else {
        grant.line = entry.irq;
    }
    for (size_t i = 0; i + 1 < plan.grant_count; ++i) {
        const Grant& other = plan.grants[i];
        if (other.kind == GrantKind::Irq && other.line == grant.line)
            return refuse(diagnostic, Refusal::GrantsOverlap, entry.location,
                          "entry {}: IRQ line {}{} is already granted by the entry at line {} ({})", grant.entry,
                          grant.line, origin, other.location.line, other.entry);
    }
    if (const Claim* held = claims.find(ClaimKind::Irq, grant.line, uint64_t{grant.line} + 1))
        return refuse(diagnostic, Refusal::IrqHeld, entry.location,
                      "entry {}: IRQ line {}{} is held by {} (entry {}, line {})", grant.entry, grant.line, origin,
                      held->driver, held->entry, held->location.line);
    return Refusal::None;
}

Refusal Planner::device_memory(const manifest::Capability& entry, Grant& grant) {
    if (entry.type == manifest::CapabilityType::Framebuffer) return framebuffer(entry, grant);
    if (!entry.from_node) {
        grant.physical = grant.register_address = entry.base;
        grant.pages = entry.size / kPageSize;
        grant.register_size = entry.size;
        return check_pages(entry, grant, "");
    }
    const fdt::DeviceTree& tree = *machine.tree;
    const auto count = tree.reg_count(plan.node);
    if (!count.ok() || entry.node_index >= count.value()) {
        const uint32_t entries = count.ok() ? count.value() : 0;
        return refuse(diagnostic, Refusal::NoSuchReg, entry.location, "entry {}: reg={}, but {} has {} reg entr{}",
                      grant.entry, entry.node_index, plan.node_path, entries, entries == 1 ? "y" : "ies");
    }
    const auto region = tree.cpu_region(plan.node, entry.node_index);
    if (!region.ok())
        return refuse(diagnostic, Refusal::RegUnusable, entry.location,
                      "entry {}: reg={} of {} cannot be translated to a CPU address: {}", grant.entry, entry.node_index,
                      plan.node_path, fdt::message(region.error()));
    const fdt::Region r = region.value();
    if (r.size == 0)
        return refuse(diagnostic, Refusal::RegUnusable, entry.location, "entry {}: reg={} of {} is empty (size 0)",
                      grant.entry, entry.node_index, plan.node_path);
    const uint64_t first = r.address & ~(kPageSize - 1);
    const uint64_t end_bytes = r.address + r.size;
    // The last page must not wrap either: end rounded up stays above first.
    if (end_bytes < r.address || end_bytes > ~uint64_t{0} - (kPageSize - 1))
        return refuse(diagnostic, Refusal::RegUnusable, entry.location,
                      "entry {}: reg={} of {} ({:x}, {:x} bytes) wraps around the address space", grant.entry,
                      entry.node_index, plan.node_path, r.address, r.size);
    const uint64_t end = (end_bytes + kPageSize - 1) & ~(kPageSize - 1);
    grant.physical = first;
    grant.pages = (end - first) / kPageSize;
    grant.register_address = r.address;
    grant.register_size = r.size;
    char origin[kMaxNodePath + 96];
    BufferSink sink(origin, sizeof(origin));
    if (first == r.address && end == end_bytes)
        format(sink, " (reg={} of {})", entry.node_index, plan.node_path);
    else
        format(sink, " (reg={} of {}: {:x}, {:x} bytes, rounded out to whole pages)", entry.node_index, plan.node_path,
               r.address, r.size);
    return check_pages(entry, grant, origin);
}

// The loader's framebuffer, rounded out to whole pages (GOP framebuffers
// are page-aligned in practice; the rounding is said in messages when not).
Refusal Planner::framebuffer(const manifest::Capability& entry, Grant& grant) {
    const PhysicalRange fb = machine.framebuffer;
    if (fb.size == 0)
        return refuse(diagnostic, Refusal::NoFramebuffer, entry.location,
                      "entry {}: the machine has no framebuffer (the loader found no graphics output)", grant.entry);
    const uint64_t end_bytes = fb.base + fb.size;
    if (end_bytes < fb.base || end_bytes > ~uint64_t{0} - (kPageSize - 1))
        return refuse(diagnostic, Refusal::RegUnusable, entry.location,
                      "entry {}: the framebuffer ({:x}, {:x} bytes) wraps around the address space", grant.entry,
                      fb.base, fb.size);
    const uint64_t first = fb.base & ~(kPageSize - 1);
    const uint64_t end = (end_bytes + kPageSize - 1) & ~(kPageSize - 1);
    grant.framebuffer = true;
    grant.physical = first;
    grant.pages = (end - first) / kPageSize;
    grant.register_address = fb.base;
    grant.register_size = fb.size;
    // No RAM check: a framebuffer may lie in what the device tree calls RAM
    // (QEMU's ramfb is memory the firmware set aside). The kernel's memory
    // map types it Framebuffer, never RAM it allocates, and the loader can
    // only split it from the DeviceMemory capability the kernel made for it.
    return check_pages(entry, grant, " (the framebuffer)", false);
}

// RAM (unless !check_ram), the plan's other device memory, the claims — in that order.
Refusal Planner::check_pages(const manifest::Capability& entry, Grant& grant, const char* origin, bool check_ram) {
    const uint64_t first = grant.physical;
    const uint64_t end = first + grant.pages * kPageSize;
    for (size_t i = 0; check_ram && i < machine.ram_count; ++i) {
        const PhysicalRange& ram = machine.ram[i];
        if (!ram.size) continue;
        // A range that would wrap is taken to reach the top of the address space.
        const uint64_t ram_last = ram.base + ram.size < ram.base ? ~uint64_t{0} : ram.base + ram.size - 1;
        if (ram.base < end && first <= ram_last)
            return refuse(diagnostic, Refusal::DeviceMemoryOverRam, entry.location,
                          "entry {}: device memory {:x}-{:x}{} overlaps RAM {:x}-{:x}", grant.entry, first, last(end),
                          origin, ram.base, ram_last);
    }
    for (size_t i = 0; i + 1 < plan.grant_count; ++i) {
        const Grant& other = plan.grants[i];
        const uint64_t other_end = other.physical + other.pages * kPageSize;
        if (other.kind == GrantKind::DeviceMemory && other.physical < end && first < other_end)
            return refuse(
                diagnostic, Refusal::GrantsOverlap, entry.location,
                "entry {}: device memory {:x}-{:x}{} shares pages with {:x}-{:x} of the entry at line {} ({})",
                grant.entry, first, last(end), origin, other.physical, last(other_end), other.location.line,
                other.entry);
    }
    if (const Claim* held = claims.find(ClaimKind::DeviceMemory, first, end))
        return refuse(diagnostic, Refusal::DeviceMemoryHeld, entry.location,
                      "entry {}: device memory {:x}-{:x}{} overlaps {:x}-{:x} held by {} (entry {}, line {})",
                      grant.entry, first, last(end), origin, held->first, last(held->end), held->driver, held->entry,
                      held->location.line);
    return Refusal::None;
}

// The part after the last "::" (the whole name when there is none).
const char* last_component(const char* name) {
    const char* component = name;
    for (const char* p = name; *p; ++p)
        if (p[0] == ':' && p[1] == ':') component = p + 2;
    return component;
}

Refusal Planner::service(const manifest::Service& entry, Grant& grant) {
    const char* found = nullptr;
    const char* other = nullptr; // a second, different candidate
    char provided[kMaxMessage] = {};
    BufferSink list(provided, sizeof(provided));
    const size_t total = machine.service_count + claims.provided_count();
    for (size_t i = 0; i < total; ++i) {
        const char* name = i < machine.service_count ? machine.services[i] : claims.provided(i - machine.service_count);
        format(list, i ? ", {}" : "{}", name);
        const bool match =
            entry.qualified ? strings_equal(name, entry.name) : strings_equal(last_component(name), entry.name);
        if (!match) continue;
        if (!found)
            found = name;
        else if (!other && !strings_equal(found, name))
            other = name;
    }
    if (!found)
        return refuse(diagnostic, Refusal::ServiceNotProvided, entry.location,
                      "service '{}' is provided by no one (provided: {})", entry.name, total ? provided : "nothing");
    if (other)
        return refuse(diagnostic, Refusal::ServiceAmbiguous, entry.location,
                      "service '{}' could be {} or {}: qualify it", entry.name, found, other);
    detail::copy_text(grant.interface_name, sizeof(grant.interface_name), found);
    grant.interface_id = interface_id(found);
    return Refusal::None;
}

// Each irq's note grant and badge: the k-th irq bound to a note signals bit k.
void Planner::bind_notes() {
    for (size_t i = 0; i < plan.grant_count; ++i) {
        Grant& grant = plan.grants[i];
        if (grant.kind != GrantKind::Irq) continue;
        uint32_t earlier = 0;
        for (size_t j = 0; j < i; ++j)
            if (plan.grants[j].kind == GrantKind::Irq &&
                plan.grants[plan.grants[j].note_grant].slot == plan.grants[grant.note_grant].slot)
                ++earlier;
        grant.badge = uint64_t{1} << (earlier % 64);
    }
}

GrantKind kind_of(manifest::CapabilityType type) {
    switch (type) {
    case manifest::CapabilityType::IoPort: return GrantKind::IoPort;
    case manifest::CapabilityType::Irq: return GrantKind::Irq;
    case manifest::CapabilityType::Note: return GrantKind::Note;
    case manifest::CapabilityType::Endpoint: return GrantKind::Endpoint;
    case manifest::CapabilityType::DeviceMemory: return GrantKind::DeviceMemory;
    case manifest::CapabilityType::Memory: return GrantKind::Memory;
    case manifest::CapabilityType::CapabilitySpace: return GrantKind::CapabilitySpace;
    case manifest::CapabilityType::VirtualSpace: return GrantKind::VirtualSpace;
    case manifest::CapabilityType::Framebuffer: return GrantKind::DeviceMemory;
    }
    return GrantKind::Note;
}

} // namespace

Result<void, Refusal> plan(const manifest::Manifest& manifest, const Machine& machine, const Claims& claims, Plan* out,
                           Diagnostic* diagnostic) {
    Plan& plan = *out;
    *diagnostic = Diagnostic{};
    detail::copy_text(plan.driver, sizeof(plan.driver), manifest.name);
    plan.has_node = manifest.has_devicetree;
    plan.node = fdt::Node();
    plan.node_location = manifest.devicetree_location;
    plan.node_path[0] = '\0';
    plan.grant_count = 0;
    plan.provide_count = manifest.provide_count;
    plan.provides = manifest.provides;
    if (manifest.has_devicetree) {
        plan.node = TRY(detail::match_node(manifest, machine, claims, diagnostic));
        node_path(*machine.tree, plan.node, plan.node_path, sizeof(plan.node_path));
    }
    Planner planner{manifest, machine, claims, plan, diagnostic};
    const size_t capability_count =
        manifest.capability_count < manifest::kMaxCapabilities ? manifest.capability_count : manifest::kMaxCapabilities;
    for (size_t i = 0; i < capability_count; ++i) {
        const manifest::Capability& entry = manifest.capabilities[i];
        Grant& grant = plan.grants[plan.grant_count++];
        grant = Grant{};
        grant.kind = kind_of(entry.type);
        grant.any_slot = entry.any_slot;
        grant.slot = entry.slot;
        grant.location = entry.location;
        BufferSink name(grant.entry, sizeof(grant.entry));
        if (entry.any_slot)
            format(name, "_:{}", manifest::type_name(entry.type));
        else
            format(name, "{}:{}", entry.slot, manifest::type_name(entry.type));
        Refusal refusal = Refusal::None;
        switch (grant.kind) {
        case GrantKind::IoPort: refusal = planner.ports(entry, grant); break;
        case GrantKind::Irq: refusal = planner.irq(entry, grant); break;
        case GrantKind::DeviceMemory: refusal = planner.device_memory(entry, grant); break;
        case GrantKind::Memory: grant.memory_pages = entry.pages; break;
        default: break;
        }
        if (refusal != Refusal::None) return refusal;
    }
    // The parser guarantees each irq's note= names a fixed note entry.
    for (size_t i = 0; i < plan.grant_count; ++i) {
        Grant& grant = plan.grants[i];
        if (grant.kind != GrantKind::Irq) continue;
        const uint16_t note_slot = manifest.capabilities[i].note_slot;
        for (size_t j = 0; j < plan.grant_count; ++j)
            if (plan.grants[j].kind == GrantKind::Note && !plan.grants[j].any_slot && plan.grants[j].slot == note_slot)
                grant.note_grant = static_cast<uint32_t>(j);
    }
    planner.bind_notes();
    const size_t service_count =
        manifest.service_count < manifest::kMaxServices ? manifest.service_count : manifest::kMaxServices;
    for (size_t i = 0; i < service_count; ++i) {
        Grant& grant = plan.grants[plan.grant_count++];
        grant = Grant{};
        grant.kind = GrantKind::Service;
        grant.any_slot = true;
        grant.location = manifest.services[i].location;
        detail::copy_text(grant.entry, sizeof(grant.entry), "service");
        if (const Refusal refusal = planner.service(manifest.services[i], grant); refusal != Refusal::None)
            return refusal;
    }
    return {};
}

} // namespace vesta::driver
