#include "names.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace idlgen {

namespace {

constexpr std::string_view kCppKeywords[] = {
    "alignas",     "alignof",   "and",        "and_eq",    "asm",      "auto",         "bitand",
    "bitor",       "bool",      "break",      "case",      "catch",    "char",         "char8_t",
    "char16_t",    "char32_t",  "class",      "compl",     "concept",  "const",        "consteval",
    "constexpr",   "constinit", "const_cast", "continue",  "co_await", "co_return",    "co_yield",
    "decltype",    "default",   "delete",     "do",        "double",   "dynamic_cast", "else",
    "enum",        "explicit",  "export",     "extern",    "false",    "float",        "for",
    "friend",      "goto",      "if",         "inline",    "int",      "long",         "mutable",
    "namespace",   "new",       "noexcept",   "not",       "not_eq",   "nullptr",      "operator",
    "or",          "or_eq",     "private",    "protected", "public",   "register",     "reinterpret_cast",
    "requires",    "return",    "short",      "signed",    "sizeof",   "static",       "static_assert",
    "static_cast", "struct",    "switch",     "template",  "this",     "thread_local", "throw",
    "true",        "try",       "typedef",    "typeid",    "typename", "union",        "unsigned",
    "using",       "virtual",   "void",       "volatile",  "wchar_t",  "while",        "xor",
    "xor_eq",      "final",     "override",   "import",    "module",   "assert",
};

// Macros from <stdint.h>, <stddef.h> and Vesta's headers that would break a
// declaration spelled the same way.
constexpr std::string_view kMacros[] = {"NULL",  "TRY",   "offsetof", "SIZE_MAX", "EOF",
                                        "errno", "stdin", "stdout",   "stderr",   "CHAR_BIT"};
constexpr std::string_view kMacroPrefixes[] = {"INT",     "UINT",    "INTPTR", "UINTPTR", "INTMAX",
                                               "UINTMAX", "PTRDIFF", "WCHAR",  "WINT"};

constexpr std::string_view kIdlKeywords[] = {"namespace", "use", "enum", "error", "interface", "call", "void"};

constexpr std::string_view kCapabilityKinds[] = {
    "cap",      "memory",       "page",  "device_memory", "cspace",      "vspace",         "task",
    "endpoint", "notification", "reply", "irq_control",   "irq_handler", "ioport_control", "ioport"};

struct ScalarName {
    std::string_view name;
    Scalar scalar;
};
constexpr ScalarName kScalars[] = {
    {"u8", Scalar::U8},     {"u16", Scalar::U16},   {"u32", Scalar::U32},         {"u64", Scalar::U64},
    {"i8", Scalar::I8},     {"i16", Scalar::I16},   {"i32", Scalar::I32},         {"i64", Scalar::I64},
    {"bool", Scalar::Bool}, {"size", Scalar::Size}, {"uintptr", Scalar::UintPtr},
};

template <size_t N>
bool contains(const std::string_view (&list)[N], std::string_view name) {
    return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

bool is_standard_macro(std::string_view name) {
    if (contains(kMacros, name)) return true;
    for (std::string_view prefix : kMacroPrefixes) {
        if (name.substr(0, prefix.size()) != prefix) continue;
        std::string_view rest = name.substr(prefix.size());
        if (rest.ends_with("_MAX") || rest.ends_with("_MIN") || rest.ends_with("_C")) return true;
    }
    return false;
}

} // namespace

std::optional<std::string> reserved_reason(const std::string& name) {
    if (contains(kCppKeywords, name)) return "'" + name + "' is a C++ keyword";
    if (is_standard_macro(name)) return "'" + name + "' is a standard C/C++ macro";
    if (name.find("__") != std::string::npos) return "'" + name + "' contains '__'";
    if (name.back() == '_') return "'" + name + "' ends with '_'";
    if (name.rfind("Idl", 0) == 0) {
        return "'" + name + "' uses the prefix 'Idl' reserved for generated code";
    }
    if (name.rfind("idl_", 0) == 0) return "'" + name + "' uses the prefix 'idl_' reserved for generated code";
    return std::nullopt;
}

std::optional<Scalar> builtin_scalar(const std::string& name) {
    for (const ScalarName& entry : kScalars) {
        if (entry.name == name) return entry.scalar;
    }
    return std::nullopt;
}

bool is_capability_kind(const std::string& name) { return contains(kCapabilityKinds, name); }

bool is_idl_keyword(const std::string& name) { return contains(kIdlKeywords, name); }

const char* scalar_name(Scalar scalar) {
    for (const ScalarName& entry : kScalars) {
        if (entry.scalar == scalar) return entry.name.data();
    }
    return "?";
}

const char* scalar_cpp_type(Scalar scalar) {
    switch (scalar) {
    case Scalar::U8: return "::uint8_t";
    case Scalar::U16: return "::uint16_t";
    case Scalar::U32: return "::uint32_t";
    case Scalar::U64: return "::uint64_t";
    case Scalar::I8: return "::int8_t";
    case Scalar::I16: return "::int16_t";
    case Scalar::I32: return "::int32_t";
    case Scalar::I64: return "::int64_t";
    case Scalar::Bool: return "bool";
    case Scalar::Size: return "::size_t";
    case Scalar::UintPtr: return "::uintptr_t";
    }
    return "?";
}

} // namespace idlgen
