#include "kernel_fixture.hpp"

#include <object/memory.hpp>

using namespace vesta;
using namespace vesta::test;

TEST_CASE("a memory pool allocates and coalesces page runs", "[memory]") {
    KernelFixture f(64);
    Memory& pool = *f.pool;
    // Split a fresh pool out, so the test sees a pool no one else uses.
    auto split = f.invoke(f.root_task, root_slot::kMemory, MemoryLabel::Split, {9, kAnySlot});
    REQUIRE(split.error == Error::None);
    Memory& memory = f.object<Memory>(split.words[0]);
    CHECK(memory.total_pages() == 9);
    CHECK(memory.free_pages() == 8); // the header page is in use
    CHECK(memory.source == &pool);

    uint64_t a = memory.allocate_pages(3).value();
    uint64_t b = memory.allocate_pages(3).value();
    uint64_t c = memory.allocate_pages(2).value();
    CHECK(memory.free_pages() == 0);
    CHECK(memory.allocate_pages(1).error() == Error::OutOfMemory);
    CHECK(memory.contains(a));
    CHECK(memory.contains(c));
    CHECK_FALSE(memory.contains(memory.base() + 9 * kPageSize));
    auto* bytes = static_cast<uint8_t*>(arch::physical_to_virtual(b));
    CHECK(bytes[0] == 0); // zeroed
    CHECK(bytes[3 * kPageSize - 1] == 0);
    memory.free_pages(b, 3);
    CHECK(memory.allocate_pages(4).error() == Error::OutOfMemory); // fragmented
    memory.free_pages(a, 3);
    memory.free_pages(c, 2);
    CHECK(memory.allocate_pages(8).ok()); // all coalesced again
    CHECK(memory.allocate_pages(0).error() == Error::OutOfMemory);
}

TEST_CASE("small objects share slab pages and give them back", "[memory]") {
    KernelFixture f(64);
    auto split = f.invoke(f.root_task, root_slot::kMemory, MemoryLabel::Split, {4, kAnySlot});
    Memory& memory = f.object<Memory>(split.words[0]);
    void* first = memory.allocate_bytes(48).value();
    CHECK(memory.free_pages() == 2);
    void* pointers[100];
    for (auto& pointer : pointers) pointer = memory.allocate_bytes(64).value();
    CHECK(memory.free_pages() == 1); // 63 chunks per page: two pages
    void* big = memory.allocate_bytes(1000).value();
    CHECK(memory.free_pages() == 0);
    void* same_slab = memory.allocate_bytes(900).value(); // three 1024-byte chunks per page
    CHECK(memory.allocate_bytes(100).error() == Error::OutOfMemory);
    CHECK(memory.allocate_bytes(2 * kPageSize).error() == Error::OutOfMemory);
    for (auto& pointer : pointers) memory.free_bytes(pointer, 64);
    memory.free_bytes(first, 48);
    memory.free_bytes(big, 1000);
    CHECK(memory.free_pages() == 2);
    memory.free_bytes(same_slab, 900);
    CHECK(memory.free_pages() == 3);
    void* large = memory.allocate_bytes(2 * kPageSize + 1).value();
    CHECK(memory.free_pages() == 0);
    memory.free_bytes(large, 2 * kPageSize + 1);
    CHECK(memory.free_pages() == 3);
}

TEST_CASE("Memory.Create makes every user-creatable type", "[memory][invocation]") {
    KernelFixture f;
    struct Case {
        ObjectType type;
        uint64_t size;
    };
    Case cases[] = {{ObjectType::Page, 2}, {ObjectType::CapabilitySpace, 16}, {ObjectType::VirtualSpace, 0},
                    {ObjectType::Task, 0}, {ObjectType::Endpoint, 0},         {ObjectType::Notification, 0},
                    {ObjectType::Reply, 0}};
    for (const Case& c : cases) {
        uint64_t slot = f.create(c.type, c.size);
        CHECK(f.slot(slot).type() == c.type);
        CHECK(f.slot(slot).rights == rights::kAll);
        CHECK(f.slot(slot).object->source == f.pool);
    }
}

TEST_CASE("Memory.Create and Split check every argument", "[memory][invocation]") {
    KernelFixture f;
    Task& root = f.root_task;
    auto create = [&](uint64_t type, uint64_t slot, uint64_t size) {
        return f.invoke(root, root_slot::kMemory, MemoryLabel::Create, {type, slot, size}).error;
    };
    uint64_t page = static_cast<uint64_t>(ObjectType::Page);
    CHECK(create(page, kAnySlot, 0) == Error::OutOfRange);
    CHECK(create(page, kAnySlot, 513) == Error::OutOfRange);
    CHECK(create(static_cast<uint64_t>(ObjectType::CapabilitySpace), kAnySlot, 0) == Error::OutOfRange);
    CHECK(create(static_cast<uint64_t>(ObjectType::CapabilitySpace), kAnySlot, 70000) == Error::OutOfRange);
    CHECK(create(static_cast<uint64_t>(ObjectType::Memory), kAnySlot, 4) == Error::InvalidArgument);
    CHECK(create(static_cast<uint64_t>(ObjectType::IrqHandler), kAnySlot, 0) == Error::InvalidArgument);
    CHECK(create(99, kAnySlot, 0) == Error::InvalidArgument);
    CHECK(create(page, root_slot::kTask, 1) == Error::SlotOccupied);
    CHECK(create(page, 256, 1) == Error::InvalidCapability);
    CHECK(f.invoke(root, root_slot::kMemory, MemoryLabel::Create, {page, kAnySlot}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, root_slot::kMemory, 77, {}).error == Error::NotSupported);
    CHECK(f.invoke(root, root_slot::kMemory, MemoryLabel::Split, {1, kAnySlot}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, root_slot::kMemory, MemoryLabel::Split, {1u << 20, kAnySlot}).error == Error::OutOfMemory);
    CHECK(f.invoke(root, root_slot::kMemory, MemoryLabel::Split, {4, root_slot::kTask}).error == Error::SlotOccupied);
    CHECK(f.invoke(root, root_slot::kMemory, MemoryLabel::Split, {4}).error == Error::InvalidArgument);

    auto read_only = f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                              {kAnySlot, root_slot::kMemory, rights::kRead, 0})
                         .words[0];
    CHECK(create(page, kAnySlot, 1) == Error::None);
    CHECK(f.invoke(root, read_only, MemoryLabel::Create, {page, kAnySlot, 1}).error == Error::MissingRights);
    CHECK(f.invoke(root, read_only, MemoryLabel::Split, {2, kAnySlot}).error == Error::MissingRights);
    auto info = f.invoke(root, read_only, MemoryLabel::Info);
    CHECK(info.error == Error::None);
    CHECK(info.words[0] == 2048);
    CHECK(info.words[1] == f.pool->free_pages());
    auto write_only = f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                               {kAnySlot, root_slot::kMemory, rights::kWrite, 0})
                          .words[0];
    CHECK(f.invoke(root, write_only, MemoryLabel::Info).error == Error::MissingRights);
}

TEST_CASE("an exhausted pool refuses with OutOfMemory and changes nothing", "[memory][invocation]") {
    KernelFixture f;
    Task& root = f.root_task;
    auto split = f.invoke(root, root_slot::kMemory, MemoryLabel::Split, {3, kAnySlot});
    uint64_t small = split.words[0];
    Memory& memory = f.object<Memory>(small);
    uint32_t free_slots = f.root.cspace->free_count();
    auto create = [&](ObjectType type, uint64_t size) {
        return f.invoke(root, small, MemoryLabel::Create, {static_cast<uint64_t>(type), kAnySlot, size}).error;
    };
    CHECK(create(ObjectType::Page, 3) == Error::OutOfMemory);
    CHECK(create(ObjectType::CapabilitySpace, 1000) == Error::OutOfMemory);
    CHECK(memory.free_pages() == 2);
    CHECK(f.root.cspace->free_count() == free_slots);
    CHECK(create(ObjectType::Page, 2) == Error::OutOfMemory); // one page for data, none for the header
    CHECK(memory.free_pages() == 2);
    CHECK(create(ObjectType::Page, 1) == Error::None);
    CHECK(memory.free_pages() == 0);
    CHECK(create(ObjectType::Task, 0) == Error::OutOfMemory);         // a bigger size class: a new slab page
    CHECK(create(ObjectType::Reply, 0) == Error::None);               // fits in the Page header's slab
    CHECK(create(ObjectType::VirtualSpace, 0) == Error::OutOfMemory); // its root table
    CHECK(f.invoke(root, small, MemoryLabel::Split, {2, kAnySlot}).error == Error::OutOfMemory);
}
