// fdt.cpp — walking a validated device tree: nodes, properties, paths,
// aliases, compatible strings, phandles and /chosen.
//
// DeviceTree::open() (fdt_validate.cpp) has checked every token, so the
// walks below only re-check bounds defensively: a stray offset ends a walk
// instead of reading outside the structure block.
#include "fdt_internal.hpp"

namespace vesta::fdt {

Result<uint64_t> CellReader::read(uint32_t cells) {
    if (cells > kMaxAddressCells) return Error::CellCountTooLarge;
    if (cells > remaining_) return Error::PropertySizeWrong;
    uint64_t value = 0;
    for (uint32_t i = 0; i < cells; ++i) {
        if (value >> 32 != 0) return Error::CellValueTooWide;
        value = value << 32 | load_be32(data_);
        data_ += 4;
        --remaining_;
    }
    return value;
}

const char* StringList::next() {
    if (position_ >= length_) return nullptr;
    const auto* start = data_ + position_;
    for (uint32_t i = position_; i < length_; ++i) {
        if (data_[i] == 0) {
            position_ = i + 1;
            return reinterpret_cast<const char*>(start);
        }
    }
    position_ = length_;
    return nullptr;
}

bool StringList::contains(const char* string) const {
    StringList copy(data_, length_);
    while (const char* entry = copy.next()) {
        if (strings_equal(entry, string)) return true;
    }
    return false;
}

uint32_t StringList::count() const {
    StringList copy(data_, length_);
    uint32_t n = 0;
    while (copy.next() != nullptr) ++n;
    return n;
}

// --- Tokens -------------------------------------------------------------------

// One load and a byte swap (the walks read tokens by the thousand at boot).
uint32_t DeviceTree::read_be32(uint32_t struct_offset) const {
    const uint32_t word = load_word(structure_ + struct_offset);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return __builtin_bswap32(word);
#else
    return word;
#endif
}

DeviceTree::Token DeviceTree::token_at(uint32_t offset) const {
    Token token{kTokenEnd, offset, struct_size_};
    // Tokens are 4-aligned in the structure block (and struct_size_ is a
    // multiple of 4, open() checks it): an offset that is not is no token.
    if (structure_ == nullptr || !is_aligned(offset, 4) || offset > struct_size_ || struct_size_ - offset < 4)
        return token;
    token.kind = read_be32(offset);
    uint64_t next = uint64_t{offset} + 4;
    switch (token.kind) {
    case kTokenBeginNode:
        // The name ends with a NUL and is padded with zeros to a 4-byte
        // boundary, so the next token follows the first 4-byte word of the
        // name that holds a zero byte (word at a time: the boot walks the
        // tree's names many times).
        for (;; next += 4) {
            if (next + 4 > struct_size_) return Token{kTokenEnd, offset, struct_size_};
            if (has_zero_byte(load_word(structure_ + next))) break;
        }
        next += 4;
        break;
    case kTokenProperty:
        if (next + 8 > struct_size_) return Token{kTokenEnd, offset, struct_size_};
        next = align_up(next + 8 + read_be32(static_cast<uint32_t>(next)), 4);
        break;
    case kTokenEndNode:
    case kTokenNop: break;
    default: return Token{kTokenEnd, offset, struct_size_};
    }
    if (next > struct_size_) return Token{kTokenEnd, offset, struct_size_};
    token.next = static_cast<uint32_t>(next);
    return token;
}

bool DeviceTree::is_node(Node node) const {
    return node.valid() && is_aligned(node.offset(), 4) && token_at(node.offset()).kind == kTokenBeginNode;
}

uint32_t DeviceTree::used_size() const {
    if (blob_ == nullptr) return 0;
    const uint64_t reservations_end = uint64_t{reservation_offset_} + 16 * (uint64_t{reservation_count_} + 1);
    const uint64_t structure_end = static_cast<uint64_t>(structure_ - blob_) + struct_size_;
    const uint64_t strings_end =
        static_cast<uint64_t>(reinterpret_cast<const uint8_t*>(strings_) - blob_) + strings_size_;
    // open() checked that each block lies inside total_size_.
    return static_cast<uint32_t>(max(reservations_end, max(structure_end, strings_end)));
}

// --- Structure ----------------------------------------------------------------

Node DeviceTree::root() const { return structure_ == nullptr ? Node() : Node(root_offset_); }

const char* DeviceTree::name(Node node) const {
    if (!is_node(node)) return nullptr;
    return reinterpret_cast<const char*>(structure_ + node.offset() + 4);
}

Node DeviceTree::first_child(Node node) const {
    if (!is_node(node)) return Node();
    for (Token t = token_at(token_at(node.offset()).next);; t = token_at(t.next)) {
        if (t.kind == kTokenBeginNode) return Node(t.offset);
        if (t.kind != kTokenProperty && t.kind != kTokenNop) return Node();
    }
}

Node DeviceTree::next_sibling(Node node) const {
    if (!is_node(node)) return Node();
    uint32_t depth = 0;
    for (Token t = token_at(node.offset());; t = token_at(t.next)) {
        switch (t.kind) {
        case kTokenBeginNode:
            if (depth == 0 && t.offset != node.offset()) return Node(t.offset);
            ++depth;
            break;
        case kTokenEndNode:
            if (depth == 0) return Node(); // the parent ends: no more siblings
            --depth;
            break;
        case kTokenProperty:
        case kTokenNop: break;
        default: return Node();
        }
    }
}

Node DeviceTree::next_node(Node node) const {
    if (!node.valid()) return root();
    if (!is_node(node)) return Node();
    for (Token t = token_at(token_at(node.offset()).next);; t = token_at(t.next)) {
        if (t.kind == kTokenBeginNode) return Node(t.offset);
        if (t.kind == kTokenEnd) return Node();
    }
}

Result<Node> DeviceTree::parent(Node node) const {
    if (!is_node(node)) return Error::InvalidNode;
    if (node.offset() == parent_memo_node_) return Node(parent_memo_parent_);
    uint32_t stack[kMaxDepth];
    uint32_t depth = 0;
    for (Token t = token_at(root_offset_); t.kind != kTokenEnd; t = token_at(t.next)) {
        if (t.kind == kTokenBeginNode) {
            if (t.offset == node.offset()) {
                if (depth == 0) return Error::NodeNotFound; // the root has no parent
                parent_memo_node_ = node.offset();
                parent_memo_parent_ = stack[depth - 1];
                return Node(stack[depth - 1]);
            }
            if (depth == kMaxDepth) return Error::TooDeep;
            stack[depth++] = t.offset;
        } else if (t.kind == kTokenEndNode) {
            if (depth == 0) break;
            --depth;
        }
    }
    return Error::InvalidNode;
}

Result<uint32_t> DeviceTree::depth(Node node) const {
    if (!is_node(node)) return Error::InvalidNode;
    uint32_t depth = 0;
    for (Token t = token_at(root_offset_); t.kind != kTokenEnd; t = token_at(t.next)) {
        if (t.kind == kTokenBeginNode) {
            if (t.offset == node.offset()) return depth;
            ++depth;
        } else if (t.kind == kTokenEndNode) {
            if (depth == 0) break;
            --depth;
        }
    }
    return Error::InvalidNode;
}

// --- Properties ---------------------------------------------------------------

Property DeviceTree::property_at(uint32_t offset) const {
    Property property;
    property.length = read_be32(offset + 4);
    property.name = strings_ + read_be32(offset + 8);
    property.data = structure_ + offset + 12;
    property.offset = offset;
    return property;
}

DeviceTree::Token DeviceTree::node_token(Node node) const {
    if (!node.valid()) return Token{kTokenEnd, 0, struct_size_};
    const Token token = token_at(node.offset());
    return token.kind == kTokenBeginNode ? token : Token{kTokenEnd, node.offset(), struct_size_};
}

Property DeviceTree::property_from(uint32_t offset) const {
    for (Token t = token_at(offset);; t = token_at(t.next)) {
        if (t.kind == kTokenProperty) return property_at(t.offset);
        if (t.kind != kTokenNop) return Property();
    }
}

Property DeviceTree::first_property(Node node) const {
    const Token begin = node_token(node);
    return begin.kind == kTokenBeginNode ? property_from(begin.next) : Property();
}

Property DeviceTree::next_property(Property property) const {
    if (!property.valid()) return Property();
    const Token token = token_at(property.offset);
    return token.kind == kTokenProperty ? property_from(token.next) : Property();
}

Result<Property> DeviceTree::property(Node node, const char* name) const {
    const Token begin = node_token(node);
    if (begin.kind != kTokenBeginNode) return Error::InvalidNode;
    for (Token t = token_at(begin.next);; t = token_at(t.next)) {
        if (t.kind == kTokenProperty) {
            const Property p = property_at(t.offset);
            if (strings_equal(p.name, name)) return p;
        } else if (t.kind != kTokenNop) {
            return Error::PropertyNotFound;
        }
    }
}

bool DeviceTree::has_property(Node node, const char* name) const { return property(node, name).ok(); }

Result<uint32_t> DeviceTree::read_u32(Node node, const char* name) const {
    const Property p = TRY(property(node, name));
    if (p.length != 4) return Error::PropertySizeWrong;
    return load_be32(p.data);
}

Result<uint64_t> DeviceTree::read_u64(Node node, const char* name) const {
    const Property p = TRY(property(node, name));
    if (p.length == 8) return load_be64(p.data);
    if (p.length == 4) return uint64_t{load_be32(p.data)};
    return Error::PropertySizeWrong;
}

Result<const char*> DeviceTree::read_string(Node node, const char* name) const {
    const Property p = TRY(property(node, name));
    if (p.length == 0 || p.data[p.length - 1] != 0) return Error::StringUnterminated;
    return reinterpret_cast<const char*>(p.data);
}

Result<StringList> DeviceTree::read_strings(Node node, const char* name) const {
    const Property p = TRY(property(node, name));
    if (p.length != 0 && p.data[p.length - 1] != 0) return Error::StringUnterminated;
    return StringList(p.data, p.length);
}

Result<CellReader> DeviceTree::read_cells(Node node, const char* name) const {
    const Property p = TRY(property(node, name));
    if (p.length % 4 != 0) return Error::PropertySizeWrong;
    return CellReader(p.data, p.length);
}

// --- Lookup -------------------------------------------------------------------

bool DeviceTree::is_compatible(Node node, const char* compatible) const {
    Result<StringList> list = read_strings(node, "compatible");
    return list.ok() && list.value().contains(compatible);
}

bool DeviceTree::is_enabled(Node node) const {
    Result<const char*> status = read_string(node, "status");
    if (!status.ok()) return status.error() == Error::PropertyNotFound && is_node(node);
    return strings_equal(status.value(), "okay") || strings_equal(status.value(), "ok");
}

Node DeviceTree::next_compatible(Node after, const char* compatible) const {
    for (Node n = next_node(after); n.valid(); n = next_node(n)) {
        if (is_compatible(n, compatible)) return n;
    }
    return Node();
}

Result<uint32_t> DeviceTree::phandle(Node node) const {
    Result<uint32_t> value = read_u32(node, "phandle");
    if (!value.ok() && value.error() == Error::PropertyNotFound) value = read_u32(node, "linux,phandle");
    if (value.ok() && (value.value() == 0 || value.value() == 0xffffffffu)) return Error::PhandleInvalid;
    return value;
}

// One pass over the tokens (not phandle() per node: that rescans each
// node's properties twice), with phandle()'s rule per node: the first
// `phandle` property decides when there is one (a 4-byte value, else no
// handle), else the first `linux,phandle`.
Result<Node> DeviceTree::find_phandle(uint32_t wanted) const {
    if (wanted == 0 || wanted == 0xffffffffu) return Error::PhandleInvalid;
    enum class Seen : uint8_t { None, Other, Wanted };
    Seen primary = Seen::None, legacy = Seen::None;
    uint32_t node = 0;
    auto matched = [&] { return primary == Seen::Wanted || (primary == Seen::None && legacy == Seen::Wanted); };
    for (Token t = token_at(root_offset_); t.kind != kTokenEnd; t = token_at(t.next)) {
        if (t.kind == kTokenProperty) {
            const Property p = property_at(t.offset);
            Seen* seen = strings_equal(p.name, "phandle")         ? &primary
                         : strings_equal(p.name, "linux,phandle") ? &legacy
                                                                  : nullptr;
            if (seen && *seen == Seen::None)
                *seen = p.length == 4 && load_be32(p.data) == wanted ? Seen::Wanted : Seen::Other;
            continue;
        }
        if (t.kind == kTokenNop) continue;
        // A node's properties end at the next BEGIN_NODE or END_NODE.
        if (matched()) return Node(node);
        primary = legacy = Seen::None;
        if (t.kind == kTokenBeginNode) node = t.offset;
    }
    return Error::PhandleNotFound;
}

Result<Node> DeviceTree::child_named(Node parent, const char* name, size_t length) const {
    bool has_unit_address = false;
    for (size_t i = 0; i < length; ++i) has_unit_address |= name[i] == '@';
    for (Node child = first_child(parent); child.valid(); child = next_sibling(child)) {
        const char* child_name = this->name(child);
        if (equals_bytes(child_name, name, length)) return child;
        if (!has_unit_address) {
            size_t i = 0;
            while (i < length && child_name[i] == name[i]) ++i;
            if (i == length && child_name[i] == '@') return child;
        }
    }
    return Error::NodeNotFound;
}

Result<Node> DeviceTree::walk_path(Node start, const char* path, size_t length) const {
    Node node = start;
    size_t i = 0;
    while (i < length) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        size_t end = i;
        while (end < length && path[end] != '/') ++end;
        node = TRY(child_named(node, path + i, end - i));
        i = end;
    }
    return node;
}

Result<Node> DeviceTree::resolve_alias(const char* alias, size_t length) const {
    Result<Node> aliases = child_named(root(), "aliases", 7);
    if (!aliases.ok()) return Error::AliasNotFound;
    for (Property p = first_property(aliases.value()); p.valid(); p = next_property(p)) {
        if (!equals_bytes(p.name, alias, length)) continue;
        if (p.length == 0 || p.data[p.length - 1] != 0) return Error::StringUnterminated;
        const auto* target = reinterpret_cast<const char*>(p.data);
        if (target[0] != '/') return Error::AliasNotAbsolute;
        return walk_path(root(), target, string_length(target));
    }
    return Error::AliasNotFound;
}

Result<Node> DeviceTree::find_path(const char* path, size_t length) const {
    if (structure_ == nullptr) return Error::InvalidNode;
    if (path == nullptr) return Error::PathInvalid;
    size_t actual = 0;
    while (actual < length && path[actual] != 0) ++actual;
    if (actual == 0) return Error::PathInvalid;
    if (path[0] == '/') return walk_path(root(), path, actual);
    // Starts with an alias: the first component names it.
    size_t alias_end = 0;
    while (alias_end < actual && path[alias_end] != '/') ++alias_end;
    const Node start = TRY(resolve_alias(path, alias_end));
    return walk_path(start, path + alias_end, actual - alias_end);
}

Result<Node> DeviceTree::find_path(const char* path) const {
    return find_path(path, path == nullptr ? 0 : string_length(path));
}

Result<StdoutPath> DeviceTree::stdout_path() const {
    const Node chosen = TRY(child_named(root(), "chosen", 6));
    Result<const char*> value = read_string(chosen, "stdout-path");
    if (!value.ok() && value.error() == Error::PropertyNotFound) value = read_string(chosen, "linux,stdout-path");
    const char* text = TRY(value);
    size_t length = 0;
    while (text[length] != 0 && text[length] != ':') ++length;
    StdoutPath result;
    result.node = TRY(find_path(text, length));
    result.options = text[length] == ':' ? text + length + 1 : text + length;
    return result;
}

} // namespace vesta::fdt
