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
    EXPECT(r.words[0] == 1024);
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
    const uint64_t types[] = {uint64_t(ObjectType::None),
                              uint64_t(ObjectType::Memory),
                              uint64_t(ObjectType::DeviceMemory),
                              uint64_t(ObjectType::IrqControl),
                              uint64_t(ObjectType::IrqHandler),
                              uint64_t(ObjectType::IoPortControl),
                              uint64_t(ObjectType::IoPort),
                              uint64_t(ObjectType::Console),
                              uint64_t{99},
                              ~uint64_t{0}};
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
    EXPECT_ERROR(invoke(pool, MemoryLabel::Create, uint64_t(ObjectType::Page), kAnySlot, 64).error, Error::OutOfMemory);
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

// The storm: a pool exhausted by every object type in turn (pages of random
// sizes, cspaces, vspaces with mappings, tasks, endpoints, notifications,
// replies, nested pools, IRQ-less kernel objects), each stopped only by an
// error code; then everything deleted in random order, and the pool whole.
// Several rounds, so freed memory is reused by other types.
bool exhaustion_storm() {
    constexpr uint64_t kPoolPages = 16; // small enough that no type fills the runner's 1024 slots
    constexpr size_t kMaxObjects = 900;
    const uint64_t before = free_pages();
    const uint64_t pool = split(kPoolPages);
    EXPECT(pool != kNoSlot);
    const uint64_t pool_free = free_pages(pool);
    uint64_t rng = 0x243f'6a88'85a3'08d3;
    auto next = [&] {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return rng;
    };
    struct Made {
        uint64_t slot;
        ObjectType type;
    };
    static Made made[kMaxObjects];
    const ObjectType order[] = {ObjectType::Page,  ObjectType::CapabilitySpace, ObjectType::VirtualSpace,
                                ObjectType::Task,  ObjectType::Endpoint,        ObjectType::Notification,
                                ObjectType::Reply, ObjectType::Memory};
    constexpr size_t kTypes = sizeof(order) / sizeof(order[0]);
    for (size_t round = 0; round < kTypes; ++round) {
        size_t count = 0;
        // Two vspaces first, so pages made later can be mapped (page tables from the pool).
        for (int v = 0; v < 2; ++v) {
            const InvokeResult r = invoke(pool, MemoryLabel::Create, uint64_t(ObjectType::VirtualSpace), kAnySlot, 0);
            EXPECT_OK(r.error);
            made[count++] = Made{r.words[0], ObjectType::VirtualSpace};
        }
        for (size_t t = 0; t < kTypes; ++t) {
            const ObjectType type = order[(round + t) % kTypes]; // each round another type goes first
            for (;;) {
                if (count == kMaxObjects) break;
                InvokeResult r{};
                if (type == ObjectType::Memory) {
                    r = invoke(pool, MemoryLabel::Split, 2 + next() % 6, kAnySlot);
                } else {
                    uint64_t size = 0;
                    if (type == ObjectType::Page) size = 1 + next() % 8;
                    if (type == ObjectType::CapabilitySpace) size = 1 + next() % 200;
                    r = invoke(pool, MemoryLabel::Create, uint64_t(type), kAnySlot, size);
                }
                if (r.error == Error::OutOfMemory) break; // exhausted by this type: the next one
                EXPECT_OK(r.error);
                made[count++] = Made{r.words[0], type};
                // Map some pages into some vspace: page tables come from the pool too.
                if (type == ObjectType::Page && count > 1 && next() % 2) {
                    for (size_t k = 0; k < count; ++k) {
                        if (made[k].type != ObjectType::VirtualSpace) continue;
                        const Error mapped = invoke(made[k].slot, VirtualSpaceLabel::Map, r.words[0],
                                                    (1 + next() % 4096) * 0x20'0000, rights::kRead)
                                                 .error;
                        if (mapped != Error::None && mapped != Error::OutOfMemory) EXPECT_OK(mapped);
                        break;
                    }
                }
            }
        }
        EXPECT(count > 3);
        EXPECT(count < kMaxObjects); // every type stopped at OutOfMemory, none at the table's end
        // Delete in random order.
        for (size_t i = count; i > 1; --i) {
            const size_t j = next() % i;
            const Made t = made[i - 1];
            made[i - 1] = made[j];
            made[j] = t;
        }
        for (size_t i = 0; i < count; ++i) EXPECT_OK(delete_cap(made[i].slot));
        if (free_pages(pool) != pool_free) {
            char text[96];
            print_to(text, sizeof(text), "round {}: the pool has {} free pages, {} before", round, free_pages(pool),
                     pool_free);
            return fail(text, __LINE__);
        }
    }
    EXPECT_OK(delete_cap(pool));
    EXPECT(free_pages() == before);
    return true;
}

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
    {"memory.exhaustion_storm", exhaustion_storm},
};
extern const size_t kMemoryTestCount = sizeof(kMemoryTests) / sizeof(kMemoryTests[0]);

} // namespace suite
