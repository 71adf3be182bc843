// test/fuzz/memory_map.cpp — libFuzzer target for the memory-map
// normalisation (lib/memory_map) on arbitrary UEFI memory maps.
//
// The first byte picks a descriptor size; the rest is the UEFI map. Any
// accepted map must normalise to sorted, disjoint, page-aligned ranges with
// adjacent same-type ranges merged (is_normalised agrees). When
// find_ownership_conflict finds no conflict, every page of every
// loader-owned input range keeps its type in the output (what the loader's
// refusal of conflicts guarantees the kernel).
#include <lib/memory_map.hpp>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

using namespace vesta;
using namespace vesta::boot;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const size_t descriptor_size = 24 + (data[0] % 16) * 8; // 24..144, some invalid
    const uint8_t* map = data + 1;
    const size_t map_size = size - 1;
    uint8_t* copy = static_cast<uint8_t*>(malloc(map_size ? map_size : 1));
    memcpy(copy, map, map_size);
    static MemoryRange storage[512], out[1100];
    static uint64_t scratch[1100];
    MemoryMapBuilder builder(storage, 512);
    if (builder.add_uefi_map(copy, map_size, descriptor_size).ok()) {
        auto count = builder.normalise(out, 1100, scratch, 1100);
        if (!count.ok()) abort(); // capacity is ample: 2 * 512 + 1 outputs at most
        for (size_t i = 0; i < count.value(); ++i) {
            if (out[i].size == 0 || out[i].base % 4096 || out[i].size % 4096) abort();
            if (i && out[i - 1].base + out[i - 1].size > out[i].base) abort();
            if (i && out[i - 1].base + out[i - 1].size == out[i].base && out[i - 1].type == out[i].type) abort();
        }
        if (!is_normalised(out, count.value())) abort();
        OwnershipConflict conflict;
        if (!builder.find_ownership_conflict(&conflict)) {
            for (size_t i = 0; i < builder.count(); ++i) {
                if (!is_loader_owned(storage[i].type)) continue;
                const uint64_t first = storage[i].base & ~uint64_t{4095};
                const uint64_t end = storage[i].base + storage[i].size;
                const uint64_t last = (end + 4095) & ~uint64_t{4095};
                if (last == 0 || first >= last) continue; // clamped at the top of the address space
                uint64_t covered = first;
                for (size_t k = 0; k < count.value() && covered < last; ++k) {
                    if (out[k].base > covered) break;
                    if (out[k].base + out[k].size <= covered) continue;
                    if (out[k].type != storage[i].type) abort();
                    covered = out[k].base + out[k].size;
                }
                if (covered < last) abort();
            }
        }
    }
    free(copy);
    return 0;
}
