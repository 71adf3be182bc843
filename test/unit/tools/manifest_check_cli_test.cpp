// Tests of the manifest-check command itself (the executable the initramfs
// step runs): exit status, messages on standard error, usage errors.
#include <catch2/catch_test_macros.hpp>
#include <cstdio>
#include <elf_image_builder.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

namespace {

struct Run {
    int status;
    std::string output; // standard error
};

class TempDir {
public:
    TempDir() {
        char pattern[] = "/tmp/manifest-check-XXXXXX";
        path_ = mkdtemp(pattern);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    std::string write(const std::string& name, const std::vector<uint8_t>& bytes) const {
        const std::string file = path_ + "/" + name;
        std::ofstream(file, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        return file;
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

Run run(const std::string& arguments) {
    const std::string command = std::string(VESTA_MANIFEST_CHECK) + " " + arguments + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string output;
    char buffer[256];
    while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
    const int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

} // namespace

TEST_CASE("manifest-check passes good images quietly and fails bad ones", "[manifest-check]") {
    TempDir dir;
    const std::string good = dir.write("serial", vesta::test::driver_image("[driver]\nname = serial\n"));
    const std::string plain = dir.write("hello", vesta::test::ElfImageBuilder().build().bytes);
    const Run ok = run("--arch x86_64 --driver serial " + good + " " + plain);
    CHECK(ok.status == 0);
    CHECK(ok.output.empty());
    CHECK(run("--arch x86_64 --verbose " + good + " " + plain).output ==
          "manifest-check: 1 driver, 1 other program, 0 errors\n");

    const std::string bad =
        dir.write("broken", vesta::test::driver_image("[driver]\nname = broken\n[capabilities]\n0:memory = pages=1\n"));
    const Run failed = run("--arch x86_64 " + good + " " + bad);
    CHECK(failed.status == 1);
    CHECK(failed.output == "broken:.manifest:4:12: error: pages=1 is out of range (2 to 262144)\n"
                           "manifest-check: 1 driver, 0 other programs, 1 error\n");

    const Run missing = run("--arch x86_64 --driver hello " + plain);
    CHECK(missing.status == 1);
    CHECK(missing.output.rfind("hello: error: no .manifest section", 0) == 0);

    const Run unreadable = run("--arch x86_64 " + dir.path() + "/nonexistent");
    CHECK(unreadable.status == 1);
    CHECK(unreadable.output.find("nonexistent: error: cannot read the file") != std::string::npos);
}

TEST_CASE("manifest-check usage errors", "[manifest-check]") {
    CHECK(run("").status == 2);
    CHECK(run("").output.rfind("manifest-check: --arch is required\nusage: manifest-check", 0) == 0);
    CHECK(run("--arch").output.rfind("manifest-check: --arch needs a value", 0) == 0);
    CHECK(run("--arch x86_64 --bogus").output.rfind("manifest-check: unknown option --bogus", 0) == 0);
    CHECK(run("--help").status == 0);
}
