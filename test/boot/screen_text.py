"""Reading text off a screendump: the boot tests' eyes on the framebuffer
console (docs/framebuffer-console.md, "Tests").

QEMU's monitor command `screendump FILE` writes the display as a binary PPM
(P6). fbcon draws every character cell from the console font's glyph bits
(userland/drivers/fbcon/glyph_renderer.cpp): a cell is font width x height
pixels at (column * width, row * height), each pixel exactly the foreground
colour where the glyph's bit is set and the background colour elsewhere
(swapped in the cursor's cell). So the text is recovered exactly: a cell is
recognised only when it holds at most two colours and its bit pattern, with
one of them as foreground, is the bitmap of a glyph of the font; anything
else (a third colour, a pattern no glyph has) is UNRECOGNISED, never a
guess. The font is parsed by tools/fontgen/psf_to_cpp.py, the converter
that made the driver's font: the same file, the same parser.

    font = load_font(path)             # a PSF1/PSF2 file (gzip or not)
    image = read_ppm(path)             # Image(width, height, rgb bytes)
    lines = screen_lines(image, font)  # one string per text row, trailing blanks cut
    write_png(path, image)             # for a person to look at
"""
import os
import re
import struct
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools", "fontgen"))
import psf_to_cpp  # noqa: E402

DEFAULT_FONT = "/usr/share/consolefonts/Lat15-Terminus16.psf.gz"  # meson_options.txt's console_font
UNRECOGNISED = "\x00"  # a cell that is not exactly a glyph of the font


class Image:
    def __init__(self, width, height, rgb):
        if len(rgb) != width * height * 3:
            raise ValueError(f"{width}x{height} image needs {width * height * 3} bytes, got {len(rgb)}")
        self.width = width
        self.height = height
        self.rgb = bytes(rgb)

    def pixel(self, x, y):
        offset = (y * self.width + x) * 3
        return self.rgb[offset:offset + 3]


class GlyphFont:
    """A font as fbcon draws it: cell size and a map from each glyph's
    bitmap (the PSF rows, most significant bit leftmost) to the character
    it shows."""

    def __init__(self, font):
        self.width = font.width
        self.height = font.height
        self.bytes_per_row = (font.width + 7) // 8
        glyph_of, _replacement = psf_to_cpp.latin1_map(font)
        self.character_of = {}
        # Printable ASCII first, then the rest of Latin-1: where two code
        # points share a bitmap (space and no-break space) ASCII wins.
        for point in list(range(0x20, 0x7F)) + list(range(0xA0, 0x100)):
            self.character_of.setdefault(bytes(font.glyphs[glyph_of[point]]), chr(point))

    def bitmap_of(self, character):
        for bitmap, shown in self.character_of.items():
            if shown == character:
                return bitmap
        raise KeyError(character)


def font_path_of_build(build_dir):
    """The console font a build directory was configured with (meson's
    console_font option), else the default."""
    import json
    try:
        with open(os.path.join(build_dir, "meson-info", "intro-buildoptions.json")) as f:
            for option in json.load(f):
                if option.get("name") == "console_font":
                    return option["value"]
    except (OSError, ValueError):
        pass
    return DEFAULT_FONT


def load_font(path=DEFAULT_FONT):
    with open(path, "rb") as f:
        return GlyphFont(psf_to_cpp.parse(f.read()))


def read_ppm(path):
    """A binary PPM (P6, maxval 255) as QEMU's screendump writes it.
    Raises ValueError for anything else (including a file still being written)."""
    with open(path, "rb") as f:
        data = f.read()
    fields = []
    position = 0
    while len(fields) < 4:
        match = re.compile(rb"\s*(?:#[^\n]*\n\s*)*(\S+)").match(data, position)
        if not match:
            raise ValueError(f"{path}: truncated PPM header")
        fields.append(match.group(1))
        position = match.end()
    if fields[0] != b"P6":
        raise ValueError(f"{path}: not a binary PPM (magic {fields[0]!r})")
    width, height, maxval = (int(field) for field in fields[1:])
    if maxval != 255:
        raise ValueError(f"{path}: maxval {maxval}, expected 255")
    position += 1  # the single whitespace byte after maxval
    rgb = data[position:position + width * height * 3]
    if len(rgb) != width * height * 3:
        raise ValueError(f"{path}: {len(rgb)} pixel bytes, expected {width * height * 3}")
    return Image(width, height, rgb)


def write_png(path, image):
    """An 8-bit RGB PNG of the image (no filter, zlib level 9)."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    stride = image.width * 3
    raw = b"".join(b"\x00" + image.rgb[y * stride:(y + 1) * stride] for y in range(image.height))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", image.width, image.height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def read_cell(image, font, column, row):
    """The character in cell (column, row), or UNRECOGNISED."""
    x0, y0 = column * font.width, row * font.height
    stride = image.width * 3
    rows = [image.rgb[(y0 + y) * stride + x0 * 3:(y0 + y) * stride + (x0 + font.width) * 3]
            for y in range(font.height)]
    colours = set()
    for line in rows:
        for x in range(0, len(line), 3):
            colours.add(line[x:x + 3])
            if len(colours) > 2:
                return UNRECOGNISED
    candidates = sorted(colours)
    if len(candidates) == 1:
        candidates = candidates + [None]  # a blank cell: either colour is the background
    for foreground in candidates:
        bitmap = bytearray()
        for line in rows:
            bits = 0
            for x in range(font.width):
                bits = bits << 1 | (line[x * 3:x * 3 + 3] == foreground)
            bits <<= font.bytes_per_row * 8 - font.width
            bitmap += bits.to_bytes(font.bytes_per_row, "big")
        shown = font.character_of.get(bytes(bitmap))
        if shown is not None:
            return shown
    return UNRECOGNISED


def screen_lines(image, font):
    """The text of every whole cell row of the screen, trailing blanks cut."""
    columns, rows = image.width // font.width, image.height // font.height
    return ["".join(read_cell(image, font, column, row) for column in range(columns)).rstrip(" ")
            for row in range(rows)]


def screen_text(image, font):
    return "\n".join(screen_lines(image, font))


def main(argv):
    """screen_text.py SCREEN.ppm [--png OUT.png] [--font FONT]: prints the text."""
    import argparse
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("ppm")
    parser.add_argument("--png")
    parser.add_argument("--font", default=DEFAULT_FONT)
    arguments = parser.parse_args(argv)
    image = read_ppm(arguments.ppm)
    if arguments.png:
        write_png(arguments.png, image)
    print(screen_text(image, load_font(arguments.font)).replace(UNRECOGNISED, "\u2591"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
