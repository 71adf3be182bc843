// userland/drivers/fbcon/framebuffer_geometry.hpp — the framebuffer's shape
// as the driver loader describes it in the driver's environment:
//   FRAMEBUFFER=WIDTH,HEIGHT,PITCH,FORMAT,RED,GREEN,BLUE,OFFSET
// eight decimal numbers (docs/manifest.md, "The driver loader"): pixels
// across and down, bytes per scan line, boot::PixelFormat, the three colour
// masks (for FORMAT 3), and the framebuffer's byte offset into its first
// page. Portable and host-tested.
//
// Contract: parse() accepts exactly eight comma-separated decimal numbers
// without signs, spaces or leading '+', each fitting 32 bits, with OFFSET
// below 4096; anything else is refused with a GeometryError. Whether the
// geometry fits the granted pages and the format is drawable is checked
// afterwards (Surface::check, PixelLayout::make).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/result.hpp>
#include <vesta/boot_info.hpp>

namespace fbcon {

struct FramebufferGeometry {
    uint32_t width = 0, height = 0, pitch = 0;
    vesta::boot::PixelFormat format = vesta::boot::PixelFormat::None;
    uint32_t red_mask = 0, green_mask = 0, blue_mask = 0;
    uint32_t offset = 0; // bytes into the first granted page
};

enum class GeometryError : uint8_t {
    None,
    Missing,       // no text (the environment has no FRAMEBUFFER)
    NotANumber,    // a field is empty or holds a character other than 0-9
    TooLarge,      // a field does not fit 32 bits
    FieldCount,    // not exactly eight fields
    OffsetTooLarge // OFFSET is not below one page
};
const char* message(GeometryError error);

vesta::Result<FramebufferGeometry, GeometryError> parse_geometry(const char* text);

} // namespace fbcon
