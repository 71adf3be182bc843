// manifest_check.cpp — the rules that relate [capabilities] entries to each
// other and to [devicetree]: an irq's note= names a note entry, node
// references need a [devicetree] section, and no two entries ask for the
// same ports, IRQ line or device memory. Each error is reported at the
// later of the two entries involved, entries taken in reading order.
#include "manifest_internal.hpp"

namespace vesta::manifest::detail {

namespace {

const char* article(const char* noun) {
    const char c = noun[0];
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ? "an" : "a";
}

Result<void> check_note(Reporter& report, const Manifest& manifest, const Capability& irq) {
    const Capability* note = find_slot(manifest, irq.note_slot);
    if (note == nullptr)
        return report.fail(Error::BadNoteSlot, irq.note_location, "note={} names slot {}, which holds no entry",
                           irq.note_slot, irq.note_slot);
    if (note->type != CapabilityType::Note)
        return report.fail(Error::BadNoteSlot, irq.note_location,
                           "note={} names slot {}, which holds {} {}, not a note", irq.note_slot, irq.note_slot,
                           article(type_name(note->type)), type_name(note->type));
    return {};
}

Result<void> check_pair(Reporter& report, const Capability& earlier, const Capability& later) {
    if (earlier.type != later.type) return {};
    const uint32_t line = earlier.location.line;
    switch (later.type) {
    case CapabilityType::IoPort:
        if (later.port_first < earlier.port_end && earlier.port_first < later.port_end)
            return report.fail(Error::PortsOverlap, later.location,
                               "ports {:x}-{:x} overlap ports {:x}-{:x} of the entry at line {}", later.port_first,
                               later.port_end - 1, earlier.port_first, earlier.port_end - 1, line);
        return {};
    case CapabilityType::Irq:
        if (earlier.from_node != later.from_node) return {};
        if (later.from_node && later.node_index == earlier.node_index)
            return report.fail(Error::IrqUsedTwice, later.location,
                               "interrupt={} is already requested by the entry at line {}", later.node_index, line);
        if (!later.from_node && later.irq == earlier.irq)
            return report.fail(Error::IrqUsedTwice, later.location,
                               "irq={} is already requested by the entry at line {}", later.irq, line);
        return {};
    case CapabilityType::DeviceMemory:
        if (earlier.from_node != later.from_node) return {};
        if (later.from_node && later.node_index == earlier.node_index)
            return report.fail(Error::DeviceMemoryOverlap, later.location,
                               "reg={} is already requested by the entry at line {}", later.node_index, line);
        // Both ranges are page-aligned and do not wrap (manifest_capabilities.cpp).
        if (!later.from_node && later.base < earlier.base + earlier.size && earlier.base < later.base + later.size)
            return report.fail(Error::DeviceMemoryOverlap, later.location,
                               "device memory {:x}-{:x} overlaps {:x}-{:x} of the entry at line {}", later.base,
                               later.base + later.size - 1, earlier.base, earlier.base + earlier.size - 1, line);
        return {};
    default: return {};
    }
}

} // namespace

Result<void> check_capabilities(State& state) {
    Reporter& report = *state.report;
    const Manifest& manifest = *state.manifest;
    for (size_t i = 0; i < manifest.capability_count; ++i) {
        const Capability& capability = manifest.capabilities[i];
        if (capability.type == CapabilityType::Irq) TRY(check_note(report, manifest, capability));
        if (capability.from_node && !manifest.has_devicetree)
            return report.fail(Error::NoDeviceTree, capability.location,
                               "{}={} refers to the matched device-tree node, but there is no "
                               "[devicetree] section",
                               capability.type == CapabilityType::Irq ? "interrupt" : "reg", capability.node_index);
        for (size_t j = 0; j < i; ++j) TRY(check_pair(report, manifest.capabilities[j], capability));
    }
    return {};
}

} // namespace vesta::manifest::detail
