// Tests of usrinit's echo translation (userland/usrinit/line_echo.hpp): CR
// and LF end a line as CR LF and a prompt, DEL and BS rub out, everything
// else comes back as typed.
#include <catch2/catch_test_macros.hpp>

#include <string>

#include "line_echo.hpp"

namespace {

std::string echo(const std::string& typed) {
    std::string out(typed.size() * usrinit::kMaxEchoPerByte, '\0');
    const size_t n = usrinit::echo_bytes(reinterpret_cast<const uint8_t*>(typed.data()), typed.size(),
                                         reinterpret_cast<uint8_t*>(out.data()));
    out.resize(n);
    return out;
}

TEST_CASE("usrinit echo: bytes come back as typed", "[usrinit]") {
    CHECK(echo("hello, vesta") == "hello, vesta");
    CHECK(echo("") == "");
    CHECK(echo(std::string("\x00\x1b[A\xff", 5)) == std::string("\x00\x1b[A\xff", 5));
}

TEST_CASE("usrinit echo: CR becomes LF, sent as CR LF and a new prompt", "[usrinit]") {
    CHECK(echo("ls\r") == "ls\r\n> ");
    CHECK(echo("a\nb") == "a\r\n> b");
    CHECK(echo("\r\r") == "\r\n> \r\n> "); // the worst case: kMaxEchoPerByte per byte
}

TEST_CASE("usrinit echo: DEL and BS rub out on the screen", "[usrinit]") {
    CHECK(echo("ab\x7f") == "ab\b \b");
    CHECK(echo("x\b") == "x\b \b");
}

} // namespace
