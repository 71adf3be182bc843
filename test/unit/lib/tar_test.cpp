// Tests of lib/tar: well-formed archives (GNU tar's ustar output shape) are
// read, and each malformation is refused with its own error.
#include <catch2/catch_test_macros.hpp>
#include <cstdio>
#include <cstring>
#include <lib/tar.hpp>
#include <string>
#include <vector>

using namespace vesta::tar;

namespace {

void put_header(std::vector<uint8_t>& out, const std::string& name, const std::string& data, char type = '0',
                const std::string& prefix = "") {
    uint8_t header[512] = {};
    std::memcpy(header, name.data(), std::min<size_t>(name.size(), 100));
    std::snprintf(reinterpret_cast<char*>(header + 100), 8, "%07o", 0644);
    std::snprintf(reinterpret_cast<char*>(header + 124), 12, "%011o", static_cast<unsigned>(data.size()));
    std::snprintf(reinterpret_cast<char*>(header + 136), 12, "%011o", 0);
    header[156] = static_cast<uint8_t>(type);
    std::memcpy(header + 257,
                "ustar\0"
                "00",
                8);
    std::memcpy(header + 345, prefix.data(), std::min<size_t>(prefix.size(), 155));
    std::memset(header + 148, ' ', 8);
    unsigned sum = 0;
    for (uint8_t b : header) sum += b;
    std::snprintf(reinterpret_cast<char*>(header + 148), 8, "%06o", sum);
    header[155] = ' ';
    out.insert(out.end(), header, header + 512);
    out.insert(out.end(), data.begin(), data.end());
    out.resize((out.size() + 511) / 512 * 512, 0);
}

std::vector<uint8_t> archive() {
    std::vector<uint8_t> out;
    put_header(out, "./", "", '5');
    put_header(out, "./root.elf", std::string(700, 'r'));
    put_header(out, "./README", "hello\n");
    put_header(out, "long.txt", "x", '0', "some/dir");
    out.resize(out.size() + 1024, 0);
    return out;
}

} // namespace

TEST_CASE("tar: finds regular files and strips ./") {
    auto a = archive();
    Entry e;
    auto found = find(a.data(), a.size(), "README");
    REQUIRE(found.ok());
    e = found.value();
    CHECK(e.size == 6);
    CHECK(std::memcmp(e.data, "hello\n", 6) == 0);
    found = find(a.data(), a.size(), "root.elf");
    REQUIRE(found.ok());
    e = found.value();
    CHECK(e.size == 700);
    CHECK(e.data[699] == 'r');
    found = find(a.data(), a.size(), "some/dir/long.txt");
    REQUIRE(found.ok());
    e = found.value();
    CHECK(e.size == 1);
}

TEST_CASE("tar: missing files and directories are NotFound") {
    auto a = archive();
    CHECK(find(a.data(), a.size(), "nothing").error() == Error::NotFound);
    CHECK(find(a.data(), a.size(), "").error() == Error::NotFound); // the "./" directory
}

TEST_CASE("tar: reader lists every entry, end without zero blocks accepted") {
    std::vector<uint8_t> a;
    put_header(a, "a", "1");
    put_header(a, "b", "22");
    Reader reader(a.data(), a.size());
    Entry e;
    REQUIRE(reader.next(&e));
    CHECK(std::string(e.name) == "a");
    REQUIRE(reader.next(&e));
    CHECK(std::string(e.name) == "b");
    CHECK_FALSE(reader.next(&e));
    CHECK(reader.error() == Error::None);
    Reader empty(a.data(), 0);
    CHECK_FALSE(empty.next(&e));
    CHECK(empty.error() == Error::None);
}

TEST_CASE("tar: malformed archives are refused precisely") {
    SECTION("bad magic") {
        auto a = archive();
        a[257] = 'X';
        CHECK(find(a.data(), a.size(), "README").error() == Error::BadMagic);
    }
    SECTION("bad checksum") {
        auto a = archive();
        a[512 + 5] ^= 1; // the second header's name
        CHECK(find(a.data(), a.size(), "README").error() == Error::BadChecksum);
    }
    SECTION("non-octal size") {
        std::vector<uint8_t> a;
        put_header(a, "a", "1");
        a[124] = '9';
        unsigned sum = 0;
        for (size_t i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : a[i];
        std::snprintf(reinterpret_cast<char*>(a.data() + 148), 8, "%06o", sum);
        CHECK(find(a.data(), a.size(), "a").error() == Error::BadNumber);
    }
    SECTION("data past the end") {
        std::vector<uint8_t> a;
        put_header(a, "big", std::string(1500, 'b'));
        a.resize(1024);
        CHECK(find(a.data(), a.size(), "big").error() == Error::Truncated);
    }
    SECTION("size not a multiple of 512") {
        auto a = archive();
        a.resize(a.size() - 1);
        CHECK(find(a.data(), a.size(), "README").error() == Error::Misaligned);
    }
    SECTION("every error has a message") {
        for (int i = 0; i <= static_cast<int>(Error::Misaligned); ++i)
            CHECK(std::strlen(message(static_cast<Error>(i))) > 0);
    }
}
