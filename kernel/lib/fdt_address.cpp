// fdt_address.cpp — `reg`, `ranges` translation and `interrupts` decoding.
#include "fdt_internal.hpp"

namespace vesta::fdt {

Result<CellSizes> DeviceTree::cell_sizes(Node bus) const {
    if (!is_node(bus)) return Error::InvalidNode;
    CellSizes sizes;
    Result<uint32_t> address = read_u32(bus, "#address-cells");
    if (address.ok()) {
        if (address.value() > kMaxAddressCells) return Error::CellCountTooLarge;
        sizes.address_cells = address.value();
    } else if (address.error() != Error::PropertyNotFound) {
        return address.error();
    }
    Result<uint32_t> size = read_u32(bus, "#size-cells");
    if (size.ok()) {
        if (size.value() > kMaxSizeCells) return Error::CellCountTooLarge;
        sizes.size_cells = size.value();
    } else if (size.error() != Error::PropertyNotFound) {
        return size.error();
    }
    return sizes;
}

Result<uint32_t> DeviceTree::reg_count(Node node) const {
    const Node bus = TRY(parent(node));
    const CellSizes sizes = TRY(cell_sizes(bus));
    const uint32_t entry_bytes = (sizes.address_cells + sizes.size_cells) * 4;
    if (entry_bytes == 0) return Error::RegEntryEmpty;
    const Property reg = TRY(property(node, "reg"));
    if (reg.length % entry_bytes != 0) return Error::RegSizeMismatch;
    return reg.length / entry_bytes;
}

Result<Region> DeviceTree::reg(Node node, uint32_t index) const {
    const uint32_t count = TRY(reg_count(node));
    if (index >= count) return Error::IndexOutOfRange;
    const Node bus = TRY(parent(node));
    const CellSizes sizes = TRY(cell_sizes(bus));
    CellReader cells = TRY(read_cells(node, "reg"));
    for (uint32_t i = 0; i < index; ++i) {
        TRY(cells.read(sizes.address_cells));
        TRY(cells.read(sizes.size_cells));
    }
    Region region;
    region.address = TRY(cells.read(sizes.address_cells));
    region.size = TRY(cells.read(sizes.size_cells));
    return region;
}

Result<Region> DeviceTree::translate_region(Node node, Region region) const {
    // A zero-sized region is checked as one byte, so it must lie in a range.
    const uint64_t span = region.size == 0 ? 1 : region.size;
    uint64_t last;
    if (!checked_add(region.address, span - 1, &last)) return Error::AddressOverflow;

    Node bus = TRY(parent(node));
    // Each step moves one level up; depth is bounded by the validator.
    for (uint32_t step = 0; step < kMaxDepth; ++step) {
        Result<Node> upper = parent(bus);
        if (!upper.ok()) {
            if (upper.error() == Error::NodeNotFound) return region; // reached the root
            return upper.error();
        }
        const Result<Property> ranges = property(bus, "ranges");
        if (!ranges.ok()) {
            if (ranges.error() == Error::PropertyNotFound) return Error::NoRangesProperty;
            return ranges.error();
        }
        if (ranges.value().length != 0) {
            const CellSizes child = TRY(cell_sizes(bus));
            const CellSizes parent_sizes = TRY(cell_sizes(upper.value()));
            const uint32_t entry_cells = child.address_cells + parent_sizes.address_cells + child.size_cells;
            if (entry_cells == 0 || ranges.value().length % (entry_cells * 4) != 0) return Error::RangesSizeMismatch;
            CellReader cells(ranges.value().data, ranges.value().length);
            bool matched = false;
            while (cells.remaining_cells() != 0) {
                const uint64_t child_base = TRY(cells.read(child.address_cells));
                const uint64_t parent_base = TRY(cells.read(parent_sizes.address_cells));
                const uint64_t size = TRY(cells.read(child.size_cells));
                if (size == 0 || region.address < child_base || region.address - child_base >= size) continue;
                if (last - child_base >= size) return Error::RegionCrossesRange;
                if (!checked_add(parent_base, region.address - child_base, &region.address) ||
                    !checked_add(region.address, span - 1, &last))
                    return Error::AddressOverflow;
                matched = true;
                break;
            }
            if (!matched) return Error::NoMatchingRange;
        }
        bus = upper.value();
    }
    return Error::TooDeep;
}

Result<uint64_t> DeviceTree::translate(Node node, uint64_t bus_address) const {
    const Region region = TRY(translate_region(node, Region{bus_address, 0}));
    return region.address;
}

Result<Region> DeviceTree::cpu_region(Node node, uint32_t index) const {
    const Region region = TRY(reg(node, index));
    return translate_region(node, region);
}

// --- Interrupts ---------------------------------------------------------------

Result<Node> DeviceTree::interrupt_parent(Node node) const {
    if (!is_node(node)) return Error::InvalidNode;
    Node current = node;
    uint32_t hops = 0;
    // Moves up the tree strictly decrease depth, so between two phandle hops
    // there are fewer than kMaxDepth of them: the loop is bounded.
    for (uint32_t step = 0; step < (kMaxInterruptParentHops + 1) * kMaxDepth; ++step) {
        Node next;
        Result<uint32_t> handle = read_u32(current, "interrupt-parent");
        if (handle.ok()) {
            if (++hops > kMaxInterruptParentHops) return Error::InterruptParentLoop;
            next = TRY(find_phandle(handle.value()));
        } else if (handle.error() == Error::PropertyNotFound) {
            Result<Node> up = parent(current);
            if (!up.ok()) {
                return up.error() == Error::NodeNotFound ? Error::NoInterruptParent : up.error();
            }
            next = up.value();
        } else {
            return handle.error();
        }
        if (has_property(next, "#interrupt-cells")) return next;
        current = next;
    }
    return Error::InterruptParentLoop;
}

Result<uint32_t> DeviceTree::interrupt_cells(Node controller) const {
    Result<uint32_t> cells = read_u32(controller, "#interrupt-cells");
    if (!cells.ok()) {
        return cells.error() == Error::PropertyNotFound ? Error::InterruptCellsMissing : cells.error();
    }
    if (cells.value() == 0) return Error::InterruptCellsZero;
    if (cells.value() > kMaxInterruptCells) return Error::InterruptCellsTooLarge;
    return cells.value();
}

Result<uint32_t> DeviceTree::interrupt_count(Node node) const {
    Result<CellReader> extended = read_cells(node, "interrupts-extended");
    if (extended.ok()) {
        CellReader cells = extended.value();
        uint32_t count = 0;
        while (cells.remaining_cells() != 0) {
            const uint64_t handle = TRY(cells.read(1));
            const Node controller = TRY(find_phandle(static_cast<uint32_t>(handle)));
            const uint32_t n = TRY(interrupt_cells(controller));
            if (n > cells.remaining_cells()) return Error::InterruptsSizeMismatch;
            for (uint32_t i = 0; i < n; ++i) TRY(cells.read(1));
            ++count;
        }
        return count;
    }
    if (extended.error() != Error::PropertyNotFound) return extended.error();
    const Property interrupts = TRY(property(node, "interrupts"));
    const Node controller = TRY(interrupt_parent(node));
    const uint32_t n = TRY(interrupt_cells(controller));
    if (interrupts.length % (n * 4) != 0) return Error::InterruptsSizeMismatch;
    return interrupts.length / (n * 4);
}

Result<Interrupt> DeviceTree::interrupt(Node node, uint32_t index) const {
    const uint32_t count = TRY(interrupt_count(node));
    if (index >= count) return Error::IndexOutOfRange;
    Interrupt result;
    Result<CellReader> extended = read_cells(node, "interrupts-extended");
    CellReader cells;
    if (extended.ok()) {
        cells = extended.value();
        for (uint32_t i = 0;; ++i) {
            const uint64_t handle = TRY(cells.read(1));
            result.controller = TRY(find_phandle(static_cast<uint32_t>(handle)));
            result.cell_count = TRY(interrupt_cells(result.controller));
            if (i == index) break;
            for (uint32_t c = 0; c < result.cell_count; ++c) TRY(cells.read(1));
        }
    } else {
        result.controller = TRY(interrupt_parent(node));
        result.cell_count = TRY(interrupt_cells(result.controller));
        cells = TRY(read_cells(node, "interrupts"));
        for (uint32_t i = 0; i < index * result.cell_count; ++i) TRY(cells.read(1));
    }
    for (uint32_t c = 0; c < result.cell_count; ++c) result.cells[c] = static_cast<uint32_t>(TRY(cells.read(1)));
    return result;
}

} // namespace vesta::fdt
