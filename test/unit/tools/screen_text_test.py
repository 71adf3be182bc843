#!/usr/bin/env python3
"""Tests of test/boot/screen_text.py, the boot tests' reader of screendumps:
text drawn with the console font (colours, the cursor's swapped cell) is
read back exactly; a cell one pixel off a glyph, or with a third colour, is
not recognised; PPM parsing and its refusals; the PNG writer's output."""
import os
import struct
import sys
import tempfile
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "boot"))
import screen_text  # noqa: E402

BLACK, GREY, WHITE, RED = b"\x00\x00\x00", b"\xaa\xaa\xaa", b"\xff\xff\xff", b"\xaa\x00\x00"


def draw(font, lines, columns, rows, cursor=None, colours=None):
    """An image of `lines` as fbcon draws them: grey on black, the cursor's
    cell swapped; colours[(column, row)] = (foreground, background) overrides."""
    width, height = columns * font.width, rows * font.height
    pixels = bytearray(BLACK * (width * height))
    for row in range(rows):
        text = lines[row] if row < len(lines) else ""
        for column in range(columns):
            character = text[column] if column < len(text) else " "
            bitmap = font.bitmap_of(character)
            foreground, background = (colours or {}).get((column, row), (GREY, BLACK))
            if cursor == (column, row):
                foreground, background = background, foreground
            for y in range(font.height):
                for x in range(font.width):
                    byte = bitmap[y * font.bytes_per_row + x // 8]
                    colour = foreground if byte >> (7 - x % 8) & 1 else background
                    offset = ((row * font.height + y) * width + column * font.width + x) * 3
                    pixels[offset:offset + 3] = colour
    return screen_text.Image(width, height, bytes(pixels))


class ScreenTextTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.font = screen_text.load_font()

    def test_text_is_read_back_exactly(self):
        lines = ["Vesta shell on console0.", "vesta> echo hi ~{|}", "hi", "caf\u00e9 \u00bd"]
        image = draw(self.font, lines, 30, 5, cursor=(3, 2), colours={(0, 0): (RED, WHITE)})
        self.assertEqual(screen_text.screen_lines(image, self.font), lines + [""])

    def test_a_strip_right_and_below_the_grid_is_ignored(self):
        image = draw(self.font, ["abc"], 4, 1)
        wider = bytearray()
        for y in range(image.height):
            wider += image.rgb[y * image.width * 3:(y + 1) * image.width * 3] + BLACK * 5
        wider += BLACK * ((image.width + 5) * 3)
        bigger = screen_text.Image(image.width + 5, image.height + 3, bytes(wider))
        self.assertEqual(screen_text.screen_lines(bigger, self.font), ["abc"])

    def test_one_pixel_off_a_glyph_is_not_recognised(self):
        image = draw(self.font, ["xAx"], 3, 1)
        pixels = bytearray(image.rgb)
        # Flip one pixel in the middle of the 'A' cell (column 1): grey <-> black.
        x, y = self.font.width + self.font.width // 2, self.font.height // 2
        offset = (y * image.width + x) * 3
        pixels[offset:offset + 3] = BLACK if bytes(pixels[offset:offset + 3]) == GREY else GREY
        damaged = screen_text.Image(image.width, image.height, bytes(pixels))
        self.assertEqual(screen_text.screen_lines(damaged, self.font), ["x" + screen_text.UNRECOGNISED + "x"])

    def test_a_third_colour_is_not_recognised(self):
        image = draw(self.font, ["ok"], 2, 1)
        pixels = bytearray(image.rgb)
        pixels[0:3] = RED  # the top-left pixel of the 'o' cell
        self.assertEqual(screen_text.screen_lines(screen_text.Image(image.width, image.height, bytes(pixels)),
                                                  self.font), [screen_text.UNRECOGNISED + "k"])

    def test_ppm_round_trip_and_refusals(self):
        image = draw(self.font, ["ppm"], 3, 1)
        with tempfile.TemporaryDirectory() as work:
            path = os.path.join(work, "screen.ppm")
            with open(path, "wb") as f:
                f.write(b"P6\n# a comment\n%d %d\n255\n" % (image.width, image.height) + image.rgb)
            read = screen_text.read_ppm(path)
            self.assertEqual((read.width, read.height, read.rgb), (image.width, image.height, image.rgb))
            for bad in [b"P5\n1 1\n255\n\x00", b"P6\n2 2\n255\n" + b"\x00" * 11, b"P6\n1 1\n65535\n" + b"\x00" * 6,
                        b"P6\n1"]:
                with open(path, "wb") as f:
                    f.write(bad)
                with self.assertRaises(ValueError):
                    screen_text.read_ppm(path)

    def test_png_holds_the_pixels(self):
        image = draw(self.font, ["png"], 3, 1)
        with tempfile.TemporaryDirectory() as work:
            path = os.path.join(work, "screen.png")
            screen_text.write_png(path, image)
            with open(path, "rb") as f:
                data = f.read()
        self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
        chunks, position = {}, 8
        while position < len(data):
            length, kind = struct.unpack(">I4s", data[position:position + 8])
            body = data[position + 8:position + 8 + length]
            crc, = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
            self.assertEqual(crc, zlib.crc32(kind + body) & 0xFFFFFFFF)
            chunks[kind] = body
            position += 12 + length
        self.assertEqual(struct.unpack(">IIBBBBB", chunks[b"IHDR"]), (image.width, image.height, 8, 2, 0, 0, 0))
        raw = zlib.decompress(chunks[b"IDAT"])
        stride = image.width * 3
        self.assertEqual(raw, b"".join(b"\x00" + image.rgb[y * stride:(y + 1) * stride] for y in range(image.height)))
        self.assertIn(b"IEND", chunks)


if __name__ == "__main__":
    unittest.main()
