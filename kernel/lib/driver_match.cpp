// driver_match.cpp — which device-tree node a driver gets, and node paths
// for messages (lib/driver_plan.hpp).
#include "driver_plan_internal.hpp"

#include <lib/string.hpp>

namespace vesta::driver {

void node_path(const fdt::DeviceTree& tree, fdt::Node node, char* out, size_t size) {
    if (!size) return;
    out[0] = '\0';
    // Innermost first; depth is bounded by the validator (kMaxDepth).
    fdt::Node chain[fdt::kMaxDepth];
    uint32_t depth = 0;
    for (fdt::Node at = node; at.valid() && depth < fdt::kMaxDepth;) {
        const auto parent = tree.parent(at);
        if (!parent.ok()) break; // the root: its name is empty
        chain[depth++] = at;
        at = parent.value();
    }
    BufferSink sink(out, size);
    size_t needed = depth == 0 ? 1 : 0; // bytes of the whole path, without the NUL
    if (depth == 0) sink("/", 1);
    for (uint32_t i = depth; i-- > 0;) {
        const char* name = tree.name(chain[i]);
        if (!name) name = "?";
        sink("/", 1);
        sink(name, string_length(name));
        needed += 1 + string_length(name);
    }
    // Cut: say so rather than print a wrong path.
    if (needed + 1 > size && size > 4) {
        out[size - 4] = '.';
        out[size - 3] = '.';
        out[size - 2] = '.';
    }
}

namespace detail {
namespace {

// The position in the node's compatible list of the first string the
// manifest names, or -1 when it names none.
int match_rank(const fdt::DeviceTree& tree, fdt::Node node, const manifest::Manifest& manifest) {
    auto strings = tree.read_strings(node, "compatible");
    if (!strings.ok()) return -1;
    int rank = 0;
    for (const char* s = strings.value().next(); s; s = strings.value().next(), ++rank)
        if (manifest::matches(manifest, s)) return rank;
    return -1;
}

// "\"a\", \"b\"" for messages.
void list_compatibles(const manifest::Manifest& manifest, char* out, size_t size) {
    BufferSink sink(out, size);
    for (size_t i = 0; i < manifest.compatible_count; ++i)
        format(sink, i ? ", \"{}\"" : "\"{}\"", manifest.compatibles[i].value);
}

// What a virtio-mmio transport holds (docs/manifest.md, "Matching a node").
enum class VirtioProbe : uint8_t { Match, Empty, Other, NotVirtio, Unreadable };

VirtioProbe probe_virtio(const fdt::DeviceTree& tree, fdt::Node node, const Machine& machine, uint32_t wanted) {
    constexpr uint32_t kMagic = 0x74726976; // "virt"
    constexpr uint64_t kMagicAt = 0x0, kDeviceIdAt = 0x8;
    if (!machine.read_device) return VirtioProbe::Unreadable;
    const auto region = tree.cpu_region(node, 0);
    if (!region.ok() || region.value().size < kDeviceIdAt + 4) return VirtioProbe::Unreadable;
    const uint64_t base = region.value().address;
    uint32_t magic = 0, device = 0;
    if (base > ~uint64_t{0} - kDeviceIdAt - 4 ||
        !machine.read_device(machine.read_device_context, base + kMagicAt, &magic) ||
        !machine.read_device(machine.read_device_context, base + kDeviceIdAt, &device))
        return VirtioProbe::Unreadable;
    if (magic != kMagic) return VirtioProbe::NotVirtio;
    if (device == 0) return VirtioProbe::Empty;
    return device == wanted ? VirtioProbe::Match : VirtioProbe::Other;
}

} // namespace

Result<fdt::Node, Refusal> match_node(const manifest::Manifest& manifest, const Machine& machine, const Claims& claims,
                                      Diagnostic* diagnostic) {
    char wanted[96];
    list_compatibles(manifest, wanted, sizeof(wanted));
    if (!machine.tree)
        return refuse(diagnostic, Refusal::NoDeviceTree, manifest.devicetree_location,
                      "[devicetree] asks for a node compatible with {}, but this machine has no device tree", wanted);
    const fdt::DeviceTree& tree = *machine.tree;
    fdt::Node best;
    int best_rank = -1;
    const Claim* held = nullptr; // a matching node that another driver has
    fdt::Node held_node;
    uint32_t disabled = 0;
    uint32_t probed[5] = {}; // virtio-device: transports by VirtioProbe outcome
    // next_node visits each node once (the validator bounded their count).
    for (fdt::Node node = tree.next_node(fdt::Node()); node.valid(); node = tree.next_node(node)) {
        const int rank = match_rank(tree, node, manifest);
        if (rank < 0) continue;
        if (!tree.is_enabled(node)) {
            ++disabled;
            continue;
        }
        if (const Claim* claim = claims.find(ClaimKind::Node, node.offset(), uint64_t{node.offset()} + 1)) {
            if (!held) {
                held = claim;
                held_node = node;
            }
            continue;
        }
        if (manifest.virtio_device != 0) {
            const VirtioProbe outcome = probe_virtio(tree, node, machine, manifest.virtio_device);
            ++probed[static_cast<size_t>(outcome)];
            if (outcome != VirtioProbe::Match) continue;
        }
        if (best_rank < 0 || rank < best_rank) {
            best = node;
            best_rank = rank;
        }
    }
    if (best.valid()) return best;
    if (held) {
        char path[kMaxNodePath];
        node_path(tree, held_node, path, sizeof(path));
        return refuse(diagnostic, Refusal::NoMatchingNode, manifest.devicetree_location,
                      "no device-tree node compatible with {} is left: {} is driven by {}", wanted, path, held->driver);
    }
    if (manifest.virtio_device != 0 && probed[static_cast<size_t>(VirtioProbe::Match)] == 0 &&
        probed[static_cast<size_t>(VirtioProbe::Empty)] + probed[static_cast<size_t>(VirtioProbe::Other)] +
                probed[static_cast<size_t>(VirtioProbe::NotVirtio)] +
                probed[static_cast<size_t>(VirtioProbe::Unreadable)] >
            0)
        return refuse(diagnostic, Refusal::NoMatchingNode, manifest.devicetree_location,
                      "no virtio-mmio transport holds a device of type {} ({} empty, {} with other devices, {} not "
                      "virtio-mmio, {} unreadable)",
                      manifest.virtio_device, probed[static_cast<size_t>(VirtioProbe::Empty)],
                      probed[static_cast<size_t>(VirtioProbe::Other)],
                      probed[static_cast<size_t>(VirtioProbe::NotVirtio)],
                      probed[static_cast<size_t>(VirtioProbe::Unreadable)]);
    if (disabled)
        return refuse(diagnostic, Refusal::NoMatchingNode, manifest.devicetree_location,
                      "no device-tree node compatible with {} is enabled ({} disabled)", wanted, disabled);
    return refuse(diagnostic, Refusal::NoMatchingNode, manifest.devicetree_location,
                  "no device-tree node matches: none is compatible with {}", wanted);
}

} // namespace detail
} // namespace vesta::driver
