// test/fuzz/driver_plan.cpp — libFuzzer target for the driver loader's grant
// planner (lib/driver_plan), fed a manifest and a device tree.
//
// Input: a 2-byte little-endian manifest length, the manifest text, then a
// device-tree blob (no tree when it does not open; the first byte after the
// length also chooses whether the machine has I/O ports). Whatever the
// input, planning must stay inside the blob and the manifest (ASan), and an
// accepted plan must keep the contract of lib/driver_plan.hpp: one grant per
// entry at its slot, IRQ handlers bound to a note entry with a one-bit
// badge, whole pages of device memory overlapping no RAM and no other
// grant, no line twice, services with their FNV-1a ids; claiming it and
// planning again never hands out a claimed resource; release empties the
// table. A refusal has a location-less or located NUL-terminated sentence.
#include <lib/driver_plan.hpp>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

using namespace vesta;
using namespace vesta::driver;

namespace {

void require(bool condition) {
    if (!condition) abort();
}

const char* const kServices[] = {"fs::fs", "sys::procmgr", "sys::devregistry", "sys::devmgr", "sys::devloader"};
const PhysicalRange kRam[] = {{0x0, 0x3c000000}, {0x40000000, 0x20000000}};

void check_refusal(const manifest::Manifest& m, const Diagnostic& why) {
    require(why.refusal != Refusal::None);
    require(memchr(why.text, 0, sizeof(why.text)) != nullptr && why.text[0] != '\0');
    char small[16];
    format_refusal(m.name, why, small, sizeof(small));
    require(memchr(small, 0, sizeof(small)) != nullptr);
}

void check_plan(const manifest::Manifest& m, const Plan& p, const Claims& claims) {
    require(p.grant_count == m.capability_count + m.service_count);
    require(p.has_node == m.has_devicetree);
    require(!p.has_node || (p.node.valid() && p.node_path[0] == '/'));
    for (size_t i = 0; i < p.grant_count; ++i) {
        const Grant& g = p.grants[i];
        require(memchr(g.entry, 0, sizeof(g.entry)) != nullptr);
        if (i < m.capability_count) {
            const manifest::Capability& c = m.capabilities[i];
            require(g.any_slot == c.any_slot && (c.any_slot || g.slot == c.slot));
        } else {
            require(g.kind == GrantKind::Service && g.any_slot);
            require(g.interface_id == interface_id(g.interface_name));
        }
        switch (g.kind) {
        case GrantKind::IoPort:
            require(g.port_count > 0 && g.port_first + g.port_count <= manifest::kPortCount);
            require(claims.find(ClaimKind::Ports, g.port_first, uint64_t{g.port_first} + g.port_count) == nullptr);
            break;
        case GrantKind::Irq: {
            require(g.note_grant < p.grant_count && p.grants[g.note_grant].kind == GrantKind::Note);
            require(!p.grants[g.note_grant].any_slot && p.grants[g.note_grant].slot == m.capabilities[i].note_slot);
            require(g.badge != 0 && (g.badge & (g.badge - 1)) == 0);
            require(claims.find(ClaimKind::Irq, g.line, uint64_t{g.line} + 1) == nullptr);
            for (size_t j = 0; j < i; ++j) require(p.grants[j].kind != GrantKind::Irq || p.grants[j].line != g.line);
            break;
        }
        case GrantKind::DeviceMemory: {
            require(g.physical % kPageSize == 0 && g.pages > 0);
            const uint64_t end = g.physical + g.pages * kPageSize;
            require(end > g.physical);
            require(g.register_address >= g.physical && g.register_address - g.physical < g.pages * kPageSize);
            for (const PhysicalRange& ram : kRam) require(end <= ram.base || ram.base + ram.size <= g.physical);
            require(claims.find(ClaimKind::DeviceMemory, g.physical, end) == nullptr);
            for (size_t j = 0; j < i; ++j) {
                const Grant& o = p.grants[j];
                if (o.kind == GrantKind::DeviceMemory)
                    require(end <= o.physical || o.physical + o.pages * kPageSize <= g.physical);
            }
            break;
        }
        case GrantKind::Memory: require(g.memory_pages >= manifest::kMinMemoryPages); break;
        default: break;
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 3) return 0;
    const size_t text_size = data[0] | size_t{data[1]} << 8;
    if (text_size > size - 2) return 0;
    const char* text = reinterpret_cast<const char*>(data + 2);
    const uint8_t* blob = data + 2 + text_size;
    const size_t blob_size = size - 2 - text_size;

    static manifest::Manifest m;
    manifest::Diagnostic parse_diagnostic;
    if (!manifest::parse(text, text_size, &m, &parse_diagnostic).ok()) return 0;
    static fdt::DeviceTree tree;
    bool has_tree = false;
    if (blob_size) {
        auto opened = fdt::DeviceTree::open(blob, blob_size);
        if (opened.ok()) {
            tree = opened.value();
            has_tree = true;
        }
    }
    const Machine machine{.tree = has_tree ? &tree : nullptr,
                          .ram = kRam,
                          .ram_count = sizeof(kRam) / sizeof(kRam[0]),
                          .io_ports = text_size % 2 == 0,
                          .services = kServices,
                          .service_count = sizeof(kServices) / sizeof(kServices[0])};
    static Claims claims;
    claims = Claims{};
    static Plan first, second;
    Diagnostic why;
    if (!plan(m, machine, claims, &first, &why).ok()) {
        check_refusal(m, why);
        return 0;
    }
    require(why.refusal == Refusal::None);
    check_plan(m, first, claims);
    require(claims.add(first, 1).ok());
    // The same driver again, against its own claims.
    if (plan(m, machine, claims, &second, &why).ok())
        check_plan(m, second, claims);
    else
        check_refusal(m, why);
    claims.release(1);
    require(claims.count() == 0 && claims.provided_count() == 0);
    return 0;
}
