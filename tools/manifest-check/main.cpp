// tools/manifest-check/main.cpp — the command the initramfs step runs
// (scripts/make-initramfs, userland/meson.build):
//
//   manifest-check --arch x86_64|aarch64 [--driver NAME]... [--provides IFACE]... IMAGE...
//
// Reads every IMAGE (named by its base name, as the initramfs stores it),
// runs check() and prints each error on standard error. Exit status: 0 when
// all is well, 1 on any error, 2 on a usage error. Quiet on success unless
// --verbose.
#include "check.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

namespace {

int usage(const char* problem) {
    if (problem != nullptr) std::fprintf(stderr, "manifest-check: %s\n", problem);
    std::fprintf(stderr, "usage: manifest-check --arch x86_64|aarch64 [--driver NAME]... [--provides IFACE]... "
                         "[--verbose] IMAGE...\n");
    return 2;
}

std::string base_name(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

int main(int argc, char** argv) {
    manifest_check::Options options;
    std::vector<std::string> paths;
    bool verbose = false;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        const bool takes_value = argument == "--arch" || argument == "--driver" || argument == "--provides";
        if (takes_value && i + 1 == argc) return usage((argument + " needs a value").c_str());
        if (argument == "--arch") {
            options.arch = argv[++i];
        } else if (argument == "--driver") {
            options.drivers.push_back(argv[++i]);
        } else if (argument == "--provides") {
            options.provided.push_back(argv[++i]);
        } else if (argument == "--verbose") {
            verbose = true;
        } else if (argument == "--help" || argument == "-h") {
            usage(nullptr);
            return 0;
        } else if (!argument.empty() && argument[0] == '-') {
            return usage(("unknown option " + argument).c_str());
        } else {
            paths.push_back(argument);
        }
    }
    if (options.arch.empty()) return usage("--arch is required");

    std::vector<manifest_check::Image> images;
    bool unreadable = false;
    for (const std::string& path : paths) {
        std::ifstream file(path, std::ios::binary);
        if (!file) {
            std::fprintf(stderr, "%s: error: cannot read the file\n", path.c_str());
            unreadable = true;
            continue;
        }
        images.push_back({base_name(path), std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {})});
    }
    const manifest_check::Report report = manifest_check::check(images, options);
    for (const std::string& error : report.errors) std::fprintf(stderr, "%s\n", error.c_str());
    if (verbose || !report.errors.empty())
        std::fprintf(stderr, "manifest-check: %zu driver%s, %zu other program%s, %zu error%s\n", report.drivers,
                     report.drivers == 1 ? "" : "s", report.programs, report.programs == 1 ? "" : "s",
                     report.errors.size(), report.errors.size() == 1 ? "" : "s");
    return report.errors.empty() && !unreadable ? 0 : 1;
}
