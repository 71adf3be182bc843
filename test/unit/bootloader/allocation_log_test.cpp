// bootloader/allocation_log: the loader's own allocations, re-added to the
// memory map so a firmware map that contradicts them is caught.
#include <allocation_log.hpp>
#include <catch2/catch_test_macros.hpp>

#include <memory>

using namespace vesta;
using namespace vesta::loader;

TEST_CASE("the allocation log keeps the kernel's pages, merging adjacent runs", "[bootloader]") {
    auto log = std::make_unique<AllocationLog>();
    log->record(0x100000, 2, boot::kUefiTypeKernel);
    log->record(0x102000, 1, boot::kUefiTypeKernel);    // continues the previous run
    log->record(0x200000, 1, boot::kUefiTypeInitramfs); // another type: a new run
    log->record(0x300000, 4, 7);                        // EfiConventionalMemory: not the kernel's
    log->record(0x400000, 0, boot::kUefiTypeBootData);  // nothing
    REQUIRE(log->count() == 2);
    CHECK(log->range(0).base == 0x100000);
    CHECK(log->range(0).size == 3 * 4096);
    CHECK(log->range(0).type == boot::memory_type_from_uefi(boot::kUefiTypeKernel));
    CHECK(log->range(1).base == 0x200000);

    boot::MemoryRange storage[8];
    boot::MemoryMapBuilder builder(storage, 8);
    REQUIRE(log->add_to(builder).ok());
    CHECK(builder.count() == 2);
}

TEST_CASE("a full allocation log drops further allocations", "[bootloader]") {
    auto log = std::make_unique<AllocationLog>();
    for (size_t i = 0; i < kAllocationLogCapacity + 3; ++i)
        log->record(0x100000 + i * 0x10000, 1, boot::kUefiTypeBootData); // never adjacent
    CHECK(log->count() == kAllocationLogCapacity);
}
