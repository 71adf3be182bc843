// userland/tests/protocol/server_startup.cpp — the "startup-check" role: a
// process checks what its start-up block gave it (fixture.hpp): argv,
// environment, a service by interface id, notes, the runtime's slots, and
// that the heap and the mapping helpers work over the capabilities it got.
#include "server.hpp"

namespace protocol_server {

using namespace protocol_fixture;

namespace {

#define CHECK_OR_LINE(condition)                                                                                       \
    do {                                                                                                               \
        if (!(condition)) return __LINE__;                                                                             \
    } while (0)

uint64_t free_pages() { return invoke(runtime.memory, MemoryLabel::Info).words[1]; }

uint64_t check_heap() {
    const uint64_t free_before = free_pages();
    void* small[100];
    for (size_t i = 0; i < 100; ++i) {
        small[i] = allocate(24 + i);
        CHECK_OR_LINE(small[i] != nullptr);
        __builtin_memset(small[i], int(i), 24 + i);
    }
    for (size_t i = 0; i < 100; ++i) {
        CHECK_OR_LINE(static_cast<uint8_t*>(small[i])[23 + i] == uint8_t(i));
        free(small[i]);
    }
    const uint64_t after_small = free_pages();
    CHECK_OR_LINE(after_small < free_before); // small chunks stay with the heap
    auto* big = static_cast<uint8_t*>(allocate(64 * 1024));
    CHECK_OR_LINE(big != nullptr);
    big[0] = 1;
    big[64 * 1024 - 1] = 2;
    CHECK_OR_LINE(free_pages() + 17 <= after_small);
    free(big);
    CHECK_OR_LINE(free_pages() == after_small); // every page of the large block is back in the pool
    return 0;
}

uint64_t check_mappings() {
    uint64_t address = 0, page = 0;
    CHECK_OR_LINE(map_new_pages(2, rights::kRead | rights::kWrite, &address, &page) == Error::None);
    reinterpret_cast<volatile uint64_t*>(address)[0] = 0x5a5a;
    // The same capability maps its frame once; a copy maps it again.
    CHECK_OR_LINE(!map_frame(page, rights::kRead).ok());
    const InvokeResult copy = invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, page, rights::kRead, 0);
    CHECK_OR_LINE(copy.error == Error::None);
    auto second = map_frame(copy.words[0], rights::kRead);
    CHECK_OR_LINE(second.ok());
    CHECK_OR_LINE(second.value() != address);
    CHECK_OR_LINE(reinterpret_cast<volatile uint64_t*>(second.value())[0] == 0x5a5a);
    CHECK_OR_LINE(unmap_frame(copy.words[0]) == Error::None);
    CHECK_OR_LINE(unmap_frame(copy.words[0]) == Error::InvalidArgument);
    return 0;
}

} // namespace

uint64_t check_startup() {
    CHECK_OR_LINE(argument_count() == 4);
    for (size_t i = 0; i < 4; ++i) CHECK_OR_LINE(equal(argument(i), kCheckArguments[i]));
    CHECK_OR_LINE(argument(4) == nullptr);
    CHECK_OR_LINE(equal(environment("MODE"), "suite"));
    CHECK_OR_LINE(environment("MOD") == nullptr);
    CHECK_OR_LINE(service(kCheckServiceId) == kCheckServiceSlot);
    CHECK_OR_LINE(service(kCheckServiceId, 1) == kNoSlot);
    CHECK_OR_LINE(service(kCheckServiceId + 1) == kNoSlot);
    CHECK_OR_LINE(capability_with_note("report") != kNoSlot);
    CHECK_OR_LINE(capability_with_note("nothing") == kNoSlot);
    CHECK_OR_LINE(runtime.self_task == 0 && runtime.console == 1);
    CHECK_OR_LINE(runtime.memory != kNoSlot && runtime.cspace != kNoSlot && runtime.vspace != kNoSlot);
    CHECK_OR_LINE(runtime.system == kNoSlot);
    CHECK_OR_LINE(reinterpret_cast<uint64_t>(runtime.ipc_buffer) == runtime.startup.ipc_buffer());
    CHECK_OR_LINE(runtime.ipc_buffer != nullptr);
    // Every capability the block describes is in its slot, with that type and those rights.
    for (size_t i = 0; i < runtime.startup.capability_count(); ++i) {
        const startup::Capability& described = runtime.startup.capability(i);
        const InvokeResult info = invoke(runtime.cspace, CapabilitySpaceLabel::Info, described.slot);
        CHECK_OR_LINE(info.error == Error::None);
        CHECK_OR_LINE(info.words[0] == described.type);
        CHECK_OR_LINE(info.words[1] == described.rights);
    }
    if (const uint64_t line = check_heap()) return line;
    if (const uint64_t line = check_mappings()) return line;
    return 0;
}

} // namespace protocol_server
