// fdt_validate.cpp — DeviceTree::open(): check a DTB completely before use.
//
// Order: header fields, block layout (inside the blob, aligned, disjoint),
// the memory-reservation list, then one pass over every token of the
// structure block. Nothing is trusted before it has been checked; every
// offset computation is overflow-checked in 64 bits.
#include "fdt_internal.hpp"

namespace vesta::fdt {
namespace {

// Header layout (all fields big-endian u32).
constexpr uint32_t kMagic = 0xd00dfeed;
constexpr uint32_t kHeaderSize = 40; // version 17; version 16 lacks size_dt_struct
constexpr uint32_t kHeaderSizeV16 = 36;
enum HeaderField : uint32_t {
    field_magic = 0,
    field_total_size = kTotalSizeOffset,
    field_struct_offset = 8,
    field_strings_offset = 12,
    field_reservation_offset = 16,
    field_version = 20,
    field_last_compatible = 24,
    field_boot_cpu = 28,
    field_strings_size = 32,
    field_struct_size = 36,
};

struct Span {
    uint64_t begin;
    uint64_t end;
};

bool overlaps(Span a, Span b) {
    if (a.begin == a.end || b.begin == b.end) return false;
    return a.begin < b.end && b.begin < a.end;
}

// The length of the NUL-terminated string at `text`, if the NUL lies within
// `limit` bytes; -1 otherwise.
int64_t bounded_length(const uint8_t* text, uint64_t limit) {
    for (uint64_t i = 0; i < limit; ++i) {
        if (text[i] == 0) return static_cast<int64_t>(i);
    }
    return -1;
}

// Node names: printable ASCII without '/' (the path separator); the root's
// name is empty.
bool valid_node_name(const uint8_t* name, int64_t length, uint32_t depth) {
    if (depth == 0) return length == 0 || (length == 1 && name[0] == '/');
    if (length == 0) return false;
    for (int64_t i = 0; i < length; ++i) {
        if (name[i] < 0x21 || name[i] > 0x7e || name[i] == '/') return false;
    }
    return true;
}

} // namespace

Result<DeviceTree> DeviceTree::open(const void* blob, size_t buffer_size) {
    if (blob == nullptr || buffer_size < kHeaderSize) return Error::BufferTooSmall;
    const auto* bytes = static_cast<const uint8_t*>(blob);
    auto field = [bytes](uint32_t offset) { return load_be32(bytes + offset); };

    if (field(field_magic) != kMagic) return Error::BadMagic;
    const uint32_t version = field(field_version);
    if (version < 16) return Error::VersionTooOld;
    if (field(field_last_compatible) > 17) return Error::VersionTooNew;
    const uint32_t total_size = field(field_total_size);
    if (total_size > buffer_size) return Error::TotalSizeTooLarge;
    const uint32_t this_header_size = version >= 17 ? kHeaderSize : kHeaderSizeV16;
    if (total_size < this_header_size) return Error::TotalSizeTooSmall;

    // Memory-reservation block: 8-aligned, entries of two u64 up to a (0, 0).
    const uint64_t reservation_offset = field(field_reservation_offset);
    if (!is_aligned(reservation_offset, 8)) return Error::ReservationBlockMisaligned;
    if (reservation_offset < this_header_size || reservation_offset >= total_size)
        return Error::ReservationBlockOutside;
    uint64_t reservation_end = reservation_offset;
    uint32_t reservation_count = 0;
    for (;;) {
        if (reservation_end + 16 > total_size) return Error::ReservationListUnterminated;
        const uint64_t address = load_be64(bytes + reservation_end);
        const uint64_t size = load_be64(bytes + reservation_end + 8);
        reservation_end += 16;
        if (address == 0 && size == 0) break;
        ++reservation_count;
    }

    // Structure block: 4-aligned, whole tokens, inside the blob.
    const uint64_t struct_offset = field(field_struct_offset);
    const uint64_t strings_offset = field(field_strings_offset);
    const uint64_t strings_size = field(field_strings_size);
    uint64_t struct_size;
    if (version >= 17) {
        struct_size = field(field_struct_size);
    } else if (strings_offset > struct_offset) {
        struct_size = strings_offset - struct_offset; // v16: up to the strings
    } else {
        struct_size = total_size - min<uint64_t>(struct_offset, total_size);
    }
    if (!is_aligned(struct_offset, 4)) return Error::StructBlockMisaligned;
    if (struct_offset < this_header_size || struct_offset + struct_size > total_size) return Error::StructBlockOutside;
    if (!is_aligned(struct_size, 4)) return Error::StructSizeMisaligned;
    if (strings_offset < this_header_size || strings_offset + strings_size > total_size)
        return Error::StringsBlockOutside;

    const Span reservations{reservation_offset, reservation_end};
    const Span structure{struct_offset, struct_offset + struct_size};
    const Span strings{strings_offset, strings_offset + strings_size};
    if (overlaps(reservations, structure) || overlaps(reservations, strings) || overlaps(structure, strings))
        return Error::BlocksOverlap;

    DeviceTree tree;
    tree.blob_ = bytes;
    tree.structure_ = bytes + struct_offset;
    tree.strings_ = reinterpret_cast<const char*>(bytes + strings_offset);
    tree.total_size_ = total_size;
    tree.version_ = version;
    tree.boot_cpu_id_ = field(field_boot_cpu);
    tree.struct_size_ = static_cast<uint32_t>(struct_size);
    tree.strings_size_ = static_cast<uint32_t>(strings_size);
    tree.reservation_offset_ = static_cast<uint32_t>(reservation_offset);
    tree.reservation_count_ = reservation_count;

    // One pass over the structure block. `depth` counts open nodes;
    // `has_children[d]` records that the open node at depth d already has a
    // subnode (properties must come before subnodes).
    const uint8_t* const structure_bytes = tree.structure_;
    bool has_children[kMaxDepth + 1] = {};
    uint32_t depth = 0;
    uint32_t nodes = 0;
    bool root_seen = false;
    uint64_t offset = 0;
    for (;;) {
        if (offset + 4 > struct_size) return Error::MissingEndToken;
        const uint32_t token = load_be32(structure_bytes + offset);
        const uint64_t after_token = offset + 4;
        switch (token) {
        case kTokenBeginNode: {
            if (depth == 0 && root_seen) return Error::SecondRootNode;
            const int64_t length = bounded_length(structure_bytes + after_token, struct_size - after_token);
            if (length < 0) return Error::NodeNameUnterminated;
            if (!valid_node_name(structure_bytes + after_token, length, depth)) return Error::NodeNameInvalid;
            if (depth >= kMaxDepth) return Error::TooDeep;
            if (++nodes > kMaxNodes) return Error::TooManyNodes;
            if (depth == 0) {
                root_seen = true;
                tree.root_offset_ = static_cast<uint32_t>(offset);
            } else {
                has_children[depth] = true;
            }
            ++depth;
            has_children[depth] = false;
            offset = align_up(after_token + static_cast<uint64_t>(length) + 1, 4);
            if (offset > struct_size) return Error::TruncatedToken;
            break;
        }
        case kTokenEndNode:
            if (depth == 0) return Error::EndNodeWithoutBeginNode;
            --depth;
            offset = after_token;
            break;
        case kTokenProperty: {
            if (after_token + 8 > struct_size) return Error::TruncatedToken;
            if (depth == 0) return Error::PropertyOutsideNode;
            if (has_children[depth]) return Error::PropertyAfterSubnode;
            const uint64_t length = load_be32(structure_bytes + after_token);
            const uint64_t name_offset = load_be32(structure_bytes + after_token + 4);
            const uint64_t value = after_token + 8;
            if (length > struct_size - value) return Error::PropertyTruncated;
            if (name_offset >= strings_size) return Error::PropertyNameOffsetOutside;
            if (bounded_length(bytes + strings_offset + name_offset, strings_size - name_offset) < 0)
                return Error::PropertyNameUnterminated;
            offset = align_up(value + length, 4);
            if (offset > struct_size) return Error::PropertyTruncated;
            break;
        }
        case kTokenNop: offset = after_token; break;
        case kTokenEnd:
            if (depth != 0) return Error::NodesUnclosed;
            if (!root_seen) return Error::NoRootNode;
            tree.node_count_ = nodes;
            return tree;
        default: return Error::UnknownToken;
        }
    }
}

Result<Reservation> DeviceTree::reservation(uint32_t index) const {
    if (index >= reservation_count_) return Error::IndexOutOfRange;
    const uint8_t* entry = blob_ + reservation_offset_ + uint64_t{index} * 16;
    return Reservation{load_be64(entry), load_be64(entry + 8)};
}

} // namespace vesta::fdt
