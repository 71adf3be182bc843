// driver_refusal.cpp — names and sentences of the planner
// (lib/driver_plan.hpp): refusal codes, grant kinds, the formatted
// refusal, interface ids.
#include <lib/driver_plan.hpp>
#include <lib/format.hpp>

namespace vesta::driver {

const char* message(Refusal refusal) {
    switch (refusal) {
    case Refusal::None: return "granted";
    case Refusal::NoDeviceTree: return "the machine has no device tree";
    case Refusal::NoMatchingNode: return "no device-tree node matches";
    case Refusal::NoIoPorts: return "the machine has no I/O ports";
    case Refusal::NoSuchReg: return "the node has no such reg entry";
    case Refusal::RegUnusable: return "the reg entry cannot be granted";
    case Refusal::NoSuchInterrupt: return "the node has no such interrupt";
    case Refusal::InterruptUnusable: return "the interrupt has no IRQ line";
    case Refusal::PortsHeld: return "another driver holds the ports";
    case Refusal::IrqHeld: return "another driver holds the IRQ line";
    case Refusal::DeviceMemoryHeld: return "another driver holds the device memory";
    case Refusal::DeviceMemoryOverRam: return "the device memory overlaps RAM";
    case Refusal::GrantsOverlap: return "two entries come to the same resource";
    case Refusal::ServiceNotProvided: return "nobody provides the service";
    case Refusal::ServiceAmbiguous: return "the service name is ambiguous";
    case Refusal::NoFramebuffer: return "the machine has no framebuffer";
    }
    return "unknown refusal";
}

const char* kind_name(GrantKind kind) {
    switch (kind) {
    case GrantKind::IoPort: return "ioport";
    case GrantKind::Irq: return "irq";
    case GrantKind::Note: return "note";
    case GrantKind::Endpoint: return "endpoint";
    case GrantKind::DeviceMemory: return "devmem";
    case GrantKind::Memory: return "memory";
    case GrantKind::CapabilitySpace: return "cspace";
    case GrantKind::VirtualSpace: return "vspace";
    case GrantKind::Service: return "service";
    }
    return "?";
}

size_t format_refusal(const char* driver, const Diagnostic& diagnostic, char* out, size_t size) {
    BufferSink sink(out, size);
    if (diagnostic.location.line)
        format(sink, "{}: {}:{}: {}", driver, diagnostic.location.line, diagnostic.location.column, diagnostic.text);
    else
        format(sink, "{}: {}", driver, diagnostic.text);
    return sink.length();
}

uint32_t interface_id(const char* name) {
    uint32_t hash = 0x811c9dc5u;
    for (; *name; ++name) {
        hash ^= static_cast<uint8_t>(*name);
        hash *= 0x01000193u;
    }
    return hash;
}

} // namespace vesta::driver
