// test/fuzz/acpi.cpp — libFuzzer target for the ACPI table reader (lib/acpi),
// which the x86_64 kernel runs on the firmware's tables at boot.
//
// The input is physical memory from kBase on, with an RSDP at kBase (the
// seed corpus holds an RSDP, an XSDT, an RSDT and a MADT as QEMU's q35 lays
// them out). Whatever the input, the reader must stay inside it (ASan),
// terminate, and hand out only tables that lie inside it with their own
// length.
#include <lib/acpi.hpp>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

using namespace vesta::acpi;

namespace {

constexpr uint64_t kBase = 0x1000;

struct Memory {
    const uint8_t* data;
    size_t size;
};

const uint8_t* bytes(void* context, uint64_t physical, uint64_t length) {
    const auto* memory = static_cast<const Memory*>(context);
    if (physical < kBase || length > memory->size || physical - kBase > memory->size - length) return nullptr;
    return memory->data + (physical - kBase);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    uint8_t* copy = static_cast<uint8_t*>(malloc(size ? size : 1));
    memcpy(copy, data, size);
    Memory memory{copy, size};
    const PhysicalReader reader{&memory, bytes};
    static const char* const kSignatures[] = {"APIC", "FACP", "HPET"};
    for (const char* signature : kSignatures) {
        auto table = find_table(reader, kBase, signature);
        if (!table.ok()) {
            if (message(table.error())[0] == '\0') abort();
            continue;
        }
        const Table& found = table.value();
        if (found.bytes < copy || found.length > size || found.bytes + found.length > copy + size) abort();
        if (found.length < kHeaderLength || memcmp(found.bytes, signature, 4) != 0) abort();
        auto madt = parse_madt(found);
        if (madt.ok() && madt.value().override_count > Madt::kMaxOverrides) abort();
    }
    free(copy);
    return 0;
}
