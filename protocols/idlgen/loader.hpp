// idlgen/loader.hpp — finds and parses the files a compilation needs.
//
// Layout rule: the files of namespace `a::b` are the *.ipc files in directory
// `a/b/` under the protocol root, and each declares `namespace a::b;`.
// `use a::b;` loads all of them (and, transitively, what they use).
#pragma once

#include "model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace idlgen {

// Where .ipc files come from: the file system (the command-line tool) or
// memory (tests, the fuzzer). Paths are relative to the protocol root and use '/'.
class SourceProvider {
public:
    virtual ~SourceProvider() = default;
    // The file's contents, or nullopt when it does not exist.
    virtual std::optional<std::string> read(const std::string& path) = 0;
    // Names (paths) of the *.ipc files directly in `directory`, sorted.
    virtual std::vector<std::string> list(const std::string& directory) = 0;
    // How a path appears in diagnostics.
    virtual std::string display(const std::string& path) = 0;
};

// Parses `path` and every file it uses into program.files (the main file
// first, the others sorted by path). Throws CompileError.
void load(SourceProvider& provider, const std::string& path, Program& program);

} // namespace idlgen
