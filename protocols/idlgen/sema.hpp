// idlgen/sema.hpp — semantic checks over a loaded Program.
//
// Resolves every name, computes interface ids, error codes and call labels,
// and rejects (first error wins, in file order): reserved identifiers,
// duplicate names, unknown or wrongly-kinded names, enum values out of range
// or repeated, inheritance cycles, colliding interface ids or error codes,
// and calls that do not fit the message format.
#pragma once

#include "model.hpp"

namespace idlgen {

// Fills the resolved parts of every FileInfo. Throws CompileError.
void analyze(Program& program);

// The message-format limits calls are checked against (vesta/message.hpp).
inline constexpr size_t kMessageWords = 32;
inline constexpr size_t kMessageCaps = 4;
inline constexpr size_t kMaxCallsPerInterface = 0xffff;

} // namespace idlgen
