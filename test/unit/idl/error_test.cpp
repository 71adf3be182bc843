// Every error the generator reports, with its exact message and position.
#include <catch2/catch_test_macros.hpp>
#include <compile.hpp>

namespace {

// Compiles `main` (with the other files of `files` available to `use`) and
// returns the error text, or "" when compilation succeeds.
std::string error_of(std::map<std::string, std::string> files, const std::string& main = "t/main.ipc") {
    idlgen::MemoryProvider provider(std::move(files));
    try {
        idlgen::compile(provider, main, idlgen::Mode::Header);
    } catch (const idlgen::CompileError& error) {
        return error.what();
    }
    return "";
}

std::string error_of(const std::string& source) { return error_of({{"t/main.ipc", source}}); }

std::string repeat(const std::string& text, int count, const std::string& separator) {
    std::string result;
    for (int i = 0; i < count; ++i) {
        result += (i ? separator : "") + text + std::to_string(i);
    }
    return result;
}

} // namespace

TEST_CASE("a valid file compiles", "[idl][errors]") {
    CHECK(error_of("namespace t;\ninterface x { call f(a: u8) void; };\n") == "");
}

TEST_CASE("syntax errors", "[idl][errors]") {
    CHECK(error_of("interface x {};") == "t/main.ipc:1:1: error: a file must begin with 'namespace NAME;'");
    CHECK(error_of("namespace t\ninterface x {};") == "t/main.ipc:2:1: error: expected ';', found 'interface'");
    CHECK(error_of("namespace t;\ninterface x { call f() void };") ==
          "t/main.ipc:2:29: error: expected ';', found '}'");
    CHECK(error_of("namespace t;\ninterface x {\n  call f(a: u8,) void;\n};") ==
          "t/main.ipc:3:16: error: expected parameter after ','");
    CHECK(error_of("namespace t;\ninterface x { call f() void;") ==
          "t/main.ipc:2:29: error: expected 'call' or '}', found end of file");
    CHECK(error_of("namespace t;\nstruct x {};") ==
          "t/main.ipc:2:1: error: expected 'enum', 'error' or 'interface', found 'struct'");
    CHECK(error_of("namespace t;\nerror e;\nuse io;") ==
          "t/main.ipc:3:1: error: 'use' must come before every declaration");
    CHECK(error_of("namespace t;\n  @") == "t/main.ipc:2:3: error: unexpected character '@'");
    CHECK(error_of(std::string("namespace t;\n\x01", 14)) == "t/main.ipc:2:1: error: unexpected byte 0x01");
    CHECK(error_of("namespace t;\nenum e { A = 0x };") ==
          "t/main.ipc:2:16: error: expected hexadecimal digits after '0x'");
    CHECK(error_of("namespace t;\nenum e { A = 12a };") ==
          "t/main.ipc:2:16: error: unexpected character after integer");
    CHECK(error_of("namespace t;\nenum e : u64 { A = 18446744073709551616 };") ==
          "t/main.ipc:2:20: error: integer '18446744073709551616' does not fit in 64 bits");
    CHECK(error_of("namespace t;\ninterface x { call f{a: page..}() void; };") ==
          "t/main.ipc:2:29: error: unexpected '.' (did you mean '...'?)");
    CHECK(error_of("namespace t;\n# caf\xc3 ok\n") == "t/main.ipc:2:6: error: invalid UTF-8 in comment");
    CHECK(error_of("namespace t;\n# a\rb\n") == "t/main.ipc:2:4: error: control character in comment");
}

TEST_CASE("layout errors: namespaces and files", "[idl][errors]") {
    CHECK(error_of("namespace u;\n") == "t/main.ipc:1:11: error: namespace 'u' does not match the file's directory 't' "
                                        "(files of namespace 'u' live in 'u/')");
    CHECK(error_of("namespace t;\nuse io;\n") ==
          "t/main.ipc:2:5: error: unknown namespace 'io': no .ipc files in 'io'");
    CHECK(error_of({{"t/main.ipc", "namespace t;\nuse io;\n"}, {"io/file.ipc", "namespace t;\n"}}) ==
          "io/file.ipc:1:11: error: namespace 't' does not match the file's directory 'io' "
          "(files of namespace 't' live in 't/')");
    CHECK(error_of({{"t/main.ipc", "namespace t;\nuse io;\n"}, {"io/file.ipc", "namespace io;\nerror;"}}) ==
          "io/file.ipc:2:6: error: expected error name, found ';'");
    CHECK(error_of({}, "t/none.ipc") == "t/none.ipc:1:1: error: cannot read 't/none.ipc'");
}

TEST_CASE("duplicate names", "[idl][errors]") {
    CHECK(error_of("namespace t;\nerror e;\nenum e { A };") ==
          "t/main.ipc:3:6: error: duplicate name 't::e' (first declared at t/main.ipc:2:7)");
    CHECK(error_of(
              {{"t/main.ipc", "namespace t;\nuse t;\nerror e;\n"}, {"t/other.ipc", "namespace t;\ninterface e {};"}}) ==
          "t/other.ipc:2:11: error: duplicate name 't::e' (first declared at t/main.ipc:3:7)");
    CHECK(error_of("namespace t;\nenum e { A, B, A };") ==
          "t/main.ipc:2:16: error: duplicate enumerator 'A' in enum 't::e' (first declared at "
          "t/main.ipc:2:10)");
    CHECK(error_of("namespace t;\ninterface x {\n call f() void;\n call f() void;\n};") ==
          "t/main.ipc:4:7: error: duplicate call 'f' in interface 't::x' (first declared at "
          "t/main.ipc:3:7)");
    CHECK(error_of("namespace t;\ninterface x { call f() void; };\ninterface y :: x { call f() "
                   "void; };") == "t/main.ipc:3:25: error: call 'f' in interface 't::y' duplicates an inherited call "
                                  "(declared at t/main.ipc:2:20)");
    CHECK(error_of("namespace t;\ninterface x { call f{a: page}(a: u8) void; };") ==
          "t/main.ipc:2:31: error: duplicate parameter 'a' in call 'f' (first declared at "
          "t/main.ipc:2:22)");
    CHECK(error_of("namespace t;\nerror e;\ninterface x { call f() void ! e, t::e; };") ==
          "t/main.ipc:3:34: error: error 't::e' listed twice in call 'f'");
}

TEST_CASE("enum values", "[idl][errors]") {
    CHECK(error_of("namespace t;\nenum e { A = 1, B = 1 };") ==
          "t/main.ipc:2:17: error: enumerator 'B' repeats value 1 of 'A'");
    CHECK(error_of("namespace t;\nenum e { A = -1, B = 0 };") ==
          "t/main.ipc:2:10: error: value -1 of enumerator 'A' does not fit the underlying type "
          "'u32'");
    CHECK(error_of("namespace t;\nenum e : u8 { A = 255, B };") ==
          "t/main.ipc:2:24: error: value 256 of enumerator 'B' does not fit the underlying type "
          "'u8'");
    CHECK(error_of("namespace t;\nenum e : i8 { A = -129 };") ==
          "t/main.ipc:2:15: error: value -129 of enumerator 'A' does not fit the underlying type "
          "'i8'");
    CHECK(error_of("namespace t;\nenum e : bool { A };") ==
          "t/main.ipc:2:10: error: invalid underlying type 'bool' for enum 't::e' "
          "(use u8, u16, u32, u64, i8, i16, i32 or i64)");
    CHECK(error_of("namespace t;\nenum e {};") == "t/main.ipc:2:6: error: enum 't::e' has no enumerators");
    CHECK(error_of("namespace t;\nenum e : i64 { A = -9223372036854775808, B = 9223372036854775807 };") == "");
}

TEST_CASE("unknown and wrongly-kinded names", "[idl][errors]") {
    CHECK(error_of("namespace t;\ninterface x { call f(a: u128) void; };") ==
          "t/main.ipc:2:25: error: unknown type 'u128'");
    CHECK(error_of("namespace t;\ninterface x { call f() widget; };") ==
          "t/main.ipc:2:24: error: unknown type 'widget'");
    CHECK(error_of("namespace t;\ninterface x :: y {};") == "t/main.ipc:2:16: error: unknown interface 'y'");
    CHECK(error_of("namespace t;\ninterface x { call f() void ! oops; };") ==
          "t/main.ipc:2:31: error: unknown error 'oops'");
    CHECK(error_of("namespace t;\ninterface x { call f{a: pages}() void; };") ==
          "t/main.ipc:2:25: error: unknown capability type 'pages'");
    CHECK(error_of("namespace t;\nenum e { A };\ninterface x :: e {};") ==
          "t/main.ipc:3:16: error: 'e' is an enum, not an interface");
    CHECK(error_of("namespace t;\ninterface x { call f(a: x) void; };") ==
          "t/main.ipc:2:25: error: 'x' is an interface, not a parameter type");
    CHECK(error_of("namespace t;\nerror e;\ninterface x { call f() e; };") ==
          "t/main.ipc:3:24: error: 'e' is an error, not a result type");
    CHECK(error_of("namespace t;\nenum e { A };\ninterface x { call f() void ! e; };") ==
          "t/main.ipc:3:31: error: 'e' is an enum, not an error");
    CHECK(error_of("namespace t;\ninterface x { call f{a: u64}() void; };") ==
          "t/main.ipc:2:25: error: 'u64' is a scalar type, not a capability (scalars go in "
          "parentheses)");
    CHECK(error_of("namespace t;\nenum e { A };\ninterface x { call f{a: e}() void; };") ==
          "t/main.ipc:3:25: error: 'e' is an enum, not an interface or capability kind");
    CHECK(error_of("namespace t;\ninterface x { call f(a: page) void; };") ==
          "t/main.ipc:2:25: error: 'page' is a capability kind, not a parameter type (capabilities "
          "go in braces)");
    CHECK(error_of("namespace t;\ninterface x { call f(a: io::mode) void; };") ==
          "t/main.ipc:2:25: error: namespace 'io' is not used by this file (add 'use io;')");
    CHECK(error_of({{"t/main.ipc", "namespace t;\nuse a;\nuse b;\ninterface x { call f(m: mode) void; };"},
                    {"a/a.ipc", "namespace a;\nenum mode { X };"},
                    {"b/b.ipc", "namespace b;\nenum mode { Y };"}}) ==
          "t/main.ipc:4:25: error: ambiguous name 'mode': declared in namespaces 'a' and 'b'; "
          "qualify it");
    // Sibling files of the namespace are visible only through `use`.
    CHECK(error_of({{"t/main.ipc", "namespace t;\ninterface x :: y {};"},
                    {"t/y.ipc", "namespace t;\ninterface y {};"}}) == "t/main.ipc:2:16: error: unknown interface 'y'");
}

TEST_CASE("inheritance cycles", "[idl][errors]") {
    CHECK(error_of("namespace t;\ninterface x :: x {};") == "t/main.ipc:2:16: error: inheritance cycle: t::x -> t::x");
    CHECK(error_of("namespace t;\ninterface x :: y {};\ninterface y :: z {};\ninterface z :: x {};") ==
          "t/main.ipc:2:16: error: inheritance cycle: t::x -> t::y -> t::z -> t::x");
    CHECK(error_of({{"t/main.ipc", "namespace t;\nuse u;\ninterface x :: u::y {};"},
                    {"u/y.ipc", "namespace u;\nuse t;\ninterface y :: t::x {};"}}) ==
          "t/main.ipc:3:16: error: inheritance cycle: t::x -> u::y -> t::x");
}

TEST_CASE("colliding interface ids and error codes", "[idl][errors]") {
    // FNV-1a("c::bikxw") == FNV-1a("c::xjtra") == 0x8cb084e1.
    CHECK(error_of({{"c/main.ipc", "namespace c;\ninterface bikxw {};\ninterface xjtra {};"}}, "c/main.ipc") ==
          "c/main.ipc:3:11: error: duplicate interface id 0x8cb084e1: 'c::xjtra' and 'c::bikxw' "
          "(declared at c/main.ipc:2:11) hash to the same id; rename one");
    // FNV-1a("c::bikxt") == FNV-1a("c::xjtrb") == 0x89b08028.
    CHECK(error_of({{"c/main.ipc", "namespace c;\nerror bikxt;\nerror xjtrb;"}}, "c/main.ipc") ==
          "c/main.ipc:3:7: error: duplicate error code 0x89b08028: 'c::xjtrb' and 'c::bikxt' "
          "(declared at c/main.ipc:2:7) hash to the same code; rename one");
}

TEST_CASE("calls that do not fit the message format", "[idl][errors]") {
    std::string params32 = repeat("a", 32, ": u8, ") + ": u8";
    std::string params33 = repeat("a", 33, ": u8, ") + ": u8";
    CHECK(error_of("namespace t;\ninterface x { call f(" + params32 + ") void; };") == "");
    CHECK(error_of("namespace t;\ninterface x { call f(" + params33 + ") void; };") ==
          "t/main.ipc:2:300: error: too many arguments in call 'f': 33 parameters need as many "
          "message words, a message holds at most 32");
    CHECK(error_of("namespace t;\ninterface x { call f{a: page, b: page, c: page, d: page, e: "
                   "page}() void; };") == "t/main.ipc:2:58: error: too many inbound capabilities "
                                          "in call 'f': 5, a message carries at most 4");
    CHECK(error_of("namespace t;\ninterface x { call f{; a: page, b: page, c: page, d: page, e: "
                   "page...}() void; };") ==
          "t/main.ipc:2:60: error: too many outbound capabilities in call 'f': 5, a message "
          "carries at most 4");
    CHECK(error_of("namespace t;\ninterface x { call f{a: page..., b: page}() void; };") ==
          "t/main.ipc:2:22: error: variable-length capability list 'a' must be the last inbound "
          "capability");
}

TEST_CASE("names the generated C++ cannot use", "[idl][errors]") {
    CHECK(error_of("namespace t;\ninterface x { call delete() void; };") ==
          "t/main.ipc:2:20: error: invalid name: 'delete' is a C++ keyword");
    CHECK(error_of({{"class/main.ipc", "namespace class;\n"}}, "class/main.ipc") ==
          "class/main.ipc:1:11: error: invalid name: 'class' is a C++ keyword");
    CHECK(error_of("namespace t;\nenum e { NULL };") ==
          "t/main.ipc:2:10: error: invalid name: 'NULL' is a standard C/C++ macro");
    CHECK(error_of("namespace t;\nenum e { UINT8_MAX };") ==
          "t/main.ipc:2:10: error: invalid name: 'UINT8_MAX' is a standard C/C++ macro");
    CHECK(error_of("namespace t;\ninterface x { call f(idl_x: u8) void; };") ==
          "t/main.ipc:2:22: error: invalid name: 'idl_x' uses the prefix 'idl_' reserved for "
          "generated code");
    CHECK(error_of("namespace t;\ninterface x { call f(IdlImpl: u8) void; };") ==
          "t/main.ipc:2:22: error: invalid name: 'IdlImpl' uses the prefix 'Idl' reserved for "
          "generated code");
    CHECK(error_of("namespace t;\nenum e { EOF };") ==
          "t/main.ipc:2:10: error: invalid name: 'EOF' is a standard C/C++ macro");
    CHECK(error_of("namespace t;\nerror a__b;") == "t/main.ipc:2:7: error: invalid name: 'a__b' contains '__'");
    CHECK(error_of("namespace t;\nerror a_;") == "t/main.ipc:2:7: error: invalid name: 'a_' ends with '_'");
    CHECK(error_of("namespace t;\ninterface page {};") ==
          "t/main.ipc:2:11: error: invalid name: 'page' is reserved by the IDL");
    CHECK(error_of("namespace t;\nenum u8 { A };") ==
          "t/main.ipc:2:6: error: invalid name: 'u8' is reserved by the IDL");
    CHECK(error_of("namespace t;\ninterface x { call dispatch() void; };") ==
          "t/main.ipc:2:20: error: invalid call name: 'dispatch' is used by the generated code of "
          "every interface");
    CHECK(error_of("namespace t;\ninterface x { call reply() void; };") ==
          "t/main.ipc:2:20: error: invalid call name: 'reply' is used by the generated code of "
          "every interface");
    CHECK(error_of("namespace t;\ninterface x { call get_reply() void; };") ==
          "t/main.ipc:2:20: error: invalid call name: the suffix '_reply' is used by the generated "
          "code");
    CHECK(error_of("namespace t;\ninterface x { call f{; result: page}() void; };") ==
          "t/main.ipc:2:24: error: invalid capability name: 'result' is the reply's result field");
}

TEST_CASE("doc comments attach to the declaration below them", "[idl][errors]") {
    idlgen::MemoryProvider provider(std::map<std::string, std::string>{
        {"t/main.ipc", "namespace t;\n# detached\n\n# attached\n# two lines\\\nerror e; # "
                       "trailing\nerror f;\n"}});
    std::string header = idlgen::compile(provider, "t/main.ipc", idlgen::Mode::Header).text;
    CHECK(header.find("// detached") == std::string::npos);
    CHECK(header.find("// attached\n// two lines\n// Protocol error 't::e'") != std::string::npos);
    CHECK(header.find("trailing") == std::string::npos);
}
