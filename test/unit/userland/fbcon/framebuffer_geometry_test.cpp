// Tests of userland/drivers/fbcon/framebuffer_geometry: the loader's
// FRAMEBUFFER= entry read exactly, every malformation refused.
#include <catch2/catch_test_macros.hpp>
#include <framebuffer_geometry.hpp>

using namespace fbcon;
using vesta::boot::PixelFormat;

TEST_CASE("fbcon geometry: the loader's eight fields") {
    auto g = parse_geometry("1280,800,5120,2,16711680,65280,255,0");
    REQUIRE(g.ok());
    CHECK(g.value().width == 1280);
    CHECK(g.value().height == 800);
    CHECK(g.value().pitch == 5120);
    CHECK(g.value().format == PixelFormat::Bgrx8888);
    CHECK(g.value().red_mask == 0xff0000);
    CHECK(g.value().blue_mask == 0xff);
    CHECK(g.value().offset == 0);
    CHECK(parse_geometry("0,0,0,0,0,0,0,4095").ok());
    CHECK(parse_geometry("4294967295,1,1,1,1,1,1,1").ok());
}

TEST_CASE("fbcon geometry: malformed entries are refused with their reason") {
    CHECK(parse_geometry(nullptr).error() == GeometryError::Missing);
    CHECK(parse_geometry("").error() == GeometryError::NotANumber);
    CHECK(parse_geometry("1280,800,5120,2,0,0,0").error() == GeometryError::FieldCount);
    CHECK(parse_geometry("1280,800,5120,2,0,0,0,0,0").error() == GeometryError::FieldCount);
    CHECK(parse_geometry("1280,800,5120,2,0,0,0,").error() == GeometryError::NotANumber);
    CHECK(parse_geometry("1280,,5120,2,0,0,0,0").error() == GeometryError::NotANumber);
    CHECK(parse_geometry("1280, 800,5120,2,0,0,0,0").error() == GeometryError::NotANumber);
    CHECK(parse_geometry("-1,800,5120,2,0,0,0,0").error() == GeometryError::NotANumber);
    CHECK(parse_geometry("0x10,800,5120,2,0,0,0,0").error() == GeometryError::NotANumber);
    CHECK(parse_geometry("4294967296,1,1,1,1,1,1,1").error() == GeometryError::TooLarge);
    CHECK(parse_geometry("99999999999999999999999,1,1,1,1,1,1,1").error() == GeometryError::TooLarge);
    CHECK(parse_geometry("1,1,1,1,1,1,1,4096").error() == GeometryError::OffsetTooLarge);
    CHECK(parse_geometry("1,1,1,1,1,1,1,1 ").error() == GeometryError::NotANumber);
}
