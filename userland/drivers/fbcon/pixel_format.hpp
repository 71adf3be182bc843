// userland/drivers/fbcon/pixel_format.hpp — how a colour becomes a pixel of
// the framebuffer the loader recorded (boot_info.hpp: Framebuffer).
//
// Every format the boot info can report is 32 bits per pixel: Rgbx8888
// (red in the lowest byte), Bgrx8888 (blue in the lowest byte) and Bitmask
// (the red, green and blue masks say where each channel lies). A layout is
// made only from a format and masks it has checked: each mask non-empty,
// contiguous, at most 8 bits wide (wider channels would need scaling the
// console does not do: refused), and no two overlapping.
#pragma once

#include <stdint.h>

#include <lib/result.hpp>
#include <vesta/boot_info.hpp>

namespace fbcon {

struct Rgb {
    uint8_t red, green, blue;
    bool operator==(const Rgb&) const = default;
};

enum class FormatError : uint8_t {
    None,
    NoFramebuffer,  // PixelFormat::None
    UnknownFormat,  // a value outside the enumeration
    EmptyMask,      // a Bitmask channel with mask 0
    SplitMask,      // a mask whose bits are not contiguous
    WideMask,       // a channel wider than 8 bits
    OverlappingMask // two channels share bits
};
const char* message(FormatError error);

class PixelLayout {
public:
    static vesta::Result<PixelLayout, FormatError> make(vesta::boot::PixelFormat format, uint32_t red_mask,
                                                        uint32_t green_mask, uint32_t blue_mask);

    // The 32-bit pixel value of `colour`: each channel's top bits placed in its mask.
    uint32_t pack(Rgb colour) const;
    // The colour of a pixel value (channels narrower than 8 bits come back
    // in their top bits, low bits zero) — the inverse of pack on its image.
    Rgb unpack(uint32_t pixel) const;

private:
    struct Channel {
        uint8_t shift = 0, width = 8;
    };
    Channel red_, green_, blue_;
};

} // namespace fbcon
