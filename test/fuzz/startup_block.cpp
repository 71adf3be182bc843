// test/fuzz/startup_block.cpp — libFuzzer target for the start-up block
// parser (userland/lib/startup.cpp), which every process runs on the block
// its parent wrote before main (docs/process-startup.md).
//
// Whatever the input, Block::parse() must not read outside it (ASan), and
// an accepted block's every accessor must stay inside it too: each argument
// and environment entry is a NUL-terminated string within the block, each
// note NUL-terminated, each service and standard output an endpoint.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <vesta/startup.hpp>

using namespace vesta;
using namespace vesta::startup;

namespace {

bool inside(const uint8_t* base, size_t size, const char* text) {
    const auto* at = reinterpret_cast<const uint8_t*>(text);
    return at >= base && at < base + size && memchr(at, 0, size_t(base + size - at)) != nullptr;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // An 8-aligned copy of exactly `size` bytes, so ASan catches any read past the end.
    auto* copy = static_cast<uint8_t*>(aligned_alloc(8, (size + 7) & ~size_t{7}));
    if (!copy) return 0;
    memcpy(copy, data, size);
    auto parsed = Block::parse(copy, size);
    if (parsed.ok()) {
        const Block block = parsed.value();
        if (block.size() > size || block.version() == 0) abort();
        for (size_t i = 0; i < block.argument_count(); ++i)
            if (!inside(copy, block.size(), block.argument(i))) abort();
        for (size_t i = 0; i < block.environment_count(); ++i)
            if (!inside(copy, block.size(), block.environment_entry(i))) abort();
        for (size_t i = 0; i < block.capability_count(); ++i) {
            const Capability& capability = block.capability(i);
            if (!memchr(capability.note, 0, kNoteSize)) abort();
            if (capability.role == uint8_t(Role::Service) && capability.type != uint8_t(ObjectType::Endpoint)) abort();
            if (capability.role == uint8_t(Role::Stdout) && capability.type != uint8_t(ObjectType::Endpoint)) abort();
            if (capability.role > kLastRole) abort();
            if (block.find_note(capability.note) == nullptr) abort();
        }
        (void)block.environment("A");
        (void)block.service(0x5430284c, 1);
        (void)block.slot_of(Role::Memory);
        (void)block.slot_of(Role::Stdout);
    }
    free(copy);
    return 0;
}
