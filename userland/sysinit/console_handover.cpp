// userland/sysinit/console_handover.cpp — the console's hand-over
// (console_handover.hpp).
#include "console_handover.hpp"

#include <lib/fdt.hpp>
#include <lib/manifest_image.hpp>
#include <user/runtime.hpp>

namespace sysinit {

using namespace vesta;
using namespace vesta::user;

namespace {

constexpr uint32_t kPcConsolePort = 0x3f8; // COM1: the kernel's console on a PC

bool drives_console(const manifest::Manifest& manifest, const fdt::DeviceTree* tree, fdt::Node console) {
    if (tree) {
        if (!manifest.has_devicetree || !console.valid()) return false;
        for (size_t i = 0; i < manifest.compatible_count; ++i)
            if (tree->is_compatible(console, manifest.compatibles[i].value)) return true;
        return false;
    }
    for (size_t i = 0; i < manifest.capability_count; ++i) {
        const manifest::Capability& entry = manifest.capabilities[i];
        if (entry.type == manifest::CapabilityType::IoPort && entry.port_first <= kPcConsolePort &&
            kPcConsolePort < entry.port_end)
            return true;
    }
    return false;
}

} // namespace

bool find_console_driver(const bootfs::Tree& tree, const RootInfo& info, char* driver, size_t size) {
    fdt::DeviceTree device_tree;
    const fdt::DeviceTree* dt = nullptr;
    fdt::Node console;
    if (info.device_tree && info.device_tree_size) {
        auto opened = fdt::DeviceTree::open(reinterpret_cast<const void*>(info.device_tree), info.device_tree_size);
        if (!opened.ok()) return false; // the kernel read it; a driver could not be matched to it either
        device_tree = opened.value();
        dt = &device_tree;
        auto stdout_path = device_tree.stdout_path();
        if (stdout_path.ok()) console = stdout_path.value().node;
    }
    bootfs::Path directory{};
    const char kDrivers[] = "drivers";
    for (size_t i = 0; i < sizeof(kDrivers); ++i) directory.text[i] = kDrivers[i];
    directory.length = sizeof(kDrivers) - 1;
    auto found = tree.lookup(directory);
    if (!found.ok()) return false;
    static manifest::Manifest parsed; // a few KiB: not on the stack
    const elf::ElfRequirements requirements{kElfMachine, kPageSize, 0};
    uint16_t child = 0;
    for (uint64_t i = 0; tree.child(found.value(), i, &child); ++i) {
        const bootfs::Node& node = tree.node(child);
        if (node.kind != bootfs::Kind::Regular) continue;
        manifest::Diagnostic diagnostic;
        if (!manifest::parse_image(node.data, node.size, requirements, &parsed, &diagnostic).ok()) continue;
        if (!drives_console(parsed, dt, console)) continue;
        BufferSink sink(driver, size);
        format(sink, "{}", static_cast<const char*>(parsed.name));
        return true;
    }
    return false;
}

Result<ConsoleRelease> release_console() {
    const InvokeResult released = invoke(runtime.system, SystemLabel::ReleaseConsole, kAnySlot, runtime.memory);
    if (released.error != Error::None) return released.error;
    return ConsoleRelease{released.words[0], released.words[1], released.words[2], released.words[3]};
}

} // namespace sysinit
