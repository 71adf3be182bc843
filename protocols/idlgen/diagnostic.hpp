// idlgen/diagnostic.hpp — source locations and the one error type.
//
// Every error the generator reports names a file, a line and a column:
//   file:line:column: error: message
// Compilation stops at the first error (no recovery); CompileError carries it.
#pragma once

#include <stdexcept>
#include <string>

namespace idlgen {

struct Location {
    std::string file; // path as shown to the user
    int line = 1;     // 1-based
    int column = 1;   // 1-based, in bytes

    std::string str() const;
};

class CompileError : public std::runtime_error {
public:
    CompileError(Location where, const std::string& message);
    const Location& where() const { return where_; }
    const std::string& message() const { return message_; }

private:
    Location where_;
    std::string message_;
};

[[noreturn]] void fail(const Location& where, const std::string& message);

} // namespace idlgen
