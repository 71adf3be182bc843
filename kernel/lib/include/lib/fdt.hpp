// lib/fdt.hpp — a flattened-device-tree (DTB) reader that works in place.
//
// Freestanding and allocation-free: shared by the kernel (platform discovery
// on aarch64) and userland drivers. DeviceTree::open() validates the header
// and the whole structure block before anything else may look at the blob;
// every accessor after that still checks its bounds, so a Node or Property
// can never lead outside the blob. Every walk has a limit (depth, node count,
// interrupt-parent steps), so no input makes the reader loop.
//
// Typical use:
//   fdt::DeviceTree tree = TRY(fdt::DeviceTree::open(blob, size));
//   fdt::Node uart = TRY(tree.find_path("/soc/serial@7e215040"));
//   fdt::Region regs = TRY(tree.cpu_region(uart, 0));   // through every `ranges`
//   for (fdt::Node n = tree.next_compatible(fdt::Node(), "arm,pl011"); n.valid();
//        n = tree.next_compatible(n, "arm,pl011")) { … }
//
// Property values are big-endian; the reader decodes them byte by byte, so
// the blob needs no particular alignment in memory.
#pragma once

#include <lib/fdt_error.hpp>
#include <stddef.h>
#include <stdint.h>

namespace vesta::fdt {

// Limits the validator enforces: deeper or larger trees are refused.
inline constexpr uint32_t kMaxDepth = 64;         // nesting of nodes, root = 1
inline constexpr uint32_t kMaxNodes = 1u << 16;   // nodes in the whole tree
inline constexpr uint32_t kMaxAddressCells = 4;   // #address-cells accepted
inline constexpr uint32_t kMaxSizeCells = 4;      // #size-cells accepted
inline constexpr uint32_t kMaxInterruptCells = 4; // #interrupt-cells accepted
// interrupt-parent phandles followed while looking for an interrupt
// controller (a real tree needs one; only a cycle or a long chain of
// non-controllers needs more). Moves to a tree parent are bounded by depth.
inline constexpr uint32_t kMaxInterruptParentHops = 8;

// A node of a validated tree: the offset of its BEGIN_NODE token in the
// structure block. Default-constructed, it is the "no node" value.
class Node {
public:
    Node() = default;
    bool valid() const { return offset_ != kNone; }
    uint32_t offset() const { return offset_; }
    bool operator==(const Node&) const = default;

private:
    friend class DeviceTree;
    static constexpr uint32_t kNone = 0xffffffffu;
    explicit Node(uint32_t offset) : offset_(offset) {}
    uint32_t offset_ = kNone;
};

// A property of a validated tree. `data` points into the blob (big-endian,
// `length` bytes); `name` into the strings block, NUL-terminated.
struct Property {
    const char* name = nullptr;
    const uint8_t* data = nullptr;
    uint32_t length = 0;
    uint32_t offset = 0; // of the PROP token, for next_property()
    bool valid() const { return name != nullptr; }
};

// Reads big-endian cells from a property value, one value of 1..4 cells at
// a time; a value wider than 64 bits is refused (CellValueTooWide).
class CellReader {
public:
    CellReader() = default;
    CellReader(const uint8_t* data, uint32_t length) : data_(data), remaining_(length / 4) {}
    uint32_t remaining_cells() const { return remaining_; }
    // Reads `cells` cells (0 yields 0) as one number.
    Result<uint64_t> read(uint32_t cells);

private:
    const uint8_t* data_ = nullptr;
    uint32_t remaining_ = 0;
};

// The strings of a string-list property ("a\0b\0"), in order.
class StringList {
public:
    StringList() = default;
    StringList(const uint8_t* data, uint32_t length) : data_(data), length_(length) {}
    // The next string, or nullptr at the end. Validated: every string is
    // NUL-terminated inside the property.
    const char* next();
    bool contains(const char* string) const;
    uint32_t count() const;

private:
    const uint8_t* data_ = nullptr;
    uint32_t length_ = 0;
    uint32_t position_ = 0;
};

// One entry of `reg`, or a translated region: [address, address + size).
struct Region {
    uint64_t address = 0;
    uint64_t size = 0;
};

// One entry of the memory-reservation block.
struct Reservation {
    uint64_t address = 0;
    uint64_t size = 0;
};

// #address-cells and #size-cells of a bus node (what its children's `reg`
// uses). Defaults when absent: 2 and 1.
struct CellSizes {
    uint32_t address_cells = 2;
    uint32_t size_cells = 1;
};

// One interrupt specifier: the controller it goes to and its raw cells
// (meaning depends on the controller's binding).
struct Interrupt {
    Node controller;
    uint32_t cell_count = 0;
    uint32_t cells[kMaxInterruptCells] = {};
};

// The node /chosen/stdout-path names, and the options after ':' ("115200n8";
// empty when none).
struct StdoutPath {
    Node node;
    const char* options = "";
};

class DeviceTree {
public:
    DeviceTree() = default;

    // Validates `blob` (of `buffer_size` readable bytes) completely: header,
    // block layout, the memory-reservation list and every token of the
    // structure block. Fails with the first problem found; on success, the
    // returned reader never reads outside [blob, blob + total_size()).
    static Result<DeviceTree> open(const void* blob, size_t buffer_size);

    uint32_t total_size() const { return total_size_; }
    // The bytes from the blob's start to the end of its last block (header,
    // reservation list, structure, strings): at most total_size(). QEMU pads
    // its trees to 1 MiB; a copy of the first used_size() bytes with
    // `totalsize` set to it is the same tree.
    uint32_t used_size() const;
    uint32_t version() const { return version_; }
    uint32_t boot_cpu_id() const { return boot_cpu_id_; }
    uint32_t node_count() const { return node_count_; }

    // Memory reservations (the /memreserve/ block), excluding the terminator.
    uint32_t reservation_count() const { return reservation_count_; }
    Result<Reservation> reservation(uint32_t index) const;

    // --- Structure --------------------------------------------------------
    Node root() const;
    // The node's name with its unit address ("serial@7e215040"; "" for the
    // root), or nullptr for an invalid node.
    const char* name(Node node) const;
    // The format has no parent links: a walk from the root, up to `node`.
    // The last answer is remembered (reg, ranges and interrupts ask for the
    // same node's parent several times in a row), so a DeviceTree must not
    // be used by two threads at once.
    Result<Node> parent(Node node) const;
    Node first_child(Node node) const;  // invalid Node when none
    Node next_sibling(Node node) const; // invalid Node when none
    // Every node in document order; next_node(Node()) is the root.
    Node next_node(Node node) const;
    // Depth of a node (root = 0).
    Result<uint32_t> depth(Node node) const;

    // --- Lookup ---------------------------------------------------------------
    // An absolute path ("/soc/serial@7e215040"), or one starting with an
    // alias ("serial0", "ethernet0/phy"). A component without a unit address
    // matches the first child whose name before '@' is equal. Only the first
    // `length` characters are used (stops early at a NUL).
    Result<Node> find_path(const char* path, size_t length) const;
    Result<Node> find_path(const char* path) const;
    // The next node after `after` (from the start when invalid), in document
    // order, whose `compatible` list contains `compatible`; invalid at the end.
    Node next_compatible(Node after, const char* compatible) const;
    bool is_compatible(Node node, const char* compatible) const;
    // `status` absent, "okay" or "ok".
    bool is_enabled(Node node) const;
    Result<Node> find_phandle(uint32_t phandle) const;
    // The node's own phandle (`phandle` or `linux,phandle`).
    Result<uint32_t> phandle(Node node) const;
    // /chosen/stdout-path (or linux,stdout-path), alias-resolved.
    Result<StdoutPath> stdout_path() const;

    // --- Properties -----------------------------------------------------------
    Property first_property(Node node) const; // invalid when none
    Property next_property(Property property) const;
    Result<Property> property(Node node, const char* name) const;
    bool has_property(Node node, const char* name) const;
    Result<uint32_t> read_u32(Node node, const char* name) const;
    // A 64-bit value stored as two cells (e.g. cpu-release-addr), or one.
    Result<uint64_t> read_u64(Node node, const char* name) const;
    Result<const char*> read_string(Node node, const char* name) const;
    Result<StringList> read_strings(Node node, const char* name) const;
    Result<CellReader> read_cells(Node node, const char* name) const;

    // --- Addresses ------------------------------------------------------------
    // #address-cells/#size-cells that `bus`'s children use.
    Result<CellSizes> cell_sizes(Node bus) const;
    // Entries in the node's `reg`, decoded with its parent's cell sizes.
    Result<uint32_t> reg_count(Node node) const;
    // The index-th `reg` entry, as an address on the parent's bus.
    Result<Region> reg(Node node, uint32_t index) const;
    // A bus address of `node` (an address on its parent's bus) translated to
    // a CPU physical address through the `ranges` of every bus above it.
    // Empty `ranges` is the identity; a bus without `ranges` is not
    // memory-mapped (NoRangesProperty); no matching entry is NoMatchingRange.
    Result<uint64_t> translate(Node node, uint64_t bus_address) const;
    // Like translate(), and the whole region must fit one range entry.
    Result<Region> translate_region(Node node, Region region) const;
    // The index-th `reg` entry as a CPU physical region.
    Result<Region> cpu_region(Node node, uint32_t index) const;

    // --- Interrupts -----------------------------------------------------------
    // The interrupt controller (a node with #interrupt-cells) that `node`'s
    // `interrupts` go to: `interrupt-parent`, else the tree parent, repeated
    // until a node with #interrupt-cells; more than
    // kMaxInterruptParentHops phandles is InterruptParentLoop.
    Result<Node> interrupt_parent(Node node) const;
    // #interrupt-cells of a controller (1..kMaxInterruptCells).
    Result<uint32_t> interrupt_cells(Node controller) const;
    // Number of interrupts in `interrupts-extended` (preferred) or
    // `interrupts`.
    Result<uint32_t> interrupt_count(Node node) const;
    Result<Interrupt> interrupt(Node node, uint32_t index) const;

private:
    struct Token {
        uint32_t kind = 0;
        uint32_t offset = 0; // of the token
        uint32_t next = 0;   // offset of the token after it
    };
    Token token_at(uint32_t offset) const;
    // The node's BEGIN_NODE token; kind kTokenEnd when `node` is none.
    Token node_token(Node node) const;
    // The property whose token is at `offset` after NOPs; invalid when another token comes first.
    Property property_from(uint32_t offset) const;
    bool is_node(Node node) const;
    uint32_t read_be32(uint32_t struct_offset) const;
    Property property_at(uint32_t offset) const;
    Result<Node> child_named(Node parent, const char* name, size_t length) const;
    Result<Node> resolve_alias(const char* name, size_t length) const;
    Result<Node> walk_path(Node start, const char* path, size_t length) const;

    const uint8_t* blob_ = nullptr;
    const uint8_t* structure_ = nullptr;
    const char* strings_ = nullptr;
    uint32_t total_size_ = 0;
    uint32_t version_ = 0;
    uint32_t boot_cpu_id_ = 0;
    uint32_t struct_size_ = 0;
    uint32_t strings_size_ = 0;
    uint32_t reservation_offset_ = 0;
    uint32_t reservation_count_ = 0;
    uint32_t root_offset_ = 0;
    uint32_t node_count_ = 0;
    // parent()'s last answer: the node, and its parent (kNone: none yet).
    mutable uint32_t parent_memo_node_ = 0xffffffffu;
    mutable uint32_t parent_memo_parent_ = 0;
};

// Big-endian decoding of a 32-bit or 64-bit value at `bytes`.
constexpr uint32_t load_be32(const uint8_t* bytes) {
    return uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 | uint32_t{bytes[2]} << 8 | uint32_t{bytes[3]};
}
constexpr uint64_t load_be64(const uint8_t* bytes) { return uint64_t{load_be32(bytes)} << 32 | load_be32(bytes + 4); }
constexpr void store_be32(uint8_t* bytes, uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes[i] = static_cast<uint8_t>(value >> (24 - 8 * i));
}

// Where the header keeps `totalsize` (a big-endian u32).
inline constexpr uint32_t kTotalSizeOffset = 4;

} // namespace vesta::fdt
