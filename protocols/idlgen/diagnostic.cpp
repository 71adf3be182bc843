#include "diagnostic.hpp"

namespace idlgen {

std::string Location::str() const { return file + ":" + std::to_string(line) + ":" + std::to_string(column); }

CompileError::CompileError(Location where, const std::string& message)
    : std::runtime_error(where.str() + ": error: " + message), where_(std::move(where)), message_(message) {}

void fail(const Location& where, const std::string& message) { throw CompileError(where, message); }

} // namespace idlgen
