// Deleting a memory pool destroys everything it paid for (docs/capabilities.md,
// "Object lifetime"): the way a supervisor ends a process.
#include "kernel_fixture.hpp"

#include <object/memory.hpp>
#include <object/virtual_space.hpp>

using namespace vesta;
using namespace vesta::test;

namespace {

void remove(KernelFixture& f, uint64_t slot, uint64_t space = root_slot::kCapabilitySpace) {
    REQUIRE(f.invoke(f.root_task, space, CapabilitySpaceLabel::Delete, {slot}).error == Error::None);
}

uint64_t create_in(KernelFixture& f, uint64_t pool, ObjectType type, uint64_t size = 0) {
    return f.create(type, size, pool);
}

uint64_t copy_into(KernelFixture& f, uint64_t cspace_slot, uint64_t source, uint64_t index = kAnySlot) {
    auto copy = f.invoke(f.root_task, cspace_slot, CapabilitySpaceLabel::Copy, {index, source, rights::kAll, 0});
    REQUIRE(copy.error == Error::None);
    return copy.words[0];
}

} // namespace

TEST_CASE("deleting a pool reclaims a running task, its spaces and a cycle through its own cspace",
          "[lifetime][pool]") {
    KernelFixture f;
    const uint64_t root_free = f.pool->free_pages();
    uint64_t pool = f.invoke(f.root_task, root_slot::kMemory, MemoryLabel::Split, {128, kAnySlot}).words[0];
    uint64_t cspace = create_in(f, pool, ObjectType::CapabilitySpace, 16);
    uint64_t vspace = create_in(f, pool, ObjectType::VirtualSpace);
    uint64_t task = create_in(f, pool, ObjectType::Task);
    uint64_t buffer = create_in(f, pool, ObjectType::Page, 1);
    uint64_t code = create_in(f, pool, ObjectType::Page, 3);
    REQUIRE(f.invoke(f.root_task, vspace, VirtualSpaceLabel::Map, {code, 0x40'0000, rights::kRead | rights::kExecute})
                .error == Error::None);
    REQUIRE(f.invoke(f.root_task, task, TaskLabel::Configure, {cspace, vspace, kNoSlot, 100}).error == Error::None);
    REQUIRE(f.invoke(f.root_task, task, TaskLabel::SetIpcBuffer, {buffer, 0x10000}).error == Error::None);
    // The child's cspace holds its own task, itself, its vspace and its pool: cycles.
    copy_into(f, cspace, task, 0);
    copy_into(f, cspace, cspace, 1);
    copy_into(f, cspace, vspace, 2);
    copy_into(f, cspace, pool, 3);
    REQUIRE(f.invoke(f.root_task, task, TaskLabel::Resume).error == Error::None);
    Task& child = f.object<Task>(task);
    f.switch_to(child);
    // The child makes objects of its own in its pool and wires them together.
    uint64_t endpoint = f.invoke(child, 3, MemoryLabel::Create, {uint64_t(ObjectType::Endpoint), kAnySlot, 0}).words[0];
    uint64_t inner =
        f.invoke(child, 3, MemoryLabel::Create, {uint64_t(ObjectType::CapabilitySpace), kAnySlot, 4}).words[0];
    REQUIRE(f.invoke(child, inner, CapabilitySpaceLabel::Copy, {0, inner, rights::kAll, 0}).error == Error::None);
    REQUIRE(f.invoke(child, inner, CapabilitySpaceLabel::Copy, {1, 1, rights::kAll, 0}).error == Error::None);
    REQUIRE(f.invoke(child, 0, TaskLabel::Configure, {1, 2, endpoint, 100}).error == Error::None);
    CHECK(f.slot(3, &f.object<CapabilitySpace>(cspace)).owner == false); // a lent copy

    // The supervisor drops what it holds: the cycles keep the child's objects...
    for (uint64_t slot : {cspace, vspace, task, buffer, code}) remove(f, slot);
    CHECK_FALSE(f.object<Memory>(pool).objects.empty());
    // ...until it deletes the pool, which takes everything with it.
    remove(f, pool);
    CHECK(f.kernel.teardown.empty());
    CHECK(f.pool->free_pages() == root_free);
    CHECK(f.cpu.current == &f.root_task);
}

TEST_CASE("a pool lives exactly as long as its owning capability", "[lifetime][pool]") {
    KernelFixture f;
    const uint64_t root_free = f.pool->free_pages();
    uint64_t pool = f.invoke(f.root_task, root_slot::kMemory, MemoryLabel::Split, {32, kAnySlot}).words[0];
    CHECK(f.slot(pool).owner);
    auto info = f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Info, {pool});
    CHECK((info.words[3] & kCapabilityOwner) != 0);
    uint64_t lent = copy_into(f, root_slot::kCapabilitySpace, pool);
    CHECK_FALSE(f.slot(lent).owner);
    uint64_t endpoint = create_in(f, lent, ObjectType::Endpoint);
    SECTION("deleting a lent copy changes nothing") {
        remove(f, lent);
        CHECK(f.slot(endpoint).type() == ObjectType::Endpoint);
        remove(f, endpoint);
        remove(f, pool);
    }
    SECTION("moving the owner keeps the pool; deleting it takes the copies and objects too") {
        auto moved = f.invoke(f.root_task, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Move, {kAnySlot, pool});
        REQUIRE(moved.error == Error::None);
        CHECK(f.slot(moved.words[0]).owner);
        remove(f, moved.words[0]);
        CHECK(f.slot(lent).empty());
        CHECK(f.slot(endpoint).empty());
    }
    CHECK(f.kernel.teardown.empty());
    CHECK(f.pool->free_pages() == root_free);
}
