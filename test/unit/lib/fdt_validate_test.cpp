// Tests of DeviceTree::open(): every malformed blob is refused with its own
// error, before anything reads the structure.
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <lib/fdt.hpp>
#include <memory>

#include "fdt_blob_builder.hpp"
#include "fixture.hpp"

using namespace vesta;
using namespace vesta::test;

namespace {

fdt::Error open_error(const std::vector<uint8_t>& blob) {
    auto tree = fdt::DeviceTree::open(blob.data(), blob.size());
    return tree.error();
}

// A fresh heap copy of exactly `size` bytes, so ASan catches any read past it.
fdt::Error open_exact(const std::vector<uint8_t>& blob, size_t size) {
    std::unique_ptr<uint8_t[]> copy(new uint8_t[size == 0 ? 1 : size]);
    if (size != 0 && !blob.empty()) std::memcpy(copy.get(), blob.data(), std::min(size, blob.size()));
    auto tree = fdt::DeviceTree::open(copy.get(), size);
    return tree.error();
}

} // namespace

TEST_CASE("a well-formed minimal blob opens", "[fdt][validate]") {
    auto blob = minimal_tree().build();
    auto tree = fdt::DeviceTree::open(blob.data(), blob.size());
    REQUIRE(tree.ok());
    CHECK(tree.value().node_count() == 2);
    CHECK(tree.value().version() == 17);
    CHECK(tree.value().total_size() == blob.size());
}

TEST_CASE("header problems are refused with specific errors", "[fdt][validate]") {
    auto good = minimal_tree().build();

    SECTION("null or tiny buffer") {
        CHECK(fdt::DeviceTree::open(nullptr, 100).error() == fdt::Error::BufferTooSmall);
        CHECK(open_exact(good, 39) == fdt::Error::BufferTooSmall);
        CHECK(open_exact(good, 0) == fdt::Error::BufferTooSmall);
    }
    SECTION("magic") {
        put_be32(good, magic_at, 0xedfe0dd0);
        CHECK(open_error(good) == fdt::Error::BadMagic);
    }
    SECTION("version") {
        put_be32(good, version_at, 15);
        CHECK(open_error(good) == fdt::Error::VersionTooOld);
    }
    SECTION("last compatible version") {
        put_be32(good, last_compatible_at, 18);
        CHECK(open_error(good) == fdt::Error::VersionTooNew);
    }
    SECTION("totalsize beyond the buffer: every truncation is refused") {
        for (size_t size = 40; size < good.size(); ++size)
            CHECK(open_exact(good, size) == fdt::Error::TotalSizeTooLarge);
        CHECK(open_exact(good, good.size()) == fdt::Error::None);
    }
    SECTION("totalsize smaller than the header") {
        put_be32(good, total_size_at, 20);
        CHECK(open_error(good) == fdt::Error::TotalSizeTooSmall);
    }
    SECTION("reservation block") {
        put_be32(good, reservation_offset_at, 44);
        CHECK(open_error(good) == fdt::Error::ReservationBlockMisaligned);
        put_be32(good, reservation_offset_at, 0x10000);
        CHECK(open_error(good) == fdt::Error::ReservationBlockOutside);
        put_be32(good, reservation_offset_at, 8);
        CHECK(open_error(good) == fdt::Error::ReservationBlockOutside);
    }
    SECTION("structure block") {
        put_be32(good, struct_offset_at, get_be32(good, struct_offset_at) + 2);
        CHECK(open_error(good) == fdt::Error::StructBlockMisaligned);
        put_be32(good, struct_offset_at, 0xfffffff0);
        CHECK(open_error(good) == fdt::Error::StructBlockOutside);
    }
    SECTION("structure size") {
        put_be32(good, struct_size_at, get_be32(good, struct_size_at) + 4096);
        CHECK(open_error(good) == fdt::Error::StructBlockOutside);
        put_be32(good, struct_size_at, 0xfffffffc);
        CHECK(open_error(good) == fdt::Error::StructBlockOutside);
        put_be32(good, struct_size_at, 6);
        CHECK(open_error(good) == fdt::Error::StructSizeMisaligned);
    }
    SECTION("strings block") {
        put_be32(good, strings_size_at, 0xffffffff);
        CHECK(open_error(good) == fdt::Error::StringsBlockOutside);
        put_be32(good, strings_size_at, 4);
        put_be32(good, strings_offset_at, 0xfffffffe);
        CHECK(open_error(good) == fdt::Error::StringsBlockOutside);
    }
    SECTION("overlapping blocks") {
        put_be32(good, strings_offset_at, get_be32(good, struct_offset_at) + 8);
        CHECK(open_error(good) == fdt::Error::BlocksOverlap);
    }
}

TEST_CASE("an unterminated reservation list is refused", "[fdt][validate]") {
    BlobBuilder builder = minimal_tree();
    builder.reservation(0x1000, 0x1000);
    auto blob = builder.build();
    REQUIRE(open_error(blob) == fdt::Error::None);
    // Fill the terminator: the list now runs through the structure block
    // (never finding a (0, 0) pair there) and off the end of the blob.
    put_be32(blob, 40 + 16 + 4, 1);
    CHECK(open_error(blob) == fdt::Error::ReservationListUnterminated);
    // With the reservation block moved to the end, it runs out of the blob.
    auto tail = minimal_tree().build();
    put_be32(tail, reservation_offset_at, static_cast<uint32_t>(tail.size() - 8) & ~7u);
    CHECK(open_error(tail) == fdt::Error::ReservationListUnterminated);
}

TEST_CASE("structure block problems are refused with specific errors", "[fdt][validate]") {
    SECTION("empty structure block") {
        BlobBuilder b;
        CHECK(open_error(b.build()) == fdt::Error::MissingEndToken);
    }
    SECTION("only FDT_END") {
        BlobBuilder b;
        b.end();
        CHECK(open_error(b.build()) == fdt::Error::NoRootNode);
    }
    SECTION("unknown token") {
        BlobBuilder b;
        b.begin_node("").token(7).end_node().end();
        CHECK(open_error(b.build()) == fdt::Error::UnknownToken);
    }
    SECTION("misaligned token (written right after a name, without padding)") {
        BlobBuilder b;
        b.token(1).raw({'a', 0}).raw(be32_cells({2})).raw({0, 0}).end();
        CHECK(open_error(b.build()) == fdt::Error::NodeNameInvalid);
        BlobBuilder c;
        c.begin_node("").token(1).raw({'a', 'b', 0}).raw(be32_cells({2})).raw({0}).end_node().end();
        CHECK(open_error(c.build()) == fdt::Error::UnknownToken);
    }
    SECTION("node name without NUL") {
        BlobBuilder b;
        b.begin_node("").token(1).raw({'a', 'b', 'c', 'd'});
        CHECK(open_error(b.build()) == fdt::Error::NodeNameUnterminated);
    }
    SECTION("invalid node names") {
        BlobBuilder b;
        b.begin_node("").begin_node("").end_node().end_node().end();
        CHECK(open_error(b.build()) == fdt::Error::NodeNameInvalid);
        BlobBuilder c;
        c.begin_node("").begin_node("a/b").end_node().end_node().end();
        CHECK(open_error(c.build()) == fdt::Error::NodeNameInvalid);
        BlobBuilder d;
        d.begin_node("root").end_node().end();
        CHECK(open_error(d.build()) == fdt::Error::NodeNameInvalid);
    }
    SECTION("unbalanced nodes") {
        BlobBuilder b;
        b.begin_node("").begin_node("child").end_node().end();
        CHECK(open_error(b.build()) == fdt::Error::NodesUnclosed);
        BlobBuilder c;
        c.begin_node("").end_node().end_node().end();
        CHECK(open_error(c.build()) == fdt::Error::EndNodeWithoutBeginNode);
        BlobBuilder d;
        d.begin_node("").begin_node("child");
        CHECK(open_error(d.build()) == fdt::Error::MissingEndToken);
    }
    SECTION("two roots") {
        BlobBuilder b;
        b.begin_node("").end_node().begin_node("").end_node().end();
        CHECK(open_error(b.build()) == fdt::Error::SecondRootNode);
    }
    SECTION("property outside any node") {
        BlobBuilder b;
        b.property_u32("x", 1).begin_node("").end_node().end();
        CHECK(open_error(b.build()) == fdt::Error::PropertyOutsideNode);
        BlobBuilder c;
        c.begin_node("").end_node().property_u32("x", 1).end();
        CHECK(open_error(c.build()) == fdt::Error::PropertyOutsideNode);
    }
    SECTION("property after a subnode") {
        BlobBuilder b;
        b.begin_node("").begin_node("a").end_node().property_u32("x", 1).end_node().end();
        CHECK(open_error(b.build()) == fdt::Error::PropertyAfterSubnode);
    }
    SECTION("property value past the structure block") {
        BlobBuilder b;
        b.begin_node("");
        const uint32_t name = b.name_offset("big");
        b.raw_property(0x7ffffff0, name, {1, 2, 3, 4}).end_node().end();
        CHECK(open_error(b.build()) == fdt::Error::PropertyTruncated);
        BlobBuilder c;
        c.begin_node("");
        c.raw_property(0xffffffff, c.name_offset("huge"), {}).end_node().end();
        CHECK(open_error(c.build()) == fdt::Error::PropertyTruncated);
    }
    SECTION("property header truncated") {
        BlobBuilder b;
        b.begin_node("").token(3).token(4);
        CHECK(open_error(b.build()) == fdt::Error::TruncatedToken);
    }
    SECTION("property name offset outside strings block") {
        BlobBuilder b;
        b.begin_node("").raw_property(4, 0x1000, {0, 0, 0, 1}).end_node().end();
        CHECK(open_error(b.build()) == fdt::Error::PropertyNameOffsetOutside);
    }
    SECTION("property name not terminated inside the strings block") {
        BlobBuilder b;
        b.raw_strings({'a', 'b', 'c'});
        b.begin_node("").raw_property(4, 1, {0, 0, 0, 1}).end_node().end();
        CHECK(open_error(b.build()) == fdt::Error::PropertyNameUnterminated);
    }
    SECTION("NOPs are accepted anywhere") {
        BlobBuilder b;
        b.nop()
            .begin_node("")
            .nop()
            .property_u32("x", 1)
            .nop()
            .begin_node("c")
            .nop()
            .end_node()
            .nop()
            .end_node()
            .nop()
            .end();
        auto blob = b.build();
        auto tree = fdt::DeviceTree::open(blob.data(), blob.size());
        REQUIRE(tree.ok());
        CHECK(tree.value().read_u32(tree.value().root(), "x").value() == 1);
        CHECK(std::string(tree.value().name(tree.value().first_child(tree.value().root()))) == "c");
    }
}

TEST_CASE("depth and node-count limits", "[fdt][validate]") {
    BlobBuilder deep;
    deep.begin_node("");
    for (uint32_t i = 1; i < fdt::kMaxDepth; ++i) deep.begin_node("n");
    for (uint32_t i = 0; i < fdt::kMaxDepth; ++i) deep.end_node();
    deep.end();
    auto blob = deep.build();
    REQUIRE(open_error(blob) == fdt::Error::None);
    auto tree = fdt::DeviceTree::open(blob.data(), blob.size()).value();
    // The deepest node still finds its parent chain.
    fdt::Node last;
    for (fdt::Node n = tree.root(); n.valid(); n = tree.next_node(n)) last = n;
    CHECK(tree.depth(last).value() == fdt::kMaxDepth - 1);
    CHECK(tree.parent(last).ok());

    BlobBuilder deeper;
    deeper.begin_node("");
    for (uint32_t i = 0; i < fdt::kMaxDepth; ++i) deeper.begin_node("n");
    for (uint32_t i = 0; i <= fdt::kMaxDepth; ++i) deeper.end_node();
    deeper.end();
    CHECK(open_error(deeper.build()) == fdt::Error::TooDeep);

    BlobBuilder wide;
    wide.begin_node("");
    for (uint32_t i = 0; i < fdt::kMaxNodes; ++i) wide.begin_node("n").end_node();
    wide.end_node().end();
    CHECK(open_error(wide.build()) == fdt::Error::TooManyNodes);
}

TEST_CASE("every truncation and every single-byte corruption of a real blob is handled", "[fdt][validate]") {
    auto blob = load_fixture("basic");
    for (size_t size = 0; size < blob.size(); ++size) {
        // Truncated, with totalsize still claiming the whole blob…
        CHECK(open_exact(blob, size) != fdt::Error::None);
        // …and with totalsize shrunk to match: blocks now stick out.
        std::vector<uint8_t> cut(blob.begin(), blob.begin() + static_cast<long>(size));
        if (size >= 40) put_be32(cut, total_size_at, static_cast<uint32_t>(size));
        CHECK(open_exact(cut, size) != fdt::Error::None);
    }
    for (size_t at = 0; at < blob.size(); ++at) {
        auto corrupt = blob;
        corrupt[at] ^= 0xff;
        auto tree = fdt::DeviceTree::open(corrupt.data(), corrupt.size());
        if (!tree.ok()) {
            CHECK(std::strlen(fdt::message(tree.error())) > 0);
            continue;
        }
        // A blob that still validates must survive every query.
        const fdt::DeviceTree& t = tree.value();
        for (fdt::Node n = t.root(); n.valid(); n = t.next_node(n)) {
            (void)t.parent(n);
            (void)t.reg_count(n);
            (void)t.cpu_region(n, 0);
            (void)t.interrupt(n, 0);
            for (fdt::Property p = t.first_property(n); p.valid(); p = t.next_property(p)) {
            }
        }
        (void)t.stdout_path();
    }
}

TEST_CASE("every error has a distinct message", "[fdt][validate]") {
    for (uint16_t a = 0; a <= static_cast<uint16_t>(fdt::Error::InterruptsSizeMismatch); ++a) {
        const char* message_a = fdt::message(static_cast<fdt::Error>(a));
        CHECK(std::string(message_a) != "unknown fdt error");
        for (uint16_t b = 0; b < a; ++b) CHECK(std::string(message_a) != fdt::message(static_cast<fdt::Error>(b)));
    }
    CHECK(fdt::to_abi_error(fdt::Error::NodeNotFound) == Error::NotFound);
    CHECK(fdt::to_abi_error(fdt::Error::BadMagic) == Error::Malformed);
    CHECK(fdt::to_abi_error(fdt::Error::None) == Error::None);
}

TEST_CASE("version 16 blobs (no size_dt_struct) open", "[fdt][validate]") {
    auto blob = minimal_tree().build();
    put_be32(blob, version_at, 16);
    put_be32(blob, struct_size_at, 0xdeadbeef); // not a v16 field: ignored
    auto tree = fdt::DeviceTree::open(blob.data(), blob.size());
    REQUIRE(tree.ok());
    CHECK(tree.value().version() == 16);
    CHECK(tree.value().node_count() == 2);
}

TEST_CASE("linux,stdout-path is the fallback, and a plain path with options works", "[fdt][lookup]") {
    BlobBuilder b;
    b.begin_node("")
        .begin_node("chosen")
        .property_string("linux,stdout-path", "/uart@10:9600")
        .end_node()
        .begin_node("uart@10")
        .end_node()
        .end_node()
        .end();
    auto blob = b.build();
    auto tree = fdt::DeviceTree::open(blob.data(), blob.size()).value();
    auto out = tree.stdout_path();
    REQUIRE(out.ok());
    CHECK(std::string(tree.name(out.value().node)) == "uart@10");
    CHECK(std::string(out.value().options) == "9600");
    // No /aliases node at all: alias lookups fail cleanly.
    CHECK(tree.find_path("serial0").error() == fdt::Error::AliasNotFound);
}
