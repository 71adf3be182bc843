// test/fuzz/manifest.cpp — libFuzzer target for the driver-manifest parser
// (lib/manifest), which reads manifests from driver images in the driver
// loader and in the build-time check.
//
// Whatever the input, parse() must stay inside it (ASan), be deterministic,
// and either fail with a located, NUL-terminated diagnostic or return a
// manifest that keeps every documented rule (checked below one by one).
#include <lib/manifest.hpp>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

using namespace vesta::manifest;

namespace {

void require(bool condition) {
    if (!condition) abort();
}

bool valid_name(const char* name) {
    if (name[0] < 'a' || name[0] > 'z') return false;
    for (const char* c = name; *c; ++c) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_')) return false;
    }
    return strlen(name) <= kMaxNameLength;
}

void check_manifest(const Manifest& m) {
    require(valid_name(m.name));
    require(m.driver_location.line >= 1 && m.name_location.line >= 1);
    require(strlen(m.description) <= kMaxDescriptionLength);
    require(m.capability_count <= kMaxCapabilities && m.service_count <= kMaxServices);
    require(m.provide_count <= kMaxProvides && m.compatible_count <= kMaxCompatibles);
    require(m.has_devicetree == (m.compatible_count > 0));
    require(m.restart.delay_max_ms >= m.restart.delay_ms);
    require(m.restart.limit >= 1 && m.restart.limit <= kMaxRestartLimit);
    int cspaces = 0, vspaces = 0;
    for (size_t i = 0; i < m.capability_count; ++i) {
        const Capability& c = m.capabilities[i];
        require(c.any_slot || c.slot <= kMaxSlot);
        require(c.any_slot || find_slot(m, c.slot) == &c); // fixed slots are unique
        require(!c.from_node || m.has_devicetree);
        require(!c.from_node || c.node_index <= kMaxNodeIndex);
        switch (c.type) {
        case CapabilityType::IoPort: require(c.port_first < c.port_end && c.port_end <= kPortCount); break;
        case CapabilityType::Irq: {
            require(c.from_node || c.irq <= kMaxIrq);
            const Capability* note = find_slot(m, c.note_slot);
            require(note != nullptr && note->type == CapabilityType::Note);
            break;
        }
        case CapabilityType::DeviceMemory:
            if (!c.from_node) {
                require(c.base % kDevicePageSize == 0 && c.size % kDevicePageSize == 0 && c.size != 0);
                require(c.base + c.size > c.base); // no wrap, not even to exactly 0
            }
            break;
        case CapabilityType::Memory: require(c.pages >= kMinMemoryPages && c.pages <= kMaxMemoryPages); break;
        case CapabilityType::CapabilitySpace: ++cspaces; break;
        case CapabilityType::VirtualSpace: ++vspaces; break;
        default: break;
        }
        for (size_t j = 0; j < i; ++j) {
            const Capability& o = m.capabilities[j];
            if (o.type != c.type || o.from_node != c.from_node) continue;
            if (c.type == CapabilityType::IoPort) require(c.port_end <= o.port_first || o.port_end <= c.port_first);
            if (c.type == CapabilityType::Irq) require(c.from_node ? c.node_index != o.node_index : c.irq != o.irq);
            if (c.type == CapabilityType::DeviceMemory && c.from_node) require(c.node_index != o.node_index);
        }
    }
    require(cspaces <= 1 && vspaces <= 1);
    for (size_t i = 0; i < m.service_count; ++i) require(strlen(m.services[i].name) <= kMaxInterfaceNameLength);
    for (size_t i = 0; i < m.provide_count; ++i) require(m.provides[i].qualified);
    for (size_t i = 0; i < m.compatible_count; ++i) {
        require(m.compatibles[i].value[0] != '\0' && matches(m, m.compatibles[i].value));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // A copy of exactly `size` bytes, so ASan catches any read past the end.
    char* copy = static_cast<char*>(malloc(size ? size : 1));
    memcpy(copy, data, size);
    static Manifest manifest, again;
    Diagnostic diagnostic, second;
    const Result<void> result = parse(copy, size, &manifest, &diagnostic);
    const Result<void> repeat = parse(copy, size, &again, &second);
    require(result.error() == repeat.error() && diagnostic.error == second.error);
    require(diagnostic.location.line == second.location.line && diagnostic.location.column == second.location.column);
    require(memchr(diagnostic.text, 0, sizeof diagnostic.text) != nullptr);
    require(strcmp(diagnostic.text, second.text) == 0);
    require(diagnostic.error == result.error());
    if (result.ok()) {
        require(diagnostic.text[0] == '\0');
        check_manifest(manifest);
    } else {
        require(diagnostic.error != Error::None && diagnostic.text[0] != '\0');
        require(diagnostic.error < Error::ImageInvalid); // image errors come only from manifest_image
        // Located errors point into the text (a column may be one past a line's end).
        require(diagnostic.location.line <= size + 1 && diagnostic.location.column <= kMaxLineLength + 1);
        char line[300];
        require(format_diagnostic(diagnostic, line, sizeof line) < sizeof line);
    }
    free(copy);
    return 0;
}
