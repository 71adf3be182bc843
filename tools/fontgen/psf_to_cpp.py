#!/usr/bin/env python3
"""tools/fontgen/psf_to_cpp.py — a PC Screen Font (PSF1 or PSF2, optionally
gzip-compressed) as a C++ header for the framebuffer console.

Usage: psf_to_cpp.py FONT.psf[.gz] OUT.hpp [--name NAME] [--source TEXT]

The header defines, in namespace `fbcon::font`:
  kWidth, kHeight          glyph cell in pixels (width at most 32)
  kBytesPerRow             bytes of one glyph row, most significant bit left
  kGlyphCount              glyphs in the font
  kGlyphs[kGlyphCount][kHeight * kBytesPerRow]
  kGlyphOfLatin1[256]      glyph index of each code point U+0000..U+00FF,
                           or kReplacement when the font has none
  kReplacement             the glyph for code points the font lacks
                           (U+FFFD, else '?', else glyph 0)

Code points come from the font's Unicode table; a font without one maps
code point N to glyph N. Input that is not a well-formed PSF font is
refused with one line naming the file, the byte offset and what is wrong,
and exit status 1 (no header is written).
"""
import argparse
import gzip
import struct
import sys

PSF1_MAGIC = b"\x36\x04"
PSF1_MODE512 = 0x01
PSF1_MODEHASTAB = 0x02
PSF1_SEPARATOR = 0xFFFF
PSF1_STARTSEQ = 0xFFFE
PSF2_MAGIC = b"\x72\xb5\x4a\x86"
PSF2_HAS_UNICODE_TABLE = 0x01


class FontError(Exception):
    def __init__(self, offset, message):
        super().__init__(message)
        self.offset = offset


class Font:
    def __init__(self, width, height, glyphs, codepoints):
        self.width = width
        self.height = height
        self.glyphs = glyphs  # list of bytes, height * ((width + 7) // 8) each
        self.codepoints = codepoints  # list (per glyph) of code points; None: no table


def need(data, offset, count, what):
    if offset + count > len(data):
        raise FontError(offset, f"truncated: {what} needs {count} bytes, {len(data) - offset} left")


def parse_psf1(data):
    need(data, 0, 4, "the PSF1 header")
    mode, height = data[2], data[3]
    if mode & ~0x07:
        raise FontError(2, f"unknown PSF1 mode bits 0x{mode:02x}")
    if height == 0:
        raise FontError(3, "glyph height 0")
    count = 512 if mode & PSF1_MODE512 else 256
    need(data, 4, count * height, f"{count} glyphs of {height} bytes")
    glyphs = [data[4 + i * height : 4 + (i + 1) * height] for i in range(count)]
    codepoints = None
    offset = 4 + count * height
    if mode & PSF1_MODEHASTAB:
        codepoints = []
        for glyph in range(count):
            points = []
            in_sequence = False
            while True:
                need(data, offset, 2, f"the Unicode table entry of glyph {glyph}")
                (value,) = struct.unpack_from("<H", data, offset)
                offset += 2
                if value == PSF1_SEPARATOR:
                    break
                if value == PSF1_STARTSEQ:
                    in_sequence = True  # combining sequences: not single code points
                    continue
                if not in_sequence:
                    points.append(value)
            codepoints.append(points)
    return Font(8, height, glyphs, codepoints)


def utf8_decode_one(data, offset, end):
    """One UTF-8 code point at data[offset:end]: (code point, length)."""
    first = data[offset]
    if first < 0x80:
        return first, 1
    for length, lead_bits, lead_mask, minimum in ((2, 0xC0, 0x1F, 0x80), (3, 0xE0, 0x0F, 0x800),
                                                  (4, 0xF0, 0x07, 0x10000)):
        if first & ~lead_mask & 0xFF == lead_bits:
            if offset + length > end:
                raise FontError(offset, "UTF-8 sequence cut by the end of its table entry")
            value = first & lead_mask
            for k in range(1, length):
                byte = data[offset + k]
                if byte & 0xC0 != 0x80:
                    raise FontError(offset + k, f"byte 0x{byte:02x} is not a UTF-8 continuation")
                value = value << 6 | (byte & 0x3F)
            if value < minimum or value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
                raise FontError(offset, f"invalid UTF-8 code point U+{value:X}")
            return value, length
    raise FontError(offset, f"byte 0x{first:02x} does not start a UTF-8 sequence")


def parse_psf2(data):
    need(data, 0, 32, "the PSF2 header")
    _, version, header_size, flags, count, glyph_size, height, width = struct.unpack_from("<4s7I", data, 0)
    if version != 0:
        raise FontError(4, f"PSF2 version {version} (only 0 is defined)")
    if header_size < 32:
        raise FontError(8, f"header size {header_size} is below 32")
    if count == 0 or count > 65536:
        raise FontError(16, f"glyph count {count} (1 to 65536 expected)")
    if width == 0 or width > 32 or height == 0 or height > 64:
        raise FontError(24, f"glyph size {width}x{height} (at most 32x64)")
    if glyph_size != height * ((width + 7) // 8):
        raise FontError(20, f"bytes per glyph {glyph_size} do not match {width}x{height}")
    need(data, header_size, count * glyph_size, f"{count} glyphs of {glyph_size} bytes")
    glyphs = [data[header_size + i * glyph_size : header_size + (i + 1) * glyph_size] for i in range(count)]
    codepoints = None
    offset = header_size + count * glyph_size
    if flags & PSF2_HAS_UNICODE_TABLE:
        codepoints = []
        for glyph in range(count):
            end = data.find(b"\xff", offset)
            if end < 0:
                raise FontError(offset, f"the Unicode table entry of glyph {glyph} has no 0xFF terminator")
            points = []
            in_sequence = False
            while offset < end:
                if data[offset] == 0xFE:  # a sequence follows: not single code points
                    in_sequence = True
                    offset += 1
                    continue
                value, length = utf8_decode_one(data, offset, end)
                offset += length
                if not in_sequence:
                    points.append(value)
            offset = end + 1
            codepoints.append(points)
    elif flags & ~PSF2_HAS_UNICODE_TABLE:
        raise FontError(12, f"unknown PSF2 flags 0x{flags:x}")
    return Font(width, height, glyphs, codepoints)


def parse(data):
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise FontError(0, f"bad gzip data: {error}") from None
    if data[:2] == PSF1_MAGIC:
        return parse_psf1(data)
    if data[:4] == PSF2_MAGIC:
        return parse_psf2(data)
    raise FontError(0, "not a PSF font (no PSF1 or PSF2 magic)")


def latin1_map(font):
    glyph_of = {}
    if font.codepoints is None:
        for index in range(min(len(font.glyphs), 256)):
            glyph_of[index] = index
    else:
        for index, points in enumerate(font.codepoints):
            for point in points:
                glyph_of.setdefault(point, index)
    replacement = glyph_of.get(0xFFFD, glyph_of.get(ord("?"), 0))
    return [glyph_of.get(point, replacement) for point in range(256)], replacement


def header_text(font, source, name):
    row_bytes = (font.width + 7) // 8
    table, replacement = latin1_map(font)
    lines = [
        f"// Generated by tools/fontgen/psf_to_cpp.py from {source} — do not edit.",
        "#pragma once",
        "",
        "#include <stdint.h>",
        "",
        "namespace fbcon::font {",
        "",
        f'inline constexpr const char* kName = "{name}";',
        f"inline constexpr uint32_t kWidth = {font.width};",
        f"inline constexpr uint32_t kHeight = {font.height};",
        f"inline constexpr uint32_t kBytesPerRow = {row_bytes};",
        f"inline constexpr uint32_t kGlyphCount = {len(font.glyphs)};",
        f"inline constexpr uint16_t kReplacement = {replacement};",
        "",
        "inline constexpr uint16_t kGlyphOfLatin1[256] = {",
    ]
    for start in range(0, 256, 16):
        lines.append("    " + ", ".join(str(g) for g in table[start : start + 16]) + ",")
    lines += ["};", "", f"inline constexpr uint8_t kGlyphs[kGlyphCount][kHeight * kBytesPerRow] = {{"]
    for glyph in font.glyphs:
        lines.append("    {" + ", ".join(f"0x{b:02x}" for b in glyph) + "},")
    lines += ["};", "", "} // namespace fbcon::font", ""]
    return "\n".join(lines)


def main(argv):
    parser = argparse.ArgumentParser(description="Convert a PSF console font into a C++ header.")
    parser.add_argument("font")
    parser.add_argument("output")
    parser.add_argument("--name", default=None, help="the font's name in the header (default: the file name)")
    arguments = parser.parse_args(argv)
    try:
        with open(arguments.font, "rb") as handle:
            data = handle.read()
        font = parse(data)
    except OSError as error:
        print(f"psf_to_cpp: {arguments.font}: {error.strerror}", file=sys.stderr)
        return 1
    except FontError as error:
        print(f"psf_to_cpp: {arguments.font}: offset {error.offset}: {error}", file=sys.stderr)
        return 1
    name = arguments.name or arguments.font.rsplit("/", 1)[-1]
    with open(arguments.output, "w") as handle:
        handle.write(header_text(font, arguments.font.rsplit("/", 1)[-1], name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
