// userland/drivers/fbcon/pixel_format.cpp — colours to pixels (pixel_format.hpp).
#include "pixel_format.hpp"

namespace fbcon {

using vesta::boot::PixelFormat;

const char* message(FormatError error) {
    switch (error) {
    case FormatError::None: return "no error";
    case FormatError::NoFramebuffer: return "no framebuffer (pixel format None)";
    case FormatError::UnknownFormat: return "unknown pixel format";
    case FormatError::EmptyMask: return "a colour mask is empty";
    case FormatError::SplitMask: return "a colour mask's bits are not contiguous";
    case FormatError::WideMask: return "a colour mask is wider than 8 bits";
    case FormatError::OverlappingMask: return "colour masks overlap";
    }
    return "unknown pixel format error";
}

namespace {

struct MaskShape {
    uint8_t shift, width;
};

vesta::Result<MaskShape, FormatError> shape_of(uint32_t mask) {
    if (mask == 0) return FormatError::EmptyMask;
    uint8_t shift = 0;
    while (!(mask >> shift & 1)) ++shift;
    const uint32_t bits = mask >> shift;
    if (bits & (bits + 1)) return FormatError::SplitMask; // not of the form 0…01…1
    uint8_t width = 0;
    while (width < 32 && (bits >> width & 1)) ++width;
    if (width > 8) return FormatError::WideMask;
    return MaskShape{shift, width};
}

} // namespace

vesta::Result<PixelLayout, FormatError> PixelLayout::make(PixelFormat format, uint32_t red_mask, uint32_t green_mask,
                                                          uint32_t blue_mask) {
    switch (format) {
    case PixelFormat::None: return FormatError::NoFramebuffer;
    case PixelFormat::Rgbx8888: red_mask = 0xff, green_mask = 0xff00, blue_mask = 0xff0000; break;
    case PixelFormat::Bgrx8888: red_mask = 0xff0000, green_mask = 0xff00, blue_mask = 0xff; break;
    case PixelFormat::Bitmask: break;
    default: return FormatError::UnknownFormat;
    }
    if ((red_mask & green_mask) || (red_mask & blue_mask) || (green_mask & blue_mask))
        return FormatError::OverlappingMask;
    PixelLayout layout;
    Channel* channels[] = {&layout.red_, &layout.green_, &layout.blue_};
    const uint32_t masks[] = {red_mask, green_mask, blue_mask};
    for (int i = 0; i < 3; ++i) {
        auto shape = shape_of(masks[i]);
        if (!shape.ok()) return shape.error();
        channels[i]->shift = shape.value().shift;
        channels[i]->width = shape.value().width;
    }
    return layout;
}

uint32_t PixelLayout::pack(Rgb colour) const {
    auto place = [](uint8_t value, Channel channel) {
        return static_cast<uint32_t>(value >> (8 - channel.width)) << channel.shift;
    };
    return place(colour.red, red_) | place(colour.green, green_) | place(colour.blue, blue_);
}

Rgb PixelLayout::unpack(uint32_t pixel) const {
    auto take = [pixel](Channel channel) {
        const uint32_t bits = pixel >> channel.shift & ((1u << channel.width) - 1);
        return static_cast<uint8_t>(bits << (8 - channel.width));
    };
    return {take(red_), take(green_), take(blue_)};
}

} // namespace fbcon
