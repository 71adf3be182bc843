// Tests of the shell's word splitting (userland/shell/command_line.cpp).
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "command_line.hpp"

using shell::CommandLine;
using Problem = CommandLine::Problem;

namespace {

Problem parse(const std::string& text, CommandLine& line) {
    return shell::parse_command_line(text.data(), text.size(), &line);
}

std::vector<std::string> words(const CommandLine& line) {
    return std::vector<std::string>(line.words, line.words + line.count);
}

} // namespace

TEST_CASE("words are split on blanks; quotes group them", "[shell]") {
    static CommandLine line;
    REQUIRE(parse("  hello a\tb  c ", line) == Problem::None);
    CHECK(words(line) == std::vector<std::string>{"hello", "a", "b", "c"});
    CHECK_FALSE(line.background);
    REQUIRE(parse("echo \"a b\" x\"y z\" \"\"", line) == Problem::None);
    CHECK(words(line) == std::vector<std::string>{"echo", "a b", "xy z", ""});
    REQUIRE(parse("", line) == Problem::None);
    CHECK(line.count == 0);
    REQUIRE(parse("   ", line) == Problem::None);
    CHECK(line.count == 0);
}

TEST_CASE("a trailing & runs in the background", "[shell]") {
    static CommandLine line;
    REQUIRE(parse("spin &", line) == Problem::None);
    CHECK(words(line) == std::vector<std::string>{"spin"});
    CHECK(line.background);
    REQUIRE(parse("spin 5&  ", line) == Problem::None);
    CHECK(words(line) == std::vector<std::string>{"spin", "5"});
    CHECK(line.background);
    REQUIRE(parse("echo \"a&b\"", line) == Problem::None);
    CHECK(words(line) == std::vector<std::string>{"echo", "a&b"});
}

TEST_CASE("bad lines are refused with their reason", "[shell]") {
    static CommandLine line;
    CHECK(parse("a & b", line) == Problem::MisplacedAmpersand);
    CHECK(parse("a&b", line) == Problem::MisplacedAmpersand);
    CHECK(parse("&", line) == Problem::MisplacedAmpersand);
    CHECK(parse("echo \"open", line) == Problem::OpenQuote);
    std::string many = "w";
    for (size_t i = 0; i < CommandLine::kMaxWords; ++i) many += " w";
    CHECK(parse(many, line) == Problem::TooManyWords);
    many.resize(many.size() - 2);
    CHECK(parse(many, line) == Problem::None);
    CHECK(line.count == CommandLine::kMaxWords);
    CHECK(std::strlen(shell::problem_message(Problem::TooManyWords)) > 0);
}
