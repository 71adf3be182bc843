// idlgen/model.hpp — the checked program: every loaded file with its names
// resolved, ids and labels computed. Produced by sema, read by the emitters.
//
// Invariant: every pointer refers into the owning Program, which is neither
// copied nor moved after analysis.
#pragma once

#include "ast.hpp"

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace idlgen {

enum class Scalar { U8, U16, U32, U64, I8, I16, I32, I64, Bool, Size, UintPtr };

struct EnumInfo;
struct ErrorInfo;
struct InterfaceInfo;
struct FileInfo;

// A parameter or result type: a scalar, or an enum (scalar = its underlying type).
struct Type {
    Scalar scalar = Scalar::U64;
    const EnumInfo* enumeration = nullptr;
};

struct EnumeratorInfo {
    const Enumerator* decl;
    bool negative; // value = negative ? -magnitude : magnitude
    uint64_t magnitude;
};

struct EnumInfo {
    const EnumDecl* decl;
    const FileInfo* file;
    std::string qualified; // "io::whence"
    Scalar underlying;
    std::vector<EnumeratorInfo> enumerators;
};

struct ErrorInfo {
    const ErrorDecl* decl;
    const FileInfo* file;
    std::string qualified;
    uint32_t code; // fnv1a32(qualified)
};

// A capability in a call: a kernel-object kind ("page", "cap" for any) or an
// endpoint speaking an interface.
struct CapInfo {
    const CapParam* decl;
    std::string kind;                         // builtin kind, or empty
    const InterfaceInfo* interface = nullptr; // set when not builtin
};

struct ParamInfo {
    const Param* decl;
    Type type;
};

struct CallInfo {
    const CallDecl* decl;
    const InterfaceInfo* interface;
    uint32_t index; // 1-based within its interface
    uint64_t label; // interface id << 16 | index
    std::vector<CapInfo> caps_in;
    std::vector<CapInfo> caps_out;
    std::vector<ParamInfo> params;
    bool has_result = false;
    Type result;
    std::vector<const ErrorInfo*> errors;

    size_t fixed_caps_in() const;
    size_t fixed_caps_out() const;
    bool variadic_in() const { return !caps_in.empty() && caps_in.back().decl->variadic; }
    bool variadic_out() const { return !caps_out.empty() && caps_out.back().decl->variadic; }
};

struct InterfaceInfo {
    const InterfaceDecl* decl;
    const FileInfo* file;
    std::string qualified;
    uint32_t id;
    const InterfaceInfo* base = nullptr;
    std::vector<CallInfo> calls; // own calls, in declaration order

    // Every call a server of this interface answers: inherited ones first
    // (root of the chain first), then its own.
    std::vector<const CallInfo*> all_calls() const;
};

struct FileInfo {
    FileAst ast;
    std::string relative_path; // "io/file.ipc", relative to the protocol root
    std::string ns;            // "io"
    std::vector<std::string> uses;
    std::deque<EnumInfo> enums;
    std::deque<ErrorInfo> errors;
    std::deque<InterfaceInfo> interfaces;

    // The generated header's include name: "io/file.ipc.hpp".
    std::string header_name() const { return relative_path + ".hpp"; }
};

struct Program {
    std::deque<FileInfo> files; // files[0] is the file being compiled
    const FileInfo& main() const { return files.front(); }
};

const char* scalar_name(Scalar scalar);     // IDL spelling: "u8"
const char* scalar_cpp_type(Scalar scalar); // C++ spelling: "::uint8_t"

} // namespace idlgen
