#include "sema.hpp"

#include "fnv.hpp"
#include "names.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace idlgen {

size_t CallInfo::fixed_caps_in() const { return caps_in.size() - (variadic_in() ? 1 : 0); }
size_t CallInfo::fixed_caps_out() const { return caps_out.size() - (variadic_out() ? 1 : 0); }

std::vector<const CallInfo*> InterfaceInfo::all_calls() const {
    std::vector<const InterfaceInfo*> chain;
    for (const InterfaceInfo* at = this; at; at = at->base) chain.insert(chain.begin(), at);
    std::vector<const CallInfo*> result;
    for (const InterfaceInfo* interface : chain) {
        for (const CallInfo& call : interface->calls) result.push_back(&call);
    }
    return result;
}

namespace {

__extension__ typedef __int128 Wide;
__extension__ typedef unsigned __int128 UnsignedWide;

std::string hex32(uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", value);
    return text;
}

struct Symbol {
    enum class Kind { Enum, Error, Interface } kind;
    const FileInfo* file;
    Location where;
    EnumInfo* enumeration = nullptr;
    ErrorInfo* error = nullptr;
    InterfaceInfo* interface = nullptr;
};

const char* kind_name(Symbol::Kind kind) {
    switch (kind) {
    case Symbol::Kind::Enum: return "an enum";
    case Symbol::Kind::Error: return "an error";
    case Symbol::Kind::Interface: return "an interface";
    }
    return "a name";
}

void check_identifier(const std::string& name, const Location& where) {
    if (auto reason = reserved_reason(name)) fail(where, "invalid name: " + *reason);
}

// A declaration's name must also not hide a builtin.
void check_declaration_name(const std::string& name, const Location& where) {
    check_identifier(name, where);
    if (is_idl_keyword(name) || builtin_scalar(name) || is_capability_kind(name)) {
        fail(where, "invalid name: '" + name + "' is reserved by the IDL");
    }
}

class Analyzer {
public:
    explicit Analyzer(Program& program) : program_(program) {}

    void run() {
        for (FileInfo& file : program_.files) declare(file);
        for (FileInfo& file : program_.files) {
            for (EnumInfo& enumeration : file.enums) resolve_enum(enumeration);
        }
        for (FileInfo& file : program_.files) {
            for (InterfaceInfo& interface : file.interfaces) resolve_base(file, interface);
        }
        for (FileInfo& file : program_.files) {
            for (InterfaceInfo& interface : file.interfaces) check_cycle(interface);
        }
        check_unique_codes();
        for (FileInfo& file : program_.files) {
            for (InterfaceInfo& interface : file.interfaces) resolve_calls(file, interface);
        }
    }

private:
    // Phase 1: create the infos and the symbol table; duplicate names.
    void declare(FileInfo& file) {
        for (const QualifiedName& part : std::vector<QualifiedName>{file.ast.ns}) {
            for (const std::string& name : part.parts) check_identifier(name, part.where);
        }
        for (const EnumDecl& decl : file.ast.enums) {
            EnumInfo& info = file.enums.emplace_back();
            info.decl = &decl;
            info.file = &file;
            info.qualified = file.ns + "::" + decl.name;
        }
        for (const ErrorDecl& decl : file.ast.errors) {
            ErrorInfo& info = file.errors.emplace_back();
            info.decl = &decl;
            info.file = &file;
            info.qualified = file.ns + "::" + decl.name;
            info.code = fnv1a32(info.qualified);
        }
        for (const InterfaceDecl& decl : file.ast.interfaces) {
            InterfaceInfo& info = file.interfaces.emplace_back();
            info.decl = &decl;
            info.file = &file;
            info.qualified = file.ns + "::" + decl.name;
            info.id = fnv1a32(info.qualified);
        }
        // Enter the names in source order, so a duplicate is reported at the later one.
        std::vector<std::pair<std::string, Symbol>> declared;
        for (EnumInfo& info : file.enums) {
            declared.emplace_back(info.decl->name, Symbol{Symbol::Kind::Enum, &file, info.decl->where, &info});
        }
        for (ErrorInfo& info : file.errors) {
            declared.emplace_back(info.decl->name,
                                  Symbol{Symbol::Kind::Error, &file, info.decl->where, nullptr, &info});
        }
        for (InterfaceInfo& info : file.interfaces) {
            declared.emplace_back(info.decl->name,
                                  Symbol{Symbol::Kind::Interface, &file, info.decl->where, nullptr, nullptr, &info});
        }
        std::stable_sort(declared.begin(), declared.end(), [](const auto& a, const auto& b) {
            const Location& x = a.second.where;
            const Location& y = b.second.where;
            return x.line != y.line ? x.line < y.line : x.column < y.column;
        });
        for (const auto& [name, symbol] : declared) add_symbol(file, name, symbol.where, symbol);
    }

    void add_symbol(const FileInfo& file, const std::string& name, const Location& where, Symbol symbol) {
        check_declaration_name(name, where);
        std::string qualified = file.ns + "::" + name;
        auto [it, inserted] = symbols_.emplace(qualified, symbol);
        if (!inserted) {
            fail(where, "duplicate name '" + qualified + "' (first declared at " + it->second.where.str() + ")");
        }
    }

    // Whether declarations of `symbol` are visible from `file`: its own, and
    // those of the namespaces it uses.
    static bool visible(const FileInfo& file, const Symbol& symbol) {
        if (symbol.file == &file) return true;
        for (const std::string& use : file.uses) {
            if (use == symbol.file->ns) return true;
        }
        return false;
    }

    // Resolve a declared name (not a builtin) from `file`; nullptr when unknown.
    const Symbol* lookup(const FileInfo& file, const QualifiedName& name) {
        if (name.parts.size() == 1) {
            std::vector<const Symbol*> found;
            auto own = symbols_.find(file.ns + "::" + name.parts[0]);
            if (own != symbols_.end() && visible(file, own->second)) return &own->second;
            for (const std::string& use : file.uses) {
                if (use == file.ns) continue;
                auto it = symbols_.find(use + "::" + name.parts[0]);
                if (it != symbols_.end()) found.push_back(&it->second);
            }
            if (found.size() > 1) {
                fail(name.where, "ambiguous name '" + name.str() + "': declared in namespaces '" + found[0]->file->ns +
                                     "' and '" + found[1]->file->ns + "'; qualify it");
            }
            return found.empty() ? nullptr : found[0];
        }
        std::string ns = name.str();
        ns.resize(ns.size() - name.parts.back().size() - 2);
        bool known = ns == file.ns;
        for (const std::string& use : file.uses) known = known || use == ns;
        if (!known) {
            fail(name.where, "namespace '" + ns + "' is not used by this file (add 'use " + ns + ";')");
        }
        auto it = symbols_.find(name.str());
        if (it == symbols_.end() || !visible(file, it->second)) return nullptr;
        return &it->second;
    }

    // A parameter, result or underlying type.
    Type resolve_type(const FileInfo& file, const QualifiedName& name, const char* what) {
        if (name.parts.size() == 1) {
            if (auto scalar = builtin_scalar(name.parts[0])) return Type{*scalar, nullptr};
            if (is_capability_kind(name.parts[0])) {
                fail(name.where, std::string("'") + name.str() + "' is a capability kind, not a " + what +
                                     " (capabilities go in braces)");
            }
        }
        const Symbol* symbol = lookup(file, name);
        if (!symbol) fail(name.where, std::string("unknown type '") + name.str() + "'");
        if (symbol->kind != Symbol::Kind::Enum) {
            fail(name.where, "'" + name.str() + "' is " + kind_name(symbol->kind) + ", not a " + what);
        }
        return Type{symbol->enumeration->underlying, symbol->enumeration};
    }

    // Phase 2: underlying types and values.
    void resolve_enum(EnumInfo& info) {
        const EnumDecl& decl = *info.decl;
        info.underlying = Scalar::U32;
        if (decl.underlying) {
            const QualifiedName& name = *decl.underlying;
            auto scalar = name.parts.size() == 1 ? builtin_scalar(name.parts[0]) : std::nullopt;
            if (!scalar || *scalar == Scalar::Bool || *scalar == Scalar::Size || *scalar == Scalar::UintPtr) {
                fail(name.where, "invalid underlying type '" + name.str() + "' for enum '" + info.qualified +
                                     "' (use u8, u16, u32, u64, i8, i16, i32 or i64)");
            }
            info.underlying = *scalar;
        }
        if (decl.enumerators.empty()) fail(decl.where, "enum '" + info.qualified + "' has no enumerators");
        Wide minimum = 0, maximum = 0;
        switch (info.underlying) {
        case Scalar::U8: maximum = 0xff; break;
        case Scalar::U16: maximum = 0xffff; break;
        case Scalar::U32: maximum = 0xffffffffu; break;
        case Scalar::U64: maximum = static_cast<Wide>(UINT64_MAX); break;
        case Scalar::I8: minimum = -0x80, maximum = 0x7f; break;
        case Scalar::I16: minimum = -0x8000, maximum = 0x7fff; break;
        case Scalar::I32: minimum = INT32_MIN, maximum = INT32_MAX; break;
        default: minimum = INT64_MIN, maximum = INT64_MAX; break;
        }
        std::map<std::string, const Enumerator*> names;
        std::map<Wide, const Enumerator*> values;
        Wide next = 0;
        for (const Enumerator& enumerator : decl.enumerators) {
            check_identifier(enumerator.name, enumerator.where);
            auto [named, fresh] = names.emplace(enumerator.name, &enumerator);
            if (!fresh) {
                fail(enumerator.where, "duplicate enumerator '" + enumerator.name + "' in enum '" + info.qualified +
                                           "' (first declared at " + named->second->where.str() + ")");
            }
            Wide value = next;
            if (enumerator.has_value) {
                value = static_cast<Wide>(enumerator.magnitude);
                if (enumerator.negative) value = -value;
            }
            if (value < minimum || value > maximum) {
                fail(enumerator.where, "value " + wide_string(value) + " of enumerator '" + enumerator.name +
                                           "' does not fit the underlying type '" + scalar_name(info.underlying) + "'");
            }
            auto [same, unique] = values.emplace(value, &enumerator);
            if (!unique) {
                fail(enumerator.where, "enumerator '" + enumerator.name + "' repeats value " + wide_string(value) +
                                           " of '" + same->second->name + "'");
            }
            bool negative = value < 0;
            info.enumerators.push_back(
                EnumeratorInfo{&enumerator, negative, static_cast<uint64_t>(negative ? -value : value)});
            next = value + 1;
        }
    }

    static std::string wide_string(Wide value) {
        bool negative = value < 0;
        UnsignedWide magnitude = static_cast<UnsignedWide>(negative ? -value : value);
        std::string digits;
        do {
            digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
            magnitude /= 10;
        } while (magnitude);
        return negative ? "-" + digits : digits;
    }

    // Phase 3: base interfaces, then cycles.
    void resolve_base(const FileInfo& file, InterfaceInfo& info) {
        if (!info.decl->base) return;
        const QualifiedName& name = *info.decl->base;
        const Symbol* symbol = lookup(file, name);
        if (!symbol) fail(name.where, "unknown interface '" + name.str() + "'");
        if (symbol->kind != Symbol::Kind::Interface) {
            fail(name.where, "'" + name.str() + "' is " + kind_name(symbol->kind) + ", not an interface");
        }
        info.base = symbol->interface;
    }

    static void check_cycle(const InterfaceInfo& info) {
        std::string path = info.qualified;
        std::set<const InterfaceInfo*> seen{&info};
        for (const InterfaceInfo* at = info.base; at; at = at->base) {
            path += " -> " + at->qualified;
            if (at == &info) fail(info.decl->base->where, "inheritance cycle: " + path);
            if (!seen.insert(at).second) return; // a cycle not through `info`: reported at its own members
        }
    }

    // Phase 4: interface ids and error codes are unique among loaded files.
    void check_unique_codes() {
        std::map<uint32_t, const InterfaceInfo*> ids;
        std::map<uint32_t, const ErrorInfo*> codes;
        for (const FileInfo& file : program_.files) {
            for (const InterfaceInfo& info : file.interfaces) {
                auto [it, fresh] = ids.emplace(info.id, &info);
                if (!fresh) {
                    fail(info.decl->where, "duplicate interface id " + hex32(info.id) + ": '" + info.qualified +
                                               "' and '" + it->second->qualified + "' (declared at " +
                                               it->second->decl->where.str() + ") hash to the same id; rename one");
                }
            }
            for (const ErrorInfo& info : file.errors) {
                auto [it, fresh] = codes.emplace(info.code, &info);
                if (!fresh) {
                    fail(info.decl->where, "duplicate error code " + hex32(info.code) + ": '" + info.qualified +
                                               "' and '" + it->second->qualified + "' (declared at " +
                                               it->second->decl->where.str() + ") hash to the same code; rename one");
                }
            }
        }
    }

    // Phase 5: calls.
    void resolve_calls(const FileInfo& file, InterfaceInfo& info) {
        const InterfaceDecl& decl = *info.decl;
        if (decl.calls.size() > kMaxCallsPerInterface) {
            fail(decl.calls[kMaxCallsPerInterface].where,
                 "interface '" + info.qualified +
                     "' has too many calls (at most 65535: labels hold a 16-bit call index)");
        }
        // Call names must be unique along the whole inheritance chain.
        std::map<std::string, const CallDecl*> inherited;
        for (const InterfaceInfo* base = info.base; base; base = base->base) {
            for (const CallDecl& call : base->decl->calls) inherited.emplace(call.name, &call);
        }
        std::map<std::string, const CallDecl*> own;
        info.calls.reserve(decl.calls.size());
        for (const CallDecl& call : decl.calls) {
            check_call_name(call);
            if (auto it = own.find(call.name); it != own.end()) {
                fail(call.where, "duplicate call '" + call.name + "' in interface '" + info.qualified +
                                     "' (first declared at " + it->second->where.str() + ")");
            }
            if (auto it = inherited.find(call.name); it != inherited.end()) {
                fail(call.where, "call '" + call.name + "' in interface '" + info.qualified +
                                     "' duplicates an inherited call (declared at " + it->second->where.str() + ")");
            }
            own.emplace(call.name, &call);
            CallInfo& resolved = info.calls.emplace_back();
            resolved.decl = &call;
            resolved.interface = &info;
            resolved.index = static_cast<uint32_t>(info.calls.size());
            resolved.label = uint64_t{info.id} << 16 | resolved.index;
            resolve_call(file, resolved);
        }
    }

    static void check_call_name(const CallDecl& call) {
        check_identifier(call.name, call.where);
        static const char* const generated[] = {"label",  "kId",      "kName",  "Client",
                                                "Server", "dispatch", "detail", "reply"};
        for (const char* name : generated) {
            if (call.name == name) {
                fail(call.where,
                     "invalid call name: '" + call.name + "' is used by the generated code of every interface");
            }
        }
        if (call.name.size() > 6 && call.name.ends_with("_reply")) {
            fail(call.where, "invalid call name: the suffix '_reply' is used by the generated code");
        }
    }

    void resolve_call(const FileInfo& file, CallInfo& call) {
        const CallDecl& decl = *call.decl;
        std::map<std::string, Location> names; // parameters and capabilities share a scope
        auto add_name = [&](const std::string& name, const Location& where) {
            check_identifier(name, where);
            auto [it, fresh] = names.emplace(name, where);
            if (!fresh) {
                fail(where, "duplicate parameter '" + name + "' in call '" + decl.name + "' (first declared at " +
                                it->second.str() + ")");
            }
        };
        resolve_caps(file, decl, decl.caps_in, call.caps_in, "inbound", add_name);
        resolve_caps(file, decl, decl.caps_out, call.caps_out, "outbound", add_name);
        for (const CapParam& cap : decl.caps_out) {
            if (cap.name == "result") {
                fail(cap.where, "invalid capability name: 'result' is the reply's result field");
            }
        }
        for (size_t i = 0; i < decl.params.size(); ++i) {
            const Param& param = decl.params[i];
            add_name(param.name, param.where);
            if (i == kMessageWords) {
                fail(param.where, "too many arguments in call '" + decl.name +
                                      "': " + std::to_string(decl.params.size()) +
                                      " parameters need as many message words, a message holds at most " +
                                      std::to_string(kMessageWords));
            }
            call.params.push_back(ParamInfo{&param, resolve_type(file, param.type, "parameter type")});
        }
        if (decl.result) {
            call.has_result = true;
            call.result = resolve_type(file, *decl.result, "result type");
        }
        std::set<const ErrorInfo*> seen;
        for (const QualifiedName& name : decl.errors) {
            const Symbol* symbol = lookup(file, name);
            if (!symbol) fail(name.where, "unknown error '" + name.str() + "'");
            if (symbol->kind != Symbol::Kind::Error) {
                fail(name.where, "'" + name.str() + "' is " + kind_name(symbol->kind) + ", not an error");
            }
            if (!seen.insert(symbol->error).second) {
                fail(name.where, "error '" + symbol->error->qualified + "' listed twice in call '" + decl.name + "'");
            }
            call.errors.push_back(symbol->error);
        }
    }

    template <class AddName>
    void resolve_caps(const FileInfo& file, const CallDecl& call, const std::vector<CapParam>& decls,
                      std::vector<CapInfo>& caps, const char* direction, AddName& add_name) {
        for (size_t i = 0; i < decls.size(); ++i) {
            const CapParam& cap = decls[i];
            add_name(cap.name, cap.where);
            if (cap.variadic && i + 1 != decls.size()) {
                fail(cap.where, "variable-length capability list '" + cap.name + "' must be the last " + direction +
                                    " capability");
            }
            if (i == kMessageCaps) {
                fail(cap.where, std::string("too many ") + direction + " capabilities in call '" + call.name +
                                    "': " + std::to_string(decls.size()) + ", a message carries at most " +
                                    std::to_string(kMessageCaps));
            }
            CapInfo info{&cap, {}, nullptr};
            if (cap.type.parts.size() == 1 && is_capability_kind(cap.type.parts[0])) {
                info.kind = cap.type.parts[0];
            } else {
                if (cap.type.parts.size() == 1 && builtin_scalar(cap.type.parts[0])) {
                    fail(cap.type.where,
                         "'" + cap.type.str() + "' is a scalar type, not a capability (scalars go in parentheses)");
                }
                const Symbol* symbol = lookup(file, cap.type);
                if (!symbol) fail(cap.type.where, "unknown capability type '" + cap.type.str() + "'");
                if (symbol->kind != Symbol::Kind::Interface) {
                    fail(cap.type.where, "'" + cap.type.str() + "' is " + kind_name(symbol->kind) +
                                             ", not an interface or capability kind");
                }
                info.interface = symbol->interface;
            }
            caps.push_back(info);
        }
    }

    Program& program_;
    std::map<std::string, Symbol> symbols_;
};

} // namespace

void analyze(Program& program) { Analyzer(program).run(); }

} // namespace idlgen
