// idlgen/parser.hpp — parses one .ipc file into a FileAst (grammar:
// docs/idl.md). Syntax only: names are resolved and checked by sema.
#pragma once

#include "ast.hpp"

#include <string>
#include <string_view>

namespace idlgen {

// Throws CompileError on the first syntax error.
FileAst parse(const std::string& file, std::string_view source);

} // namespace idlgen
