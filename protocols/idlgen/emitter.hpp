// idlgen/emitter.hpp — C++ generation from a checked Program.
//
// Output depends only on the Program (no time stamps, no absolute paths), so
// it is reproducible byte for byte.
#pragma once

#include "model.hpp"

#include <string>

namespace idlgen {

// The header for program.main(): enums, error constants, and per interface
// ids, labels, client stubs, a Client class, the Server concept and dispatch().
// Freestanding: includes only <stdint.h>, <stddef.h> and Vesta headers.
std::string emit_header(const Program& program);

// A Catch2 test that round-trips every call of every interface of
// program.main() through an InMemoryTransport (docs/idl.md, "Testing").
std::string emit_roundtrip_test(const Program& program);

// Shared helpers for the two emitters.
std::string cpp_namespace(const std::string& idl_namespace); // "io" -> "::vesta::proto::io"
std::string cpp_type(const Type& type);
std::string cpp_result_type(const CallInfo& call); // "::vesta::ipc::Result<...>"
bool has_reply_struct(const CallInfo& call);

} // namespace idlgen
