#include "compile.hpp"

#include "emitter.hpp"
#include "sema.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace idlgen {

Output compile(SourceProvider& provider, const std::string& path, Mode mode) {
    Program program;
    load(provider, path, program);
    analyze(program);
    Output output;
    output.text = mode == Mode::Header ? emit_header(program) : emit_roundtrip_test(program);
    for (const FileInfo& file : program.files) output.inputs.push_back(file.relative_path);
    return output;
}

std::optional<std::string> FileSystemProvider::read(const std::string& path) {
    std::ifstream stream(root_ + "/" + path, std::ios::binary);
    if (!stream) return std::nullopt;
    std::ostringstream text;
    text << stream.rdbuf();
    if (stream.bad()) return std::nullopt;
    return text.str();
}

std::vector<std::string> FileSystemProvider::list(const std::string& directory) {
    std::vector<std::string> paths;
    std::error_code error;
    std::filesystem::directory_iterator it(root_ + "/" + directory, error);
    if (error) return paths;
    for (const auto& entry : it) {
        std::string name = entry.path().filename().string();
        if (name.size() > 4 && name.ends_with(".ipc") && entry.is_regular_file(error)) {
            paths.push_back(directory + "/" + name);
        }
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

std::string FileSystemProvider::display(const std::string& path) { return root_ == "." ? path : root_ + "/" + path; }

std::optional<std::string> MemoryProvider::read(const std::string& path) {
    auto it = files_.find(path);
    if (it == files_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> MemoryProvider::list(const std::string& directory) {
    std::vector<std::string> paths;
    std::string prefix = directory + "/";
    for (const auto& [path, text] : files_) {
        if (path.rfind(prefix, 0) == 0 && path.find('/', prefix.size()) == std::string::npos &&
            path.ends_with(".ipc")) {
            paths.push_back(path);
        }
    }
    return paths; // std::map keeps them sorted
}

} // namespace idlgen
