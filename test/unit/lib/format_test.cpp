#include <catch2/catch_test_macros.hpp>
#include <lib/format.hpp>
#include <string>

using namespace vesta;

namespace {
template <class... Args>
std::string formatted(const char* pattern, const Args&... args) {
    std::string out;
    auto sink = [&](const char* text, size_t length) { out.append(text, length); };
    format(sink, pattern, args...);
    return out;
}
enum class Colour : uint8_t { Red = 3 };
} // namespace

TEST_CASE("format prints integers, text, hex and pointers", "[format]") {
    CHECK(formatted("usable memory: {} MiB", 123u) == "usable memory: 123 MiB");
    CHECK(formatted("{} {} {}", -5, 0, int64_t{INT64_MIN}) == "-5 0 -9223372036854775808");
    CHECK(formatted("{:x}", 0xdeadbeefu) == "0xdeadbeef");
    CHECK(formatted("{:016x}", uint64_t{0x1234}) == "0x0000000000001234");
    CHECK(formatted("{}", "text") == "text");
    CHECK(formatted("{}", static_cast<const char*>(nullptr)) == "(null)");
    CHECK(formatted("{}", reinterpret_cast<void*>(0x1000)) == "0x1000");
    CHECK(formatted("{}", true) == "true");
    CHECK(formatted("{}", Colour::Red) == "3");
    CHECK(formatted("{} {}", 1) == "1 {?}");
    CHECK(formatted("{bad} {}", 2) == "{bad} 2");
    CHECK(formatted("no placeholders", 1, 2) == "no placeholders");
}

TEST_CASE("BufferSink truncates and terminates", "[format]") {
    char buffer[8];
    BufferSink sink(buffer, sizeof buffer);
    format(sink, "{}-{}", 12345, 67890);
    CHECK(std::string(buffer) == "12345-6");
    CHECK(sink.length() == 7);
}
