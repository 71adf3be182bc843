// Tests of userland/sysinit/bootfs_tree: the path rules of the bootstrap
// filesystem and the tree it builds from an initramfs archive (implied and
// explicit directories, lookup errors, listing order, refused archives).
#include <bootfs_tree.hpp>
#include <catch2/catch_test_macros.hpp>
#include <memory>
#include <string>
#include <tar_builder.hpp>
#include <vector>

using namespace sysinit::bootfs;

namespace {

using vesta::test::put_tar_entry;

// The shape scripts/make-initramfs produces (GNU tar over a staging
// directory), with a nested directory only implied by a file's name.
std::vector<uint8_t> initramfs() {
    std::vector<uint8_t> out;
    put_tar_entry(out, "./", "", '5');
    put_tar_entry(out, "./README", "hello\n");
    put_tar_entry(out, "./drivers/", "", '5');
    put_tar_entry(out, "./drivers/pcserial", std::string(1500, 'p'));
    put_tar_entry(out, "./drivers/pl011", "pl");
    put_tar_entry(out, "./sysinit", "s");
    put_tar_entry(out, "./tests/deep/file", "deep");
    put_tar_entry(out, "./link", "", '2'); // a symbolic link: not served
    put_tar_entry(out, "./empty/", "", '5');
    return out;
}

Path path(const std::string& text) {
    auto parsed = parse_path(text.data(), text.size());
    REQUIRE(parsed.ok());
    return parsed.value();
}

PathError path_error(const std::string& text) {
    auto parsed = parse_path(text.data(), text.size());
    return parsed.ok() ? PathError::None : parsed.error();
}

std::string name_of(const Tree& tree, uint16_t index) {
    size_t length = 0;
    const char* leaf = tree.leaf_of(index, &length);
    return std::string(leaf, length);
}

std::vector<std::string> list(const Tree& tree, const std::string& directory) {
    auto found = tree.lookup(path(directory));
    REQUIRE(found.ok());
    std::vector<std::string> names;
    uint16_t child = 0;
    for (uint64_t i = 0; tree.child(found.value(), i, &child); ++i) names.push_back(name_of(tree, child));
    return names;
}

std::string problem_text(const BuildProblem& problem) {
    char text[512];
    format_problem(problem, text, sizeof(text));
    return text;
}

} // namespace

TEST_CASE("paths: leading and trailing slashes, the root", "[bootfs]") {
    CHECK(std::string(path("/drivers/pl011").text) == "drivers/pl011");
    CHECK(std::string(path("drivers/pl011").text) == "drivers/pl011");
    CHECK_FALSE(path("drivers/pl011").wants_directory);
    CHECK(path("drivers/").wants_directory);
    CHECK(std::string(path("drivers/").text) == "drivers");
    CHECK(path("/").length == 0);
    CHECK(path("/").wants_directory);
    CHECK(std::string(path("caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x98\x80").text) ==
          "caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x98\x80");
    CHECK(path("..a/b..").length == 7); // only whole components are special
}

TEST_CASE("paths: every refusal has its own error", "[bootfs]") {
    CHECK(path_error("") == PathError::Empty);
    CHECK(path_error(std::string(255, 'a')) == PathError::None);
    CHECK(path_error(std::string(256, 'a')) == PathError::TooLong);
    CHECK(path_error(std::string("a\0b", 3)) == PathError::NulByte);
    CHECK(path_error("a//b") == PathError::EmptyComponent);
    CHECK(path_error("//") == PathError::EmptyComponent);
    CHECK(path_error("a/b//") == PathError::EmptyComponent);
    CHECK(path_error("..") == PathError::DotComponent);
    CHECK(path_error("/a/../b") == PathError::DotComponent);
    CHECK(path_error("./a") == PathError::DotComponent);
    CHECK(path_error("a/.") == PathError::DotComponent);
    CHECK(path_error("a/./") == PathError::DotComponent);
    // UTF-8: a stray continuation, overlong forms, a surrogate, beyond
    // U+10FFFF, a cut sequence, bytes never valid.
    CHECK(path_error("\x80") == PathError::BadUtf8);
    CHECK(path_error("\xc0\xaf") == PathError::BadUtf8);
    CHECK(path_error("\xe0\x80\xaf") == PathError::BadUtf8);
    CHECK(path_error("\xed\xa0\x80") == PathError::BadUtf8);
    CHECK(path_error("\xf4\x90\x80\x80") == PathError::BadUtf8);
    CHECK(path_error("\xe2\x82") == PathError::BadUtf8);
    CHECK(path_error("\xff") == PathError::BadUtf8);
    CHECK(std::string(message(PathError::DotComponent)) == "the path has a '.' or '..' component");
}

TEST_CASE("the tree: files, explicit and implied directories", "[bootfs]") {
    const auto archive = initramfs();
    auto tree = std::make_unique<Tree>();
    BuildProblem problem;
    REQUIRE(tree->build(archive.data(), archive.size(), &problem).ok());
    CHECK(problem.error == BuildError::None);

    CHECK(list(*tree, "/") == std::vector<std::string>{"README", "drivers", "sysinit", "tests", "empty"});
    CHECK(list(*tree, "drivers") == std::vector<std::string>{"pcserial", "pl011"});
    CHECK(list(*tree, "/tests/") == std::vector<std::string>{"deep"});
    CHECK(list(*tree, "tests/deep") == std::vector<std::string>{"file"});
    CHECK(list(*tree, "empty").empty());

    auto file = tree->lookup(path("/drivers/pcserial"));
    REQUIRE(file.ok());
    const Node& node = tree->node(file.value());
    CHECK(node.kind == Kind::Regular);
    CHECK(node.size == 1500);
    CHECK(std::string(reinterpret_cast<const char*>(node.data), 4) == "pppp");
    CHECK(std::string(tree->path_of(file.value())) == "drivers/pcserial");
    CHECK(tree->node(tree->lookup(path("tests/deep")).value()).kind == Kind::Directory);
    CHECK(tree->lookup(path("/")).value() == Tree::kRoot);

    // A file has no children; the position runs out.
    uint16_t child = 0;
    CHECK_FALSE(tree->child(file.value(), 0, &child));
    CHECK_FALSE(tree->child(Tree::kRoot, 5, &child));
}

TEST_CASE("the tree: lookup errors", "[bootfs]") {
    const auto archive = initramfs();
    auto tree = std::make_unique<Tree>();
    REQUIRE(tree->build(archive.data(), archive.size(), nullptr).ok());
    CHECK(tree->lookup(path("nothing")).error() == LookupError::NotFound);
    CHECK(tree->lookup(path("drivers/nothing")).error() == LookupError::NotFound);
    CHECK(tree->lookup(path("nothing/pl011")).error() == LookupError::NotFound);
    CHECK(tree->lookup(path("link")).error() == LookupError::NotFound);
    CHECK(tree->lookup(path("sysinit/x")).error() == LookupError::NotDirectory);
    CHECK(tree->lookup(path("sysinit/")).error() == LookupError::NotDirectory);
    CHECK(tree->lookup(path("drivers/pl011/x/y")).error() == LookupError::NotDirectory);
    CHECK(tree->lookup(path("driver")).error() == LookupError::NotFound); // a prefix of a name is not a name
    CHECK(tree->lookup(path("drivers/pl0")).error() == LookupError::NotFound);
}

TEST_CASE("the tree: refused archives name the entry", "[bootfs]") {
    auto tree = std::make_unique<Tree>();
    BuildProblem problem;

    std::vector<uint8_t> both;
    put_tar_entry(both, "a", "1");
    put_tar_entry(both, "a/b", "2");
    CHECK(tree->build(both.data(), both.size(), &problem).error() == BuildError::FileAndDirectory);
    CHECK(problem_text(problem) == "entry 1 'a/b': the name is both a file and a directory");
    CHECK(tree->node_count() == 1); // only the root is left

    std::vector<uint8_t> reverse;
    put_tar_entry(reverse, "a/b", "2");
    put_tar_entry(reverse, "a", "1");
    CHECK(tree->build(reverse.data(), reverse.size(), &problem).error() == BuildError::FileAndDirectory);

    std::vector<uint8_t> twice;
    put_tar_entry(twice, "x", "1");
    put_tar_entry(twice, "./x", "2");
    CHECK(tree->build(twice.data(), twice.size(), &problem).error() == BuildError::DuplicateFile);
    CHECK(problem_text(problem) == "entry 1 'x': a second file of this name");

    std::vector<uint8_t> dotted;
    put_tar_entry(dotted, "ok", "1");
    put_tar_entry(dotted, "a/../b", "2");
    CHECK(tree->build(dotted.data(), dotted.size(), &problem).error() == BuildError::BadName);
    CHECK(problem_text(problem) == "entry 1 'a/../b': the path has a '.' or '..' component");

    std::vector<uint8_t> root_file;
    put_tar_entry(root_file, "./", "x");
    CHECK(tree->build(root_file.data(), root_file.size(), &problem).error() == BuildError::RootIsFile);

    std::vector<uint8_t> corrupt = initramfs();
    corrupt[512 * 3 + 3] ^= 1; // a header's name: its checksum no longer matches
    CHECK(tree->build(corrupt.data(), corrupt.size(), &problem).error() == BuildError::Archive);
    CHECK(problem_text(problem) == "archive: header checksum mismatch");

    std::vector<uint8_t> many;
    for (size_t i = 0; i < kMaxNodes; ++i) put_tar_entry(many, "f" + std::to_string(i), "");
    CHECK(tree->build(many.data(), many.size(), &problem).error() == BuildError::TooManyNodes);
    CHECK(problem.entry_index == kMaxNodes - 1); // the root takes a node

    // Duplicate directory entries merge; an explicit entry after an implied one too.
    std::vector<uint8_t> merged;
    put_tar_entry(merged, "d/f", "1");
    put_tar_entry(merged, "d/", "", '5');
    put_tar_entry(merged, "d", "", '5');
    REQUIRE(tree->build(merged.data(), merged.size(), &problem).ok());
    CHECK(tree->node_count() == 3);
}
