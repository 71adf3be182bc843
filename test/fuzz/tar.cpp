// test/fuzz/tar.cpp — libFuzzer target for the ustar reader (lib/tar), which
// reads the initramfs in the kernel.
//
// Whatever the input, walking and finding must stay inside it (ASan) and
// terminate; every entry handed out must lie inside the archive.
#include <lib/tar.hpp>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

using namespace vesta::tar;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    uint8_t* copy = static_cast<uint8_t*>(malloc(size ? size : 1));
    memcpy(copy, data, size);
    Reader reader(copy, size);
    Entry entry;
    size_t entries = 0;
    while (reader.next(&entry)) {
        if (entry.data < copy || entry.size > size || entry.data + entry.size > copy + size) abort();
        if (strlen(entry.name) > kMaxName) abort();
        if (++entries > size / kBlockSize + 1) abort(); // each entry takes at least one block
    }
    (void)message(reader.error());
    (void)find(copy, size, "root");
    free(copy);
    return 0;
}
