// userland/tests/memory_tests.cpp — memory pools: split, exhaustion returns
// the error (never a panic), freed memory is reusable.
#include "suite.hpp"

namespace suite {

namespace {

uint64_t split(uint64_t pages) {
    const InvokeResult r = invoke(runtime.memory, MemoryLabel::Split, pages, kAnySlot);
    return r.error == Error::None ? r.words[0] : kNoSlot;
}

bool info_sane() {
    const InvokeResult r = invoke(runtime.memory, MemoryLabel::Info);
    EXPECT_OK(r.error);
    EXPECT(r.words[0] == 512);
    EXPECT(r.words[1] > 0 && r.words[1] < r.words[0]);
    return true;
}

bool split_pool() {
    const uint64_t before = free_pages();
    const uint64_t pool = split(16);
    EXPECT(pool != kNoSlot);
    const InvokeResult r = invoke(pool, MemoryLabel::Info);
    EXPECT(r.words[0] == 16);
    EXPECT(free_pages() == before - 16);
    return true;
}

bool split_too_small() {
    EXPECT_ERROR(invoke(runtime.memory, MemoryLabel::Split, 1, kAnySlot).error, Error::InvalidArgument);
    EXPECT_ERROR(invoke(runtime.memory, MemoryLabel::Split, 0, kAnySlot).error, Error::InvalidArgument);
    return true;
}

bool split_too_big() {
    EXPECT_ERROR(invoke(runtime.memory, MemoryLabel::Split, 100000, kAnySlot).error, Error::OutOfMemory);
    EXPECT_ERROR(invoke(runtime.memory, MemoryLabel::Split, ~uint64_t{0}, kAnySlot).error, Error::OutOfMemory);
    return true;
}

bool split_pool_returns_when_deleted() {
    const uint64_t before = free_pages();
    const uint64_t pool = split(32);
    EXPECT(pool != kNoSlot);
    EXPECT_OK(delete_cap(pool));
    EXPECT(free_pages() == before);
    return true;
}

bool nested_split() {
    const uint64_t before = free_pages();
    const uint64_t pool = split(64);
    const InvokeResult inner = invoke(pool, MemoryLabel::Split, 16, kAnySlot);
    EXPECT_OK(inner.error);
    EXPECT(free_pages(pool) <= 64 - 16);
    const uint64_t saved = runtime.memory;
    runtime.memory = inner.words[0];
    const uint64_t endpoint = make(ObjectType::Endpoint);
    runtime.memory = saved;
    EXPECT(endpoint != kNoSlot);
    // A pool owns what it paid for: deleting the outer pool's owning
    // capability destroys the inner pool and the endpoint the inner paid for.
    EXPECT_OK(delete_cap(pool));
    EXPECT(free_pages() == before);
    uint64_t type = 0;
    EXPECT_OK(cap_info(endpoint, &type));
    EXPECT(type == uint64_t(ObjectType::None));
    EXPECT_OK(cap_info(inner.words[0], &type));
    EXPECT(type == uint64_t(ObjectType::None));
    return true;
}

template <ObjectType type, uint64_t size>
bool exhaustion() {
    const uint64_t pool = split(8);
    EXPECT(pool != kNoSlot);
    const uint64_t start_free = free_pages(pool);
    uint64_t made[600];
    size_t count = 0;
    Error error = Error::None;
    while (count < 600) {
        const InvokeResult r = invoke(pool, MemoryLabel::Create, uint64_t(type), kAnySlot, size);
        error = r.error;
        if (error != Error::None) break;
        made[count++] = r.words[0];
    }
    EXPECT_ERROR(error, Error::OutOfMemory);
    EXPECT(count > 0);
    for (size_t i = 0; i < count; ++i) EXPECT_OK(delete_cap(made[i]));
    EXPECT(free_pages(pool) == start_free);
    // Freed memory is reusable: the same number of objects fits again.
    size_t again = 0;
    while (again < 600 && invoke(pool, MemoryLabel::Create, uint64_t(type), kAnySlot, size).error == Error::None)
        ++again;
    EXPECT(again == count);
    return true;
}

bool create_bad_types() {
    const uint64_t types[] = {uint64_t(ObjectType::None), uint64_t(ObjectType::Memory), uint64_t(ObjectType::DeviceMemory),
                          uint64_t(ObjectType::IrqControl), uint64_t(ObjectType::IrqHandler),
                          uint64_t(ObjectType::IoPortControl), uint64_t(ObjectType::IoPort),
                          uint64_t(ObjectType::Console), uint64_t{99}, ~uint64_t{0}};
    for (uint64_t type : types)
        EXPECT_ERROR(invoke(runtime.memory, MemoryLabel::Create, type, kAnySlot, 1).error, Error::InvalidArgument);
    return true;
}

bool page_sizes() {
    EXPECT_ERROR(invoke(runtime.memory, MemoryLabel::Create, uint64_t(ObjectType::Page), kAnySlot, 0).error,
                 Error::OutOfRange);
    EXPECT_ERROR(invoke(runtime.memory, MemoryLabel::Create, uint64_t(ObjectType::Page), kAnySlot, 513).error,
                 Error::OutOfRange);
    EXPECT_ERROR(invoke(runtime.memory, MemoryLabel::Create, uint64_t(ObjectType::Page), kAnySlot, ~uint64_t{0}).error,
                 Error::OutOfRange);
    return true;
}

bool page_larger_than_pool() {
    const uint64_t pool = split(8);
    EXPECT_ERROR(invoke(pool, MemoryLabel::Create, uint64_t(ObjectType::Page), kAnySlot, 64).error,
                 Error::OutOfMemory);
    return true;
}

bool pages_are_zeroed() {
    for (int round = 0; round < 2; ++round) {
        uint64_t page = 0;
        auto* p = reinterpret_cast<volatile uint64_t*>(new_pages(2, rights::kRead | rights::kWrite, &page));
        EXPECT(p != nullptr);
        for (size_t i = 0; i < 2 * kPageSize / 8; ++i) EXPECT(p[i] == 0);
        for (size_t i = 0; i < 2 * kPageSize / 8; ++i) p[i] = ~uint64_t{0};
        EXPECT_OK(delete_cap(page));
    }
    return true;
}

bool freed_memory_reused() {
    const uint64_t pool = split(24);
    for (int round = 0; round < 5; ++round) {
        const InvokeResult r = invoke(pool, MemoryLabel::Create, uint64_t(ObjectType::Page), kAnySlot, 16);
        EXPECT_OK(r.error);
        EXPECT_OK(delete_cap(r.words[0]));
    }
    return true;
}

bool create_to_chosen_and_occupied_slot() {
    InvokeResult r = invoke(runtime.memory, MemoryLabel::Create, uint64_t(ObjectType::Endpoint), 600, 0);
    EXPECT_OK(r.error);
    EXPECT(r.words[0] == 600);
    const uint64_t before = free_pages();
    r = invoke(runtime.memory, MemoryLabel::Create, uint64_t(ObjectType::Endpoint), 600, 0);
    EXPECT_ERROR(r.error, Error::SlotOccupied);
    r = invoke(runtime.memory, MemoryLabel::Create, uint64_t(ObjectType::Endpoint), 5000, 0);
    EXPECT_ERROR(r.error, Error::InvalidCapability);
    EXPECT(free_pages() == before);
    return true;
}

bool memory_rights() {
    uint64_t read_only = 0, write_only = 0;
    EXPECT_OK(copy_cap(runtime.memory, rights::kRead, 0, &read_only));
    EXPECT_OK(copy_cap(runtime.memory, rights::kWrite, 0, &write_only));
    EXPECT_ERROR(invoke(read_only, MemoryLabel::Create, uint64_t(ObjectType::Endpoint), kAnySlot, 0).error,
                 Error::MissingRights);
    EXPECT_ERROR(invoke(read_only, MemoryLabel::Split, 4, kAnySlot).error, Error::MissingRights);
    EXPECT_ERROR(invoke(write_only, MemoryLabel::Info).error, Error::MissingRights);
    EXPECT_OK(invoke(read_only, MemoryLabel::Info).error);
    return true;
}

bool destroy_returns_all_memory() {
    const uint64_t before = free_pages();
    uint64_t slots[8];
    slots[0] = make(ObjectType::Endpoint);
    slots[1] = make(ObjectType::Notification);
    slots[2] = make(ObjectType::Reply);
    slots[3] = make(ObjectType::Task);
    slots[4] = make(ObjectType::VirtualSpace);
    slots[5] = make(ObjectType::CapabilitySpace, 64);
    slots[6] = make(ObjectType::Page, 3);
    slots[7] = make(ObjectType::CapabilitySpace, 512);
    for (uint64_t s : slots) EXPECT(s != kNoSlot);
    EXPECT(free_pages() < before);
    for (uint64_t s : slots) EXPECT_OK(delete_cap(s));
    EXPECT(free_pages() == before);
    return true;
}

bool mapped_page_tables_returned() {
    const uint64_t before = free_pages();
    const uint64_t vspace = make(ObjectType::VirtualSpace);
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_OK(invoke(vspace, VirtualSpaceLabel::Map, page, 0x1234'5000'0000, rights::kRead).error);
    EXPECT_OK(delete_cap(vspace));
    EXPECT_OK(delete_cap(page));
    EXPECT(free_pages() == before);
    return true;
}

} // namespace

extern const Test kMemoryTests[] = {
    {"memory.info", info_sane},
    {"memory.split", split_pool},
    {"memory.split_too_small", split_too_small},
    {"memory.split_too_big", split_too_big},
    {"memory.split_pool_returns_when_deleted", split_pool_returns_when_deleted},
    {"memory.nested_split", nested_split},
    {"memory.exhaustion_endpoints", exhaustion<ObjectType::Endpoint, 0>},
    {"memory.exhaustion_notifications", exhaustion<ObjectType::Notification, 0>},
    {"memory.exhaustion_pages", exhaustion<ObjectType::Page, 1>},
    {"memory.exhaustion_tasks", exhaustion<ObjectType::Task, 0>},
    {"memory.exhaustion_vspaces", exhaustion<ObjectType::VirtualSpace, 0>},
    {"memory.exhaustion_cspaces", exhaustion<ObjectType::CapabilitySpace, 128>},
    {"memory.create_bad_types", create_bad_types},
    {"memory.page_sizes", page_sizes},
    {"memory.page_larger_than_pool", page_larger_than_pool},
    {"memory.pages_are_zeroed", pages_are_zeroed},
    {"memory.freed_memory_reused", freed_memory_reused},
    {"memory.create_destination_slots", create_to_chosen_and_occupied_slot},
    {"memory.rights", memory_rights},
    {"memory.destroy_returns_all_memory", destroy_returns_all_memory},
    {"memory.page_tables_returned", mapped_page_tables_returned},
};
extern const size_t kMemoryTestCount = sizeof(kMemoryTests) / sizeof(kMemoryTests[0]);

} // namespace suite
