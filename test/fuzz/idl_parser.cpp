// libFuzzer target: the IDL generator front to back (lexer, parser, loader,
// semantic checks and both emitters) must never crash, hang or trip a
// sanitizer, whatever the input. Errors are expected and ignored.
//
// The input is one or two files: text before a line "%%" is t/main.ipc (so it
// should say `namespace t;`), text after it is u/u.ipc, reachable with `use u;`.
// Built by test/fuzz/meson.build (build/fuzz), run by scripts/fuzz.
#include <compile.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    std::map<std::string, std::string> files;
    size_t split = text.find("\n%%\n");
    if (split == std::string::npos) {
        files["t/main.ipc"] = text;
    } else {
        files["t/main.ipc"] = text.substr(0, split);
        files["u/u.ipc"] = text.substr(split + 4);
    }
    idlgen::MemoryProvider provider(std::move(files));
    for (idlgen::Mode mode : {idlgen::Mode::Header, idlgen::Mode::RoundTripTest}) {
        try {
            idlgen::compile(provider, "t/main.ipc", mode);
        } catch (const idlgen::CompileError&) {
            return 0;
        }
    }
    return 0;
}
