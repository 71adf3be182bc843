// userland/drivers/fbcon/framebuffer_geometry.cpp — FRAMEBUFFER= parsing
// (framebuffer_geometry.hpp).
#include "framebuffer_geometry.hpp"

namespace fbcon {

const char* message(GeometryError error) {
    switch (error) {
    case GeometryError::None: return "no error";
    case GeometryError::Missing: return "no FRAMEBUFFER entry in the environment";
    case GeometryError::NotANumber: return "a FRAMEBUFFER field is not a decimal number";
    case GeometryError::TooLarge: return "a FRAMEBUFFER field does not fit 32 bits";
    case GeometryError::FieldCount: return "FRAMEBUFFER does not have exactly eight fields";
    case GeometryError::OffsetTooLarge: return "the FRAMEBUFFER offset is not inside a page";
    }
    return "unknown geometry error";
}

vesta::Result<FramebufferGeometry, GeometryError> parse_geometry(const char* text) {
    constexpr size_t kFields = 8;
    constexpr uint32_t kPageSize = 4096;
    if (!text) return GeometryError::Missing;
    uint32_t fields[kFields] = {};
    size_t count = 0;
    const char* p = text;
    while (true) {
        if (count == kFields) return GeometryError::FieldCount;
        if (*p < '0' || *p > '9') return GeometryError::NotANumber;
        uint64_t value = 0;
        while (*p >= '0' && *p <= '9') {
            value = value * 10 + static_cast<uint64_t>(*p - '0');
            if (value > 0xffffffffu) return GeometryError::TooLarge;
            ++p;
        }
        fields[count++] = static_cast<uint32_t>(value);
        if (*p == '\0') break;
        if (*p != ',') return GeometryError::NotANumber;
        ++p;
    }
    if (count != kFields) return GeometryError::FieldCount;
    if (fields[7] >= kPageSize) return GeometryError::OffsetTooLarge;
    FramebufferGeometry geometry;
    geometry.width = fields[0];
    geometry.height = fields[1];
    geometry.pitch = fields[2];
    geometry.format = static_cast<vesta::boot::PixelFormat>(fields[3]);
    geometry.red_mask = fields[4];
    geometry.green_mask = fields[5];
    geometry.blue_mask = fields[6];
    geometry.offset = fields[7];
    return geometry;
}

} // namespace fbcon
