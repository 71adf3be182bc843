// idlgen/compile.hpp — the generator as a library: load, check, emit.
// Used by main.cpp, the host tests and the parser fuzz target.
#pragma once

#include "loader.hpp"

#include <map>
#include <string>
#include <vector>

namespace idlgen {

enum class Mode {
    Header,        // the protocol header (*.ipc.hpp)
    RoundTripTest, // a Catch2 round-trip test of every call (*.ipc.test.cpp)
};

struct Output {
    std::string text;
    std::vector<std::string> inputs; // every file read (relative paths), main file first
};

// Compiles `path` (relative to the provider's root). Throws CompileError.
Output compile(SourceProvider& provider, const std::string& path, Mode mode);

// .ipc files on disk under a root directory.
class FileSystemProvider : public SourceProvider {
public:
    explicit FileSystemProvider(std::string root) : root_(std::move(root)) {}
    std::optional<std::string> read(const std::string& path) override;
    std::vector<std::string> list(const std::string& directory) override;
    std::string display(const std::string& path) override;

private:
    std::string root_;
};

// .ipc files held in memory: path -> contents.
class MemoryProvider : public SourceProvider {
public:
    explicit MemoryProvider(std::map<std::string, std::string> files) : files_(std::move(files)) {}
    std::optional<std::string> read(const std::string& path) override;
    std::vector<std::string> list(const std::string& directory) override;
    std::string display(const std::string& path) override { return path; }

private:
    std::map<std::string, std::string> files_;
};

} // namespace idlgen
