#include "loader.hpp"

#include "parser.hpp"

#include <algorithm>
#include <set>

namespace idlgen {

namespace {

std::string namespace_directory(const std::string& ns) {
    std::string directory = ns;
    for (size_t at = directory.find("::"); at != std::string::npos; at = directory.find("::", at)) {
        directory.replace(at, 2, "/");
    }
    return directory;
}

std::string directory_of(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

FileInfo& parse_file(SourceProvider& provider, const std::string& path, Program& program, const Location* used_at) {
    std::optional<std::string> text = provider.read(path);
    if (!text) {
        Location where = used_at ? *used_at : Location{provider.display(path), 1, 1};
        fail(where, "cannot read '" + provider.display(path) + "'");
    }
    FileInfo& file = program.files.emplace_back();
    file.relative_path = path;
    file.ast = parse(provider.display(path), *text);
    file.ns = file.ast.ns.str();
    for (const QualifiedName& use : file.ast.uses) file.uses.push_back(use.str());
    std::string expected = namespace_directory(file.ns);
    if (directory_of(path) != expected) {
        std::string directory = directory_of(path);
        fail(file.ast.ns.where, "namespace '" + file.ns + "' does not match the file's directory '" +
                                    (directory.empty() ? std::string(".") : directory) + "' (files of namespace '" +
                                    file.ns + "' live in '" + expected + "/')");
    }
    return file;
}

} // namespace

void load(SourceProvider& provider, const std::string& path, Program& program) {
    std::set<std::string> loaded{path};
    std::set<std::string> namespaces_done;
    parse_file(provider, path, program, nullptr);
    // Breadth-first over `use`; program.files grows while we walk it.
    for (size_t i = 0; i < program.files.size(); ++i) {
        // Copy: emplace_back into the deque keeps references valid, but be explicit.
        std::vector<QualifiedName> uses = program.files[i].ast.uses;
        for (const QualifiedName& use : uses) {
            std::string ns = use.str();
            if (!namespaces_done.insert(ns).second) continue;
            std::string directory = namespace_directory(ns);
            std::vector<std::string> paths = provider.list(directory);
            if (paths.empty()) {
                fail(use.where,
                     "unknown namespace '" + ns + "': no .ipc files in '" + provider.display(directory) + "'");
            }
            for (const std::string& file : paths) {
                if (loaded.insert(file).second) parse_file(provider, file, program, &use.where);
            }
        }
    }
    // Keep the main file first and the rest in a deterministic order.
    std::sort(program.files.begin() + 1, program.files.end(),
              [](const FileInfo& a, const FileInfo& b) { return a.relative_path < b.relative_path; });
}

} // namespace idlgen
