#include <boot/command_line.hpp>
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <string>
#include <vector>

using namespace vesta;

namespace {
std::vector<std::string> unknown;
void collect(const char* word, size_t length) { unknown.emplace_back(word, length); }
KernelOptions parse(const char* text) {
    unknown.clear();
    return parse_command_line(text, std::strlen(text), collect);
}
} // namespace

TEST_CASE("the command line sets options and reports unknown words", "[command-line]") {
    auto options = parse("  console=serial emulator-exit   exit-on-ready fault-test=page bogus=1 ");
    CHECK(options.emulator_exit);
    CHECK(options.exit_on_ready);
    CHECK(options.fault_test == FaultTest::PageFault);
    CHECK(unknown == std::vector<std::string>{"bogus=1"});

    options = parse("fault-test=trap fault-test=other exit-on-ready-not");
    CHECK(options.fault_test == FaultTest::Trap);
    CHECK_FALSE(options.exit_on_ready);
    CHECK(unknown == std::vector<std::string>{"fault-test=other", "exit-on-ready-not"});

    options = parse("fault-test=stack");
    CHECK(options.fault_test == FaultTest::StackOverflow);
    options = parse("fault-test=user-access test-firmware-leftovers");
    CHECK(options.fault_test == FaultTest::UserAccess);
    CHECK(options.firmware_leftovers);
    CHECK_FALSE(options.cpus_no_wait);
    CHECK(unknown.empty());
    options = parse("test-cpus-no-wait");
    CHECK(options.cpus_no_wait);
    CHECK(unknown.empty());

    options = parse("no-tlb-tags");
    CHECK_FALSE(options.tlb_tags);
    CHECK(options.tlb_tag_limit == 0);
    options = parse("tlb-tags=3 tlb-tags=2 tlb-tags=65537 tlb-tags=x tlb-tags=");
    CHECK(options.tlb_tags);
    CHECK(options.tlb_tag_limit == 3);
    CHECK(unknown == std::vector<std::string>{"tlb-tags=2", "tlb-tags=65537", "tlb-tags=x", "tlb-tags="});
    unknown.clear();

    options = parse("");
    CHECK_FALSE(options.emulator_exit);
    CHECK_FALSE(options.firmware_leftovers);
    CHECK(options.tlb_tags);
    CHECK(unknown.empty());
}

TEST_CASE("the command line stops at an embedded NUL", "[command-line]") {
    unknown.clear();
    const char text[] = "emulator-exit\0exit-on-ready";
    auto options = parse_command_line(text, sizeof(text) - 1, collect);
    CHECK(options.emulator_exit);
    CHECK_FALSE(options.exit_on_ready);
}

TEST_CASE("init= names the root program; the last one wins", "[command-line]") {
    auto options = parse("console=serial init=demo bench");
    REQUIRE(options.init != nullptr);
    CHECK(std::string(options.init, options.init_length) == "demo");
    CHECK(unknown == std::vector<std::string>{"bench"});

    options = parse("init=demo init=tests/root");
    CHECK(std::string(options.init, options.init_length) == "tests/root");

    options = parse("console=serial");
    CHECK(options.init == nullptr);
    CHECK(std::string(kDefaultInitProgram) == "sysinit");

    options = parse("init= initial");
    REQUIRE(options.init != nullptr);
    CHECK(options.init_length == 0);
    CHECK(unknown == std::vector<std::string>{"initial"});
}

TEST_CASE("init_name_problem accepts initramfs paths and names what is wrong", "[command-line]") {
    auto problem = [](const char* name) {
        const char* why = init_name_problem(name, std::strlen(name));
        return std::string(why ? why : "");
    };
    CHECK(problem("sysinit").empty());
    CHECK(problem("demo").empty());
    CHECK(problem("tests/root").empty());
    CHECK(problem("a-b_c.1").empty());
    CHECK(problem("") == "the name is empty");
    CHECK(problem(std::string(64, 'a').c_str()).empty());
    CHECK(problem(std::string(65, 'a').c_str()) == "the name is longer than 64 bytes");
    CHECK(problem("root!") == "only letters, digits and . _ - / may name a program");
    CHECK(problem("/sysinit") == "the name starts or ends with '/'");
    CHECK(problem("drivers/") == "the name starts or ends with '/'");
    CHECK(problem("a//b") == "the name has an empty component ('//')");
    CHECK(problem("../root") == "the name has a '.' or '..' component");
    CHECK(problem("a/./b") == "the name has a '.' or '..' component");
    CHECK(problem("a/..") == "the name has a '.' or '..' component");
    CHECK(problem("..a").empty()); // only whole components are special
}
