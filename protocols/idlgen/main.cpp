// idlgen — the Vesta protocol generator (docs/idl.md).
//
//   idlgen [--root DIR] [--mode header|test] [--output FILE] [--depfile FILE] INPUT.ipc
//
// INPUT must lie under DIR (default: the current directory); `use ns;` finds
// namespace ns in DIR/ns/. Writes the generated C++ to FILE (default: stdout)
// and, with --depfile, a Make-style list of every .ipc file read. On error,
// prints `file:line:column: error: message` and exits with status 1.
#include "compile.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace {

int usage() {
    std::cerr << "usage: idlgen [--root DIR] [--mode header|test] [--output FILE] [--depfile FILE] "
                 "INPUT.ipc\n";
    return 2;
}

std::string escape_make(const std::string& path) {
    std::string escaped;
    for (char c : path) {
        if (c == ' ' || c == '#' || c == '\\') escaped += '\\';
        if (c == '$') escaped += '$';
        escaped += c;
    }
    return escaped;
}

bool write_file(const std::string& path, const std::string& text) {
    std::ofstream stream(path, std::ios::binary | std::ios::trunc);
    stream << text;
    stream.close();
    return static_cast<bool>(stream);
}

} // namespace

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::string root = ".", output, depfile, input;
    idlgen::Mode mode = idlgen::Mode::Header;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        bool has_value = i + 1 < argc;
        if (arg == "--root" && has_value) {
            root = argv[++i];
        } else if (arg == "--output" && has_value) {
            output = argv[++i];
        } else if (arg == "--depfile" && has_value) {
            depfile = argv[++i];
        } else if (arg == "--mode" && has_value) {
            std::string value = argv[++i];
            if (value == "header") {
                mode = idlgen::Mode::Header;
            } else if (value == "test") {
                mode = idlgen::Mode::RoundTripTest;
            } else {
                return usage();
            }
        } else if (!arg.empty() && arg[0] != '-' && input.empty()) {
            input = arg;
        } else {
            return usage();
        }
    }
    if (input.empty()) return usage();
    while (root.size() > 1 && root.back() == '/') root.pop_back();

    std::error_code error;
    fs::path relative = fs::weakly_canonical(input, error).lexically_relative(fs::weakly_canonical(root, error));
    std::string path = relative.generic_string();
    if (error || path.empty() || path.rfind("..", 0) == 0) {
        std::cerr << input << ":1:1: error: input is not under the protocol root '" << root << "'\n";
        return 1;
    }

    idlgen::FileSystemProvider provider(root);
    idlgen::Output result;
    try {
        result = idlgen::compile(provider, path, mode);
    } catch (const idlgen::CompileError& failure) {
        std::cerr << failure.what() << "\n";
        return 1;
    }
    if (output.empty()) {
        std::cout << result.text;
    } else if (!write_file(output, result.text)) {
        std::cerr << "idlgen: cannot write '" << output << "'\n";
        return 1;
    }
    if (!depfile.empty()) {
        std::string text = escape_make(output.empty() ? "-" : output) + ":";
        for (const std::string& file : result.inputs) {
            text += " " + escape_make(fs::absolute(fs::path(root) / file).lexically_normal().string());
        }
        if (!write_file(depfile, text + "\n")) {
            std::cerr << "idlgen: cannot write '" << depfile << "'\n";
            return 1;
        }
    }
    return 0;
}
