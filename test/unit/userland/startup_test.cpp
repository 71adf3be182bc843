// Tests of vesta/startup.hpp: a block the Builder writes parses back to the
// same capabilities, services, argv and environment; every malformation the
// parser knows is refused with its own error, and it reads only the bytes
// it is given.
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <string>
#include <vector>
#include <vesta/startup.hpp>

using namespace vesta;
using namespace vesta::startup;

namespace {

constexpr uint32_t kSerialId = 0x5430284c; // FNV-1a("dev::serial")

// 8-byte aligned storage for a block.
struct Bytes {
    std::vector<uint64_t> words;
    explicit Bytes(size_t size) : words((size + 7) / 8, 0) {}
    uint8_t* data() { return reinterpret_cast<uint8_t*>(words.data()); }
    size_t size() const { return words.size() * 8; }
    Header& header() { return *reinterpret_cast<Header*>(data()); }
    Capability& capability(size_t i) { return reinterpret_cast<Capability*>(data() + header().capability_offset)[i]; }
    StringRef& argument(size_t i) { return reinterpret_cast<StringRef*>(data() + header().argument_offset)[i]; }
};

Builder example_builder() {
    Builder builder;
    builder.set_ipc_buffer(0x7fffe0001000);
    REQUIRE(builder.add_capability(0, ObjectType::Task, rights::kAll, Role::Task, 0, "") == Error::None);
    REQUIRE(builder.add_capability(1, ObjectType::Console, rights::kWrite, Role::Console, 0, "console") == Error::None);
    REQUIRE(builder.add_capability(3, ObjectType::Memory, rights::kAll, Role::Memory, 0, "memory") == Error::None);
    REQUIRE(builder.add_capability(7, ObjectType::Endpoint, rights::kWrite | rights::kGrant, Role::Service, kSerialId,
                                   "serial0") == Error::None);
    REQUIRE(builder.add_capability(8, ObjectType::Endpoint, rights::kWrite, Role::Service, kSerialId, "serial1") ==
            Error::None);
    REQUIRE(builder.add_capability(9, ObjectType::IrqHandler, rights::kAll, Role::None, 0, "com1-irq") == Error::None);
    REQUIRE(builder.add_argument("pcserial") == Error::None);
    REQUIRE(builder.add_environment("BAUD=115200") == Error::None);
    REQUIRE(builder.add_argument("--verbose") == Error::None);
    REQUIRE(builder.add_argument("") == Error::None);
    REQUIRE(builder.add_environment("EMPTY=") == Error::None);
    return builder;
}

Bytes written(const Builder& builder) {
    Bytes bytes(builder.size());
    REQUIRE(builder.write(bytes.data(), bytes.size()) == Error::None);
    return bytes;
}

ParseError parse_error(Bytes& bytes) {
    auto parsed = Block::parse(bytes.data(), bytes.size());
    return parsed.ok() ? ParseError::None : parsed.error();
}

} // namespace

TEST_CASE("a built block parses back to what was added", "[startup]") {
    const Builder builder = example_builder();
    Bytes bytes = written(builder);
    REQUIRE(builder.size() % 8 == 0);
    REQUIRE(builder.size() <= 4096);
    auto parsed = Block::parse(bytes.data(), bytes.size());
    REQUIRE(parsed.ok());
    const Block block = parsed.value();
    CHECK(block.version() == kVersion);
    CHECK(block.size() == builder.size());
    CHECK(block.ipc_buffer() == 0x7fffe0001000);
    REQUIRE(block.capability_count() == 6);
    CHECK(block.capability(1).slot == 1);
    CHECK(block.capability(1).type == static_cast<uint8_t>(ObjectType::Console));
    CHECK(block.capability(1).rights == rights::kWrite);
    CHECK(std::string(block.capability(1).note) == "console");
    CHECK(block.slot_of(Role::Task) == 0);
    CHECK(block.slot_of(Role::Memory) == 3);
    CHECK(block.slot_of(Role::VirtualSpace) == kNoSlot);
    CHECK(block.service(kSerialId) == 7);
    CHECK(block.service(kSerialId, 1) == 8);
    CHECK(block.service(kSerialId, 2) == kNoSlot);
    CHECK(block.service(0x12345678) == kNoSlot);
    REQUIRE(block.find_note("com1-irq") != nullptr);
    CHECK(block.find_note("com1-irq")->slot == 9);
    CHECK(block.find_note("com1") == nullptr);
    REQUIRE(block.argument_count() == 3);
    CHECK(std::string(block.argument(0)) == "pcserial");
    CHECK(std::string(block.argument(1)) == "--verbose");
    CHECK(std::string(block.argument(2)).empty());
    CHECK(block.argument(3) == nullptr);
    REQUIRE(block.environment_count() == 2);
    CHECK(std::string(block.environment_entry(0)) == "BAUD=115200");
    CHECK(std::string(block.environment("BAUD")) == "115200");
    CHECK(std::string(block.environment("EMPTY")).empty());
    CHECK(block.environment("BAU") == nullptr);
    CHECK(block.environment("BAUD=") == nullptr);
    CHECK(block.environment_entry(2) == nullptr);
}

TEST_CASE("an empty block and a default Block have nothing", "[startup]") {
    Builder builder;
    Bytes bytes = written(builder);
    CHECK(builder.size() == sizeof(Header));
    auto parsed = Block::parse(bytes.data(), bytes.size());
    REQUIRE(parsed.ok());
    CHECK(parsed.value().capability_count() == 0);
    CHECK(parsed.value().argument(0) == nullptr);
    const Block nothing;
    CHECK(nothing.empty());
    CHECK(nothing.capability_count() == 0);
    CHECK(nothing.service(kSerialId) == kNoSlot);
    CHECK(nothing.slot_of(Role::Memory) == kNoSlot);
    CHECK(nothing.argument(0) == nullptr);
    CHECK(nothing.environment("A") == nullptr);
    CHECK(nothing.find_note("") == nullptr);
}

TEST_CASE("the builder refuses what the format cannot carry", "[startup]") {
    Builder builder;
    const std::string long_note(kNoteSize, 'n');
    CHECK(builder.add_capability(0, ObjectType::Page, rights::kRead, Role::None, 0, long_note.c_str()) ==
          Error::InvalidArgument);
    CHECK(builder.add_capability(0, ObjectType::Page, rights::kRead, Role::None, 0, nullptr) == Error::InvalidArgument);
    CHECK(builder.add_capability(0, ObjectType::Page, rights::kRead, Role::None, 5, "") == Error::InvalidArgument);
    CHECK(builder.add_capability(0, ObjectType::Page, rights::kRead, Role::Service, 5, "") == Error::InvalidArgument);
    CHECK(builder.add_capability(0, ObjectType::Page, 0x10, Role::None, 0, "") == Error::InvalidArgument);
    CHECK(builder.add_capability(0, static_cast<ObjectType>(16), rights::kRead, Role::None, 0, "") ==
          Error::InvalidArgument);
    CHECK(builder.add_capability(0, ObjectType::Page, rights::kRead, static_cast<Role>(9), 0, "") ==
          Error::InvalidArgument);
    CHECK(builder.add_capability(0, ObjectType::Page, rights::kRead, Role::Stdout, 0, "") == Error::InvalidArgument);
    CHECK(builder.capability_count() == 0);
    CHECK(builder.add_environment("NOEQUALS") == Error::InvalidArgument);
    CHECK(builder.add_argument(nullptr) == Error::InvalidArgument);

    const std::string note(kNoteSize - 1, 'n');
    for (size_t i = 0; i < Builder::kMaxCapabilities; ++i)
        REQUIRE(builder.add_capability(i, ObjectType::Page, rights::kRead, Role::None, 0, note.c_str()) == Error::None);
    CHECK(builder.add_capability(99, ObjectType::Page, rights::kRead, Role::None, 0, "") == Error::OutOfRange);

    const std::string big(Builder::kMaxStringBytes / 2, 'a');
    CHECK(builder.add_argument(big.c_str()) == Error::None);
    CHECK(builder.add_argument(big.c_str()) == Error::Overflow);
    for (size_t i = 1; i < Builder::kMaxStrings; ++i) REQUIRE(builder.add_argument("x") == Error::None);
    CHECK(builder.add_argument("x") == Error::OutOfRange);

    // Full to every capacity, the block still fits one page and parses.
    CHECK(builder.size() <= 4096);
    Bytes bytes = written(builder);
    CHECK(parse_error(bytes) == ParseError::None);
    Bytes small(builder.size() - 8);
    CHECK(builder.write(small.data(), builder.size() - 1) == Error::Overflow);
}

TEST_CASE("has_room_for answers exactly as the next add would", "[startup]") {
    Builder builder;
    CHECK_FALSE(builder.has_room_for(nullptr));
    // Bytes: a string needs its length plus the NUL.
    const std::string most(Builder::kMaxStringBytes - 1 - 8, 'a');
    REQUIRE(builder.add_argument(most.c_str()) == Error::None); // kMaxStringBytes - 8 bytes used
    const std::string fits(7, 'b'), too_long(8, 'b');
    CHECK(builder.has_room_for(fits.c_str()));
    CHECK_FALSE(builder.has_room_for(too_long.c_str()));
    CHECK(builder.add_argument(too_long.c_str()) == Error::Overflow);
    REQUIRE(builder.add_environment("A=1") == Error::None); // 4 bytes used, 4 left
    CHECK(builder.has_room_for("B=2"));
    CHECK_FALSE(builder.has_room_for("B=22"));
    // Strings: kMaxStrings in all, whatever their length.
    Builder counted;
    for (size_t i = 0; i < Builder::kMaxStrings - 1; ++i) REQUIRE(counted.add_argument("x") == Error::None);
    CHECK(counted.has_room_for("E=1"));
    REQUIRE(counted.add_environment("E=1") == Error::None);
    CHECK_FALSE(counted.has_room_for(""));
    CHECK(counted.add_environment("F=1") == Error::OutOfRange);
}

TEST_CASE("each malformation is refused with its own error", "[startup]") {
    const Builder builder = example_builder();

    SECTION("misaligned start") {
        Bytes bytes(builder.size() + 8);
        REQUIRE(builder.write(bytes.data() + 8, builder.size()) == Error::None);
        CHECK(Block::parse(bytes.data() + 4, builder.size()).error() == ParseError::Misaligned);
    }
    SECTION("too small") {
        Bytes bytes = written(builder);
        CHECK(Block::parse(bytes.data(), sizeof(Header) - 1).error() == ParseError::TooSmall);
    }
    SECTION("magic") {
        Bytes bytes = written(builder);
        bytes.header().magic ^= 1;
        CHECK(parse_error(bytes) == ParseError::BadMagic);
    }
    SECTION("version 0; later versions are accepted") {
        Bytes bytes = written(builder);
        bytes.header().version = 0;
        CHECK(parse_error(bytes) == ParseError::BadVersion);
        bytes.header().version = 7;
        CHECK(parse_error(bytes) == ParseError::None);
    }
    SECTION("size") {
        Bytes bytes = written(builder);
        bytes.header().size = sizeof(Header) - 8;
        CHECK(parse_error(bytes) == ParseError::BadSize);
        bytes.header().size = static_cast<uint32_t>(bytes.size() + 8);
        CHECK(parse_error(bytes) == ParseError::BadSize);
        Bytes huge(kMaxSize + 8);
        std::memcpy(huge.data(), bytes.data(), builder.size());
        huge.header().size = kMaxSize + 8;
        CHECK(parse_error(huge) == ParseError::BadSize);
        // Fewer bytes available than the header's size.
        Bytes again = written(builder);
        CHECK(Block::parse(again.data(), builder.size() - 8).error() == ParseError::BadSize);
    }
    SECTION("tables") {
        Bytes bytes = written(builder);
        const Header good = bytes.header();
        bytes.header().capability_offset = 4; // over the header
        CHECK(parse_error(bytes) == ParseError::BadTable);
        bytes.header() = good;
        bytes.header().capability_offset += 4; // misaligned
        CHECK(parse_error(bytes) == ParseError::BadTable);
        bytes.header() = good;
        bytes.header().capability_count = 0xffffffff; // overflowing
        CHECK(parse_error(bytes) == ParseError::BadTable);
        bytes.header() = good;
        bytes.header().argument_count = 1000;
        CHECK(parse_error(bytes) == ParseError::BadTable);
        bytes.header() = good;
        bytes.header().environment_offset = good.size;
        bytes.header().environment_count = 1;
        CHECK(parse_error(bytes) == ParseError::BadTable);
        bytes.header() = good;
        bytes.header().string_size = good.string_size + 8;
        CHECK(parse_error(bytes) == ParseError::BadTable);
    }
    SECTION("capabilities") {
        Bytes bytes = written(builder);
        bytes.capability(2).type = 16;
        CHECK(parse_error(bytes) == ParseError::BadCapability);
        bytes = written(builder);
        bytes.capability(2).role = 9;
        CHECK(parse_error(bytes) == ParseError::BadCapability);
        bytes = written(builder);
        bytes.capability(2).role = static_cast<uint8_t>(Role::Stdout); // memory as standard output
        CHECK(parse_error(bytes) == ParseError::BadCapability);
        bytes = written(builder);
        bytes.capability(2).rights = 0x1f;
        CHECK(parse_error(bytes) == ParseError::BadCapability);
        bytes = written(builder);
        bytes.capability(2).reserved = 1;
        CHECK(parse_error(bytes) == ParseError::BadCapability);
        bytes = written(builder);
        bytes.capability(2).interface_id = 1; // memory with an interface id
        CHECK(parse_error(bytes) == ParseError::BadCapability);
        bytes = written(builder);
        bytes.capability(3).type = static_cast<uint8_t>(ObjectType::Page); // a service that is not an endpoint
        CHECK(parse_error(bytes) == ParseError::BadCapability);
    }
    SECTION("notes") {
        Bytes bytes = written(builder);
        std::memset(bytes.capability(1).note, 'x', kNoteSize);
        CHECK(parse_error(bytes) == ParseError::BadNote);
    }
    SECTION("strings") {
        Bytes bytes = written(builder);
        const StringRef good = bytes.argument(0);
        bytes.argument(0).length += 1; // its NUL is not where it says
        CHECK(parse_error(bytes) == ParseError::BadString);
        bytes.argument(0) = good;
        bytes.argument(0).offset = bytes.header().string_size; // outside the area
        bytes.argument(0).length = 0;
        CHECK(parse_error(bytes) == ParseError::BadString);
        bytes.argument(0) = good;
        bytes.argument(0).offset = 0xfffffff0; // wraps
        bytes.argument(0).length = 0x20;
        CHECK(parse_error(bytes) == ParseError::BadString);
        bytes.argument(0) = good;
        bytes.argument(0).length = 2; // "pc" followed by 's': no NUL there
        CHECK(parse_error(bytes) == ParseError::BadString);
        bytes.argument(0) = good;
        bytes.data()[bytes.header().string_offset + 2] = 0; // a NUL inside "pcserial"
        CHECK(parse_error(bytes) == ParseError::BadString);
    }
    SECTION("every error has a message") {
        for (int e = 0; e <= static_cast<int>(ParseError::BadString); ++e)
            CHECK(std::string(parse_error_message(static_cast<ParseError>(e))).size() > 3);
    }
}

TEST_CASE("parsing random corruptions never reads outside the block", "[startup]") {
    // ASan catches a read past the vector; every single-byte change either
    // parses or fails with an error.
    const Builder builder = example_builder();
    const Bytes good = written(builder);
    uint32_t seed = 12345;
    for (int round = 0; round < 20000; ++round) {
        Bytes bytes = good;
        for (int k = 0; k < 3; ++k) {
            seed = seed * 1103515245 + 12345;
            const size_t at = (seed >> 8) % bytes.size();
            seed = seed * 1103515245 + 12345;
            bytes.data()[at] = static_cast<uint8_t>(seed >> 16);
        }
        auto parsed = Block::parse(bytes.data(), bytes.size());
        if (!parsed.ok()) continue;
        const Block block = parsed.value();
        for (size_t i = 0; i < block.argument_count(); ++i) CHECK(block.argument(i) != nullptr);
        for (size_t i = 0; i < block.capability_count(); ++i)
            CHECK(std::memchr(block.capability(i).note, 0, kNoteSize) != nullptr);
        (void)block.environment("BAUD");
        (void)block.service(kSerialId, 1);
    }
}

TEST_CASE("standard output is an endpoint with Role::Stdout, found by slot_of", "[startup]") {
    Builder builder;
    REQUIRE(builder.add_capability(4, ObjectType::Endpoint, rights::kWrite | rights::kGrant, Role::Stdout, 0,
                                   "stdout") == Error::None);
    CHECK(builder.add_capability(5, ObjectType::Endpoint, rights::kWrite, Role::Stdout, 0x5430284c, "") ==
          Error::InvalidArgument); // an interface id belongs to a service only
    REQUIRE(builder.add_argument("hello") == Error::None);
    std::vector<uint64_t> storage((builder.size() + 7) / 8);
    REQUIRE(builder.write(storage.data(), storage.size() * 8) == Error::None);
    auto parsed = Block::parse(storage.data(), storage.size() * 8);
    REQUIRE(parsed.ok());
    CHECK(parsed.value().slot_of(Role::Stdout) == 4);
    CHECK(parsed.value().slot_of(Role::Service) == kNoSlot);
    CHECK(std::string(parsed.value().argument(0)) == "hello");
}
