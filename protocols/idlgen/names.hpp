// idlgen/names.hpp — which identifiers the IDL reserves, so that every name
// an .ipc file declares can be used verbatim in the generated C++.
#pragma once

#include "model.hpp"

#include <optional>
#include <string>

namespace idlgen {

// Why `name` cannot be used as an identifier in generated C++ (a C++
// keyword, a standard macro, a name with "__", a trailing "_", or the prefix "idl_" or "Idl"), or
// nullopt when it can.
std::optional<std::string> reserved_reason(const std::string& name);

// The builtin scalar a one-part type name denotes ("u8", "size", …).
std::optional<Scalar> builtin_scalar(const std::string& name);

// Whether `name` is a builtin capability kind ("page", "endpoint", "cap", …).
bool is_capability_kind(const std::string& name);

// Whether `name` is an IDL keyword ("interface", "void", …).
bool is_idl_keyword(const std::string& name);

} // namespace idlgen
