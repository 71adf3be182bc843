// test/fuzz/fdt.cpp — libFuzzer target for the device-tree reader, platform
// discovery and IrqControl lines.
//
// Seed corpus: test/fuzz/corpus/fdt/ (small DTBs).
//
// Whatever the input, open() must refuse it or every query afterwards must
// finish without reading outside the input (ASan) or looping (libFuzzer's
// timeout).
#include <lib/fdt.hpp>
#include <platform/devicetree_platform.hpp>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

using namespace vesta;

namespace {

// Whole-tree lookups (paths, compatibles, phandles) cost a walk each; a
// budget per input keeps executions fast.
uint32_t lookup_budget = 0;

void exercise_node(const fdt::DeviceTree& tree, fdt::Node node) {
    (void)tree.parent(node);
    (void)tree.depth(node);
    // find_phandle's one-pass walk must agree with phandle() (its first node
    // with the handle, which may precede this one).
    auto handle = tree.phandle(node);
    if (handle.ok() && lookup_budget != 0) {
        --lookup_budget;
        auto found = tree.find_phandle(handle.value());
        if (!found.ok()) __builtin_trap();
        auto again = tree.phandle(found.value());
        if (!again.ok() || again.value() != handle.value()) __builtin_trap();
    }
    (void)tree.is_enabled(node);
    (void)tree.cell_sizes(node);
    auto count = tree.reg_count(node);
    if (count.ok()) {
        for (uint32_t i = 0; i < count.value() && i < 4; ++i) (void)tree.cpu_region(node, i);
    }
    auto interrupts = tree.interrupt_count(node);
    if (interrupts.ok()) {
        for (uint32_t i = 0; i < interrupts.value() && i < 4; ++i) {
            (void)tree.interrupt(node, i);
            (void)platform::irq_line(tree, node, i); // the driver loader's IrqControl line
        }
    }
    (void)tree.interrupt_parent(node);
    for (fdt::Property p = tree.first_property(node); p.valid(); p = tree.next_property(p)) {
        // Use every property name as a lookup key too.
        (void)tree.read_u32(node, p.name);
        (void)tree.read_u64(node, p.name);
        auto strings = tree.read_strings(node, p.name);
        if (strings.ok()) {
            fdt::StringList list = strings.value();
            while (const char* s = list.next()) {
                if (lookup_budget == 0) break;
                --lookup_budget;
                (void)tree.next_compatible(fdt::Node(), s);
                (void)tree.find_path(s);
            }
        }
        if (p.length == 4 && lookup_budget != 0) {
            --lookup_budget;
            (void)tree.find_phandle(fdt::load_be32(p.data));
        }
    }
    const char* name = tree.name(node);
    if (name != nullptr && lookup_budget != 0) {
        --lookup_budget;
        (void)tree.find_path(name, strlen(name));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto opened = fdt::DeviceTree::open(data, size);
    if (!opened.ok()) return 0;
    const fdt::DeviceTree& tree = opened.value();
    // The kernel hands the root task the first used_size() bytes with
    // `totalsize` set to it: that must be the same tree.
    const uint32_t used = tree.used_size();
    if (used > tree.total_size()) __builtin_trap();
    {
        static uint8_t copy[1 << 20];
        if (used <= sizeof(copy)) {
            memcpy(copy, data, used);
            fdt::store_be32(copy + fdt::kTotalSizeOffset, used);
            auto same = fdt::DeviceTree::open(copy, used);
            if (!same.ok() || same.value().node_count() != tree.node_count()) __builtin_trap();
        }
    }
    lookup_budget = 64;
    uint32_t visited = 0;
    for (fdt::Node n = tree.root(); n.valid() && visited < 256; n = tree.next_node(n), ++visited)
        exercise_node(tree, n);
    for (uint32_t i = 0; i < tree.reservation_count() && i < 64; ++i) (void)tree.reservation(i);
    (void)tree.stdout_path();
    static platform::Platform platform;
    (void)platform::discover_platform(tree, platform);
    return 0;
}
