// idlgen/ast.hpp — the syntax tree of one .ipc file, as parsed.
//
// Names are unresolved here; sema.hpp resolves them against the file and the
// namespaces it uses.
#pragma once

#include "diagnostic.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace idlgen {

// `a`, `io::file`: one or more identifiers joined by '::'.
struct QualifiedName {
    std::vector<std::string> parts;
    Location where;

    std::string str() const;
};

struct Enumerator {
    std::string name;
    Location where;
    std::vector<std::string> doc;
    bool has_value = false; // `= value` given
    bool negative = false;  // `= -magnitude`
    uint64_t magnitude = 0;
};

struct EnumDecl {
    std::string name;
    Location where;
    std::vector<std::string> doc;
    std::optional<QualifiedName> underlying; // default u32
    std::vector<Enumerator> enumerators;
};

struct ErrorDecl {
    std::string name;
    Location where;
    std::vector<std::string> doc;
};

// `name: type` or `name: type...` inside a call's braces.
struct CapParam {
    std::string name;
    Location where;
    QualifiedName type;
    bool variadic = false;
};

// `name: type` inside a call's parentheses.
struct Param {
    std::string name;
    Location where;
    QualifiedName type;
};

struct CallDecl {
    std::string name;
    Location where;
    std::vector<std::string> doc;
    std::vector<CapParam> caps_in;
    std::vector<CapParam> caps_out;
    std::vector<Param> params;
    std::optional<QualifiedName> result; // nullopt: void
    Location result_where;
    std::vector<QualifiedName> errors;
};

struct InterfaceDecl {
    std::string name;
    Location where;
    std::vector<std::string> doc;
    std::optional<QualifiedName> base;
    std::vector<CallDecl> calls;
};

struct FileAst {
    std::string path; // as shown in diagnostics
    QualifiedName ns;
    std::vector<QualifiedName> uses;
    std::vector<EnumDecl> enums;
    std::vector<ErrorDecl> errors;
    std::vector<InterfaceDecl> interfaces;
};

} // namespace idlgen
