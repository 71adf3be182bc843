#!/usr/bin/env python3
"""Tests of tools/fontgen/psf_to_cpp.py: PSF1 and PSF2 fonts (with and
without Unicode tables, gzip-compressed or not) become the header's tables,
and each malformation is refused with the offset and reason."""
import gzip
import os
import struct
import subprocess
import sys
import tempfile
import unittest

TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tools", "fontgen", "psf_to_cpp.py")
sys.path.insert(0, os.path.dirname(TOOL))
import psf_to_cpp  # noqa: E402


def psf1(height=16, table=None, glyph_count=256):
    mode = (0x02 if table is not None else 0) | (0x01 if glyph_count == 512 else 0)
    data = bytearray(b"\x36\x04" + bytes([mode, height]))
    for glyph in range(glyph_count):
        data += bytes([glyph & 0xFF] * height)
    if table is not None:
        for points in table:
            for point in points:
                data += struct.pack("<H", point)
            data += b"\xff\xff"
    return bytes(data)


def psf2(width=8, height=16, count=4, table=None, flags=None):
    row = (width + 7) // 8
    flags = (1 if table is not None else 0) if flags is None else flags
    data = bytearray(struct.pack("<4s7I", b"\x72\xb5\x4a\x86", 0, 32, flags, count, row * height, height, width))
    for glyph in range(count):
        data += bytes([glyph + 1] * (row * height))
    if table is not None:
        for entry in table:
            data += entry + b"\xff"
    return bytes(data)


class Conversion(unittest.TestCase):
    def test_psf1_without_table_maps_identity(self):
        font = psf_to_cpp.parse(psf1())
        table, replacement = psf_to_cpp.latin1_map(font)
        self.assertEqual((font.width, font.height, len(font.glyphs)), (8, 16, 256))
        self.assertEqual(table[ord("A")], ord("A"))
        self.assertEqual(replacement, ord("?"))

    def test_psf1_table_and_replacement(self):
        table = [[] for _ in range(256)]
        table[3] = [ord("A"), 0x391]  # A and Greek Alpha share a glyph
        table[7] = [0xFFFD]
        table[9] = [0xFFFE, 0x41, 0x300]  # a sequence only: not a single code point
        font = psf_to_cpp.parse(psf1(table=table))
        mapping, replacement = psf_to_cpp.latin1_map(font)
        self.assertEqual(mapping[ord("A")], 3)
        self.assertEqual(replacement, 7)
        self.assertEqual(mapping[ord("B")], 7)

    def test_psf1_512_glyphs_gzip(self):
        font = psf_to_cpp.parse(gzip.compress(psf1(glyph_count=512)))
        self.assertEqual(len(font.glyphs), 512)

    def test_psf2_wide_glyphs_and_utf8_table(self):
        entries = [b"A", "é".encode(), b"\xfeA\xcc\x80", "\ufffd".encode()]
        font = psf_to_cpp.parse(psf2(width=12, height=24, table=entries))
        mapping, replacement = psf_to_cpp.latin1_map(font)
        self.assertEqual((font.width, font.height, len(font.glyphs[0])), (12, 24, 48))
        self.assertEqual(mapping[ord("A")], 0)
        self.assertEqual(mapping[0xE9], 1)
        self.assertEqual(replacement, 3)

    def test_header_is_written(self):
        with tempfile.TemporaryDirectory() as scratch:
            source = os.path.join(scratch, "f.psf")
            output = os.path.join(scratch, "f.hpp")
            with open(source, "wb") as handle:
                handle.write(psf1())
            run = subprocess.run([sys.executable, TOOL, source, output], capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            text = open(output).read()
            self.assertIn("kGlyphs[kGlyphCount][kHeight * kBytesPerRow]", text)
            self.assertIn("inline constexpr uint32_t kHeight = 16;", text)


class Refusals(unittest.TestCase):
    def refused(self, data, offset, words):
        with self.assertRaises(psf_to_cpp.FontError) as caught:
            psf_to_cpp.parse(data)
        self.assertEqual(caught.exception.offset, offset)
        self.assertIn(words, str(caught.exception))

    def test_not_a_font(self):
        self.refused(b"hello world", 0, "not a PSF font")

    def test_bad_gzip(self):
        self.refused(b"\x1f\x8b\x08\x00garbage", 0, "bad gzip data")

    def test_psf1_truncated_glyphs(self):
        self.refused(psf1()[:100], 4, "truncated")

    def test_psf1_zero_height_and_mode(self):
        self.refused(b"\x36\x04\x00\x00", 3, "glyph height 0")
        self.refused(b"\x36\x04\x80\x10", 2, "unknown PSF1 mode bits")

    def test_psf1_table_cut(self):
        data = psf1(table=[[65]] * 256)
        self.refused(data[:-3], len(data) - 4, "Unicode table entry of glyph 255")

    def test_psf2_header_fields(self):
        self.refused(psf2(width=0), 24, "glyph size")
        self.refused(psf2(count=0), 16, "glyph count")
        self.refused(psf2(flags=6), 12, "unknown PSF2 flags")
        bad_size = bytearray(psf2())
        struct.pack_into("<I", bad_size, 20, 15)
        self.refused(bytes(bad_size), 20, "bytes per glyph")
        version = bytearray(psf2())
        struct.pack_into("<I", version, 4, 1)
        self.refused(bytes(version), 4, "version 1")

    def test_psf2_table_errors(self):
        base = len(psf2(count=1))
        self.refused(psf2(count=1, table=[b"A"])[:-1], base, "no 0xFF terminator")
        self.refused(psf2(count=1, table=[b"\xc3"]), base, "cut by the end")
        self.refused(psf2(count=1, table=[b"\xc3A"]), base + 1, "not a UTF-8 continuation")
        self.refused(psf2(count=1, table=[b"\xc0\x80"]), base, "invalid UTF-8")
        self.refused(psf2(count=1, table=[b"\x80"]), base, "does not start a UTF-8 sequence")

    def test_command_line_reports_file_and_offset(self):
        with tempfile.TemporaryDirectory() as scratch:
            source = os.path.join(scratch, "bad.psf")
            output = os.path.join(scratch, "bad.hpp")
            with open(source, "wb") as handle:
                handle.write(b"\x36\x04\x00\x00")
            run = subprocess.run([sys.executable, TOOL, source, output], capture_output=True, text=True)
            self.assertEqual(run.returncode, 1)
            self.assertEqual(run.stderr.strip(), f"psf_to_cpp: {source}: offset 3: glyph height 0")
            self.assertFalse(os.path.exists(output))


if __name__ == "__main__":
    unittest.main()
