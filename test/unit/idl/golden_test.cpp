// Golden-output tests: the generator's output for small inputs under
// golden/<case>/ must equal the checked-in NAME.ipc.hpp.golden (and, for the
// round-trip test emitter, NAME.ipc.test.cpp.golden) byte for byte.
// Set IDL_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change.
#include <catch2/catch_test_macros.hpp>
#include <compile.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace {

std::string read_file(const std::string& path) {
    std::ifstream stream(path, std::ios::binary);
    std::ostringstream text;
    text << stream.rdbuf();
    return text.str();
}

void check_golden(const std::string& root_case, const std::string& path, idlgen::Mode mode) {
    std::string root = std::string(IDL_TEST_DIR) + "/golden/" + root_case;
    idlgen::FileSystemProvider provider(root);
    std::string output = idlgen::compile(provider, path, mode).text;
    std::string golden = root + "/" + path + (mode == idlgen::Mode::Header ? ".hpp" : ".test.cpp") + ".golden";
    if (std::getenv("IDL_UPDATE_GOLDEN")) {
        std::ofstream(golden, std::ios::binary) << output;
    }
    INFO("golden file: " << golden);
    CHECK(output == read_file(golden));
    // Reproducible: a second run gives the same bytes.
    CHECK(idlgen::compile(provider, path, mode).text == output);
}

} // namespace

TEST_CASE("golden: every language feature", "[idl][golden]") {
    check_golden("basic", "t/basic.ipc", idlgen::Mode::Header);
    check_golden("basic", "t/basic.ipc", idlgen::Mode::RoundTripTest);
}

TEST_CASE("golden: inheritance across files and namespaces", "[idl][golden]") {
    check_golden("inherit", "a/base.ipc", idlgen::Mode::Header);
    check_golden("inherit", "b/derived.ipc", idlgen::Mode::Header);
}

TEST_CASE("the generator reports every file it read", "[idl][golden]") {
    idlgen::FileSystemProvider provider(std::string(IDL_TEST_DIR) + "/golden/inherit");
    auto output = idlgen::compile(provider, "b/derived.ipc", idlgen::Mode::Header);
    CHECK(output.inputs == std::vector<std::string>{"b/derived.ipc", "a/base.ipc"});
}
