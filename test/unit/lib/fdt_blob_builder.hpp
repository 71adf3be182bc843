// fdt_blob_builder.hpp — builds DTBs token by token for the validator tests,
// including malformed ones dtc would never produce.
#pragma once

#include <stdint.h>
#include <string>
#include <vector>

namespace vesta::test {

void put_be32(std::vector<uint8_t>& bytes, size_t offset, uint32_t value);
uint32_t get_be32(const std::vector<uint8_t>& bytes, size_t offset);
std::vector<uint8_t> be32_cells(std::initializer_list<uint32_t> cells);
std::vector<uint8_t> string_bytes(const std::string& text); // with the NUL

// Header field offsets.
enum HeaderOffset : size_t {
    magic_at = 0,
    total_size_at = 4,
    struct_offset_at = 8,
    strings_offset_at = 12,
    reservation_offset_at = 16,
    version_at = 20,
    last_compatible_at = 24,
    boot_cpu_at = 28,
    strings_size_at = 32,
    struct_size_at = 36,
};

class BlobBuilder {
public:
    BlobBuilder& begin_node(const std::string& name);
    BlobBuilder& end_node();
    BlobBuilder& property(const std::string& name, const std::vector<uint8_t>& value);
    BlobBuilder& property_u32(const std::string& name, uint32_t value);
    BlobBuilder& property_string(const std::string& name, const std::string& value);
    // A PROP token with arbitrary length and name offset and `value` bytes.
    BlobBuilder& raw_property(uint32_t length, uint32_t name_offset, const std::vector<uint8_t>& value);
    BlobBuilder& nop();
    BlobBuilder& end();
    BlobBuilder& raw(const std::vector<uint8_t>& bytes);
    BlobBuilder& token(uint32_t value);
    BlobBuilder& reservation(uint64_t address, uint64_t size);
    BlobBuilder& raw_strings(const std::vector<uint8_t>& bytes);

    // header (40 bytes) | reservations (8-aligned, terminated) | structure | strings
    std::vector<uint8_t> build() const;
    uint32_t name_offset(const std::string& name);

private:
    std::vector<uint8_t> structure_;
    std::vector<uint8_t> strings_;
    std::vector<std::pair<uint64_t, uint64_t>> reservations_;
};

// A small valid tree: / { compatible; #address-cells; child@1 { reg; } }.
BlobBuilder minimal_tree();

} // namespace vesta::test
