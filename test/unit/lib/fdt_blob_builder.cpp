#include "fdt_blob_builder.hpp"

namespace vesta::test {

void put_be32(std::vector<uint8_t>& bytes, size_t offset, uint32_t value) {
    if (bytes.size() < offset + 4) bytes.resize(offset + 4);
    bytes[offset] = static_cast<uint8_t>(value >> 24);
    bytes[offset + 1] = static_cast<uint8_t>(value >> 16);
    bytes[offset + 2] = static_cast<uint8_t>(value >> 8);
    bytes[offset + 3] = static_cast<uint8_t>(value);
}

uint32_t get_be32(const std::vector<uint8_t>& bytes, size_t offset) {
    return uint32_t{bytes.at(offset)} << 24 | uint32_t{bytes.at(offset + 1)} << 16 |
           uint32_t{bytes.at(offset + 2)} << 8 | uint32_t{bytes.at(offset + 3)};
}

std::vector<uint8_t> be32_cells(std::initializer_list<uint32_t> cells) {
    std::vector<uint8_t> bytes;
    for (uint32_t cell : cells) put_be32(bytes, bytes.size(), cell);
    return bytes;
}

std::vector<uint8_t> string_bytes(const std::string& text) {
    std::vector<uint8_t> bytes(text.begin(), text.end());
    bytes.push_back(0);
    return bytes;
}

static void pad4(std::vector<uint8_t>& bytes) {
    while (bytes.size() % 4 != 0) bytes.push_back(0);
}

BlobBuilder& BlobBuilder::token(uint32_t value) {
    put_be32(structure_, structure_.size(), value);
    return *this;
}

BlobBuilder& BlobBuilder::begin_node(const std::string& name) {
    token(1);
    structure_.insert(structure_.end(), name.begin(), name.end());
    structure_.push_back(0);
    pad4(structure_);
    return *this;
}

BlobBuilder& BlobBuilder::end_node() { return token(2); }
BlobBuilder& BlobBuilder::nop() { return token(4); }
BlobBuilder& BlobBuilder::end() { return token(9); }

uint32_t BlobBuilder::name_offset(const std::string& name) {
    const auto offset = static_cast<uint32_t>(strings_.size());
    strings_.insert(strings_.end(), name.begin(), name.end());
    strings_.push_back(0);
    return offset;
}

BlobBuilder& BlobBuilder::raw_property(uint32_t length, uint32_t name_offset, const std::vector<uint8_t>& value) {
    token(3);
    token(length);
    token(name_offset);
    structure_.insert(structure_.end(), value.begin(), value.end());
    pad4(structure_);
    return *this;
}

BlobBuilder& BlobBuilder::property(const std::string& name, const std::vector<uint8_t>& value) {
    return raw_property(static_cast<uint32_t>(value.size()), name_offset(name), value);
}

BlobBuilder& BlobBuilder::property_u32(const std::string& name, uint32_t value) {
    return property(name, be32_cells({value}));
}

BlobBuilder& BlobBuilder::property_string(const std::string& name, const std::string& value) {
    return property(name, string_bytes(value));
}

BlobBuilder& BlobBuilder::raw(const std::vector<uint8_t>& bytes) {
    structure_.insert(structure_.end(), bytes.begin(), bytes.end());
    return *this;
}

BlobBuilder& BlobBuilder::reservation(uint64_t address, uint64_t size) {
    reservations_.emplace_back(address, size);
    return *this;
}

BlobBuilder& BlobBuilder::raw_strings(const std::vector<uint8_t>& bytes) {
    strings_.insert(strings_.end(), bytes.begin(), bytes.end());
    return *this;
}

std::vector<uint8_t> BlobBuilder::build() const {
    std::vector<uint8_t> blob(40, 0);
    const size_t reservation_offset = 40;
    for (auto [address, size] : reservations_) {
        put_be32(blob, blob.size(), static_cast<uint32_t>(address >> 32));
        put_be32(blob, blob.size(), static_cast<uint32_t>(address));
        put_be32(blob, blob.size(), static_cast<uint32_t>(size >> 32));
        put_be32(blob, blob.size(), static_cast<uint32_t>(size));
    }
    blob.resize(blob.size() + 16, 0);
    const size_t struct_offset = blob.size();
    blob.insert(blob.end(), structure_.begin(), structure_.end());
    const size_t strings_offset = blob.size();
    blob.insert(blob.end(), strings_.begin(), strings_.end());
    put_be32(blob, magic_at, 0xd00dfeed);
    put_be32(blob, total_size_at, static_cast<uint32_t>(blob.size()));
    put_be32(blob, struct_offset_at, static_cast<uint32_t>(struct_offset));
    put_be32(blob, strings_offset_at, static_cast<uint32_t>(strings_offset));
    put_be32(blob, reservation_offset_at, static_cast<uint32_t>(reservation_offset));
    put_be32(blob, version_at, 17);
    put_be32(blob, last_compatible_at, 16);
    put_be32(blob, boot_cpu_at, 0);
    put_be32(blob, strings_size_at, static_cast<uint32_t>(strings_.size()));
    put_be32(blob, struct_size_at, static_cast<uint32_t>(structure_.size()));
    return blob;
}

BlobBuilder minimal_tree() {
    BlobBuilder builder;
    builder.begin_node("")
        .property_string("compatible", "vesta,minimal")
        .property_u32("#address-cells", 1)
        .property_u32("#size-cells", 1)
        .begin_node("child@1000")
        .property("reg", be32_cells({0x1000, 0x100}))
        .end_node()
        .end_node()
        .end();
    return builder;
}

} // namespace vesta::test
