// The one user page table (kernel/arch/user_page_table.hpp) over each
// architecture's paging format, with hooks that record instead of touching
// a TLB: the same code the kernels run, checked entry by entry on the host.
#include <arch/aarch64/paging_format.hpp>
#include <arch/user_page_table.hpp>
#include <arch/x86_64/paging_format.hpp>
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>

#include <stdlib.h>
#include <string.h>

#include <vector>

using namespace vesta;
using namespace vesta::arch;

namespace {

struct Hooks {
    std::vector<uint64_t> added, removed;
    int deactivated = 0;
};
Hooks hooks;

template <class F, bool kBreak>
struct RecordingPaging {
    using Format = F;
    static constexpr uint64_t kUserAddressEnd = (uint64_t{1} << 47) - 4096;
    static constexpr size_t kUserRootEntries = 256;
    static constexpr bool kBreakBeforeMake = kBreak;
    static void share_kernel_half(uint64_t* root) { root[511] = F::make_table(0x7000'0000); } // "the kernel's"
    static void entry_added(uint64_t address) { hooks.added.push_back(address); }
    static void entry_removed(uint64_t address, uint64_t, SpaceTag&) { hooks.removed.push_back(address); }
    static void deactivate(uint64_t, SpaceTag&) { ++hooks.deactivated; }
};

// Host "physical memory" for the tables: 64 pages at a fake physical base.
struct TableMemory {
    static constexpr uint64_t kBase = 0x1000'0000;
    static constexpr size_t kPages = 64;
    uint8_t* saved_base = host::memory_base;
    uint64_t saved_physical = host::physical_base;
    uint8_t* buffer = static_cast<uint8_t*>(aligned_alloc(4096, kPages * 4096));
    size_t next = 0, live = 0;
    PageTablePages pages{this, allocate, release};

    TableMemory() {
        memset(buffer, 0, kPages * 4096);
        host::memory_base = buffer;
        host::physical_base = kBase;
        hooks = Hooks{};
    }
    ~TableMemory() {
        host::memory_base = saved_base;
        host::physical_base = saved_physical;
        free(buffer);
    }
    static uint64_t allocate(void* owner) {
        auto* self = static_cast<TableMemory*>(owner);
        REQUIRE(self->next < kPages);
        ++self->live;
        return kBase + 4096 * self->next++;
    }
    static void release(void* owner, uint64_t) { --static_cast<TableMemory*>(owner)->live; }
};

} // namespace

TEMPLATE_TEST_CASE("the user page table maps, protects, queries and frees tables in bounded steps",
                   "[kernel][arch][mmu]", (RecordingPaging<x86_64::PagingFormat, false>),
                   (RecordingPaging<aarch64::PagingFormat, true>)) {
    TableMemory memory;
    UserPageTable<TestType> table;
    table.initialise(memory.pages);
    CHECK(memory.live == 1);
    const uint64_t address = 0x40'2000;
    CHECK(table.tables_needed(address) == 3);
    table.map(address, 0x8000'1000, rights::kRead | rights::kWrite, MemoryKind::Normal, memory.pages);
    CHECK(memory.live == 4);
    CHECK(table.tables_needed(address + 4096) == 0);
    CHECK(hooks.added == std::vector<uint64_t>{address});
    Mapping mapping{};
    REQUIRE(table.query(address, &mapping));
    CHECK(mapping.physical == 0x8000'1000);
    CHECK(mapping.permissions == (rights::kRead | rights::kWrite));
    CHECK(mapping.kind == MemoryKind::Normal);
    CHECK_FALSE(table.query(address + 4096, &mapping));

    table.protect(address, rights::kRead | rights::kExecute);
    REQUIRE(table.query(address, &mapping));
    CHECK(mapping.permissions == (rights::kRead | rights::kExecute));
    CHECK(mapping.physical == 0x8000'1000);
    CHECK(hooks.removed == std::vector<uint64_t>{address}); // the old translation goes either way
    CHECK(hooks.added.size() == (TestType::kBreakBeforeMake ? 2u : 1u));

    table.map(0x7f00'0000'0000, 0x9000'0000, rights::kRead, MemoryKind::Device, memory.pages); // root entry 254
    REQUIRE(table.query(0x7f00'0000'0000, &mapping));
    CHECK(mapping.kind == MemoryKind::Device);
    CHECK(memory.live == 7);

    table.unmap(address);
    CHECK_FALSE(table.query(address, &mapping));
    const size_t removed = hooks.removed.size();
    table.unmap(address); // no-op: nothing to invalidate
    table.protect(address, rights::kRead);
    CHECK(hooks.removed.size() == removed);

    table.deactivate();
    CHECK(hooks.deactivated == 1);
    uint32_t budget = 3;
    int calls = 1;
    while (!table.destroy_some(memory.pages, budget)) {
        CHECK(budget == 0);
        budget = 3;
        ++calls;
    }
    CHECK(calls > 1);        // bounded steps
    CHECK(memory.live == 0); // every table, the root included; the kernel's entry was not followed
    CHECK(table.root() == 0);
}
