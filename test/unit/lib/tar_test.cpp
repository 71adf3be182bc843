// Tests of lib/tar: well-formed archives (GNU tar's ustar output shape) are
// read, and each malformation is refused with its own error.
#include <catch2/catch_test_macros.hpp>
#include <cstdio>
#include <cstring>
#include <lib/tar.hpp>
#include <string>
#include <tar_builder.hpp>
#include <vector>

using namespace vesta::tar;

namespace {

using vesta::test::put_tar_entry;

std::vector<uint8_t> archive() {
    std::vector<uint8_t> out;
    put_tar_entry(out, "./", "", '5');
    put_tar_entry(out, "./root.elf", std::string(700, 'r'));
    put_tar_entry(out, "./README", "hello\n");
    put_tar_entry(out, "long.txt", "x", '0', "some/dir");
    vesta::test::end_tar(out);
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
    put_tar_entry(a, "a", "1");
    put_tar_entry(a, "b", "22");
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
        put_tar_entry(a, "a", "1");
        a[124] = '9';
        unsigned sum = 0;
        for (size_t i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : a[i];
        std::snprintf(reinterpret_cast<char*>(a.data() + 148), 8, "%06o", sum);
        CHECK(find(a.data(), a.size(), "a").error() == Error::BadNumber);
    }
    SECTION("data past the end") {
        std::vector<uint8_t> a;
        put_tar_entry(a, "big", std::string(1500, 'b'));
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
