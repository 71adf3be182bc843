#include "kernel_fixture.hpp"

using namespace vesta;
using namespace vesta::test;

namespace {
constexpr uint64_t kSelf = root_slot::kCapabilitySpace;
}

TEST_CASE("CapabilitySpace.Copy reduces rights and mints badges", "[capability][invocation]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    auto copy = f.invoke(root, kSelf, CapabilitySpaceLabel::Copy, {kAnySlot, endpoint, rights::kWrite, 42});
    REQUIRE(copy.error == Error::None);
    Capability& minted = f.slot(copy.words[0]);
    CHECK(minted.object == f.slot(endpoint).object);
    CHECK(minted.rights == rights::kWrite);
    CHECK(minted.badge == 42);
    CHECK(f.slot(endpoint).object->capability_count == 2);

    SECTION("a badged capability cannot be re-badged, but copies keep the badge") {
        CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Copy, {kAnySlot, copy.words[0], rights::kAll, 7}).error ==
              Error::InvalidArgument);
        auto again = f.invoke(root, kSelf, CapabilitySpaceLabel::Copy, {kAnySlot, copy.words[0], rights::kAll, 0});
        REQUIRE(again.error == Error::None);
        CHECK(f.slot(again.words[0]).badge == 42);
        CHECK(f.slot(again.words[0]).rights == rights::kWrite); // never more than the source
    }
    SECTION("only endpoints and notifications take badges") {
        uint64_t page = f.create(ObjectType::Page, 1);
        CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Copy, {kAnySlot, page, rights::kAll, 1}).error ==
              Error::InvalidArgument);
    }
    SECTION("error paths") {
        CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Copy, {kAnySlot, 200, rights::kAll, 0}).error ==
              Error::InvalidCapability);
        CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Copy, {endpoint, endpoint, rights::kAll, 0}).error ==
              Error::SlotOccupied);
        CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Copy, {5000, endpoint, rights::kAll, 0}).error ==
              Error::InvalidCapability);
        CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Copy, {kAnySlot, endpoint, 0x10, 0}).error ==
              Error::InvalidArgument);
        CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Copy, {kAnySlot, endpoint}).error == Error::InvalidArgument);
        CHECK(f.invoke(root, kSelf, 99, {}).error == Error::NotSupported);
    }
}

TEST_CASE("CapabilitySpace.Move, Delete and Info", "[capability][invocation]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t notification = f.create(ObjectType::Notification);
    Object* object = f.slot(notification).object;

    auto moved = f.invoke(root, kSelf, CapabilitySpaceLabel::Move, {100, notification});
    REQUIRE(moved.error == Error::None);
    CHECK(moved.words[0] == 100);
    CHECK(f.slot(notification).empty());
    CHECK(f.slot(100).object == object);
    CHECK(object->capability_count == 1);
    CHECK(object->capabilities == &f.slot(100));
    CHECK(f.root.cspace->find_free(kAnySlot).value() == notification); // the old slot is free again

    auto info = f.invoke(root, kSelf, CapabilitySpaceLabel::Info, {100});
    REQUIRE(info.error == Error::None);
    CHECK(info.words[0] == static_cast<uint64_t>(ObjectType::Notification));
    CHECK(info.words[1] == rights::kAll);
    CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Info, {101}).words[0] == 0); // empty: type None
    CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Info, {1000}).error == Error::InvalidCapability);

    CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Move, {kAnySlot, 101}).error == Error::InvalidCapability);
    CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Move, {100, 100}).error == Error::SlotOccupied);
    CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Move, {}).error == Error::InvalidArgument);

    uint64_t free_before = f.pool->free_pages();
    CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Delete, {100}).error == Error::None);
    CHECK(f.slot(100).empty());
    CHECK(f.pool->free_pages() >= free_before); // the notification's memory came back
    CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Delete, {100}).error == Error::InvalidCapability);
    CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Delete, {}).error == Error::InvalidArgument);
}

TEST_CASE("a slot and its fill count name one capability; Delete with it spares a slot filled again",
          "[capability][invocation]") {
    KernelFixture f;
    Task& root = f.root_task;
    auto fills = [&](uint64_t slot) {
        const auto info = f.invoke(root, kSelf, CapabilitySpaceLabel::Info, {slot});
        REQUIRE(info.error == Error::None);
        return info.words[3] >> kCapabilityFillsShift;
    };
    const uint64_t pool = f.invoke(root, root_slot::kMemory, MemoryLabel::Split, {8, kAnySlot}).words[0];
    const uint64_t page = f.create(ObjectType::Page, 1, pool);
    const uint64_t first = fills(page);
    CHECK(first >= 1);
    // The page dies with its pool (as a client's pages die with the client):
    // the kernel empties the slot, and the next kAnySlot fills it again.
    REQUIRE(f.invoke(root, kSelf, CapabilitySpaceLabel::Delete, {pool}).error == Error::None);
    REQUIRE(f.slot(page).empty());
    CHECK(fills(page) == first); // an empty slot keeps its count
    const uint64_t notification = f.create(ObjectType::Notification);
    REQUIRE(notification == page);
    CHECK(fills(page) == first + 1);
    // A server that remembered (page, first) does not delete the notification.
    CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Delete, {page, first}).error == Error::InvalidCapability);
    CHECK(f.slot(page).type() == ObjectType::Notification);
    CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Delete, {page, first + 1}).error == Error::None);
    CHECK(f.slot(page).empty());
    CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Delete, {page, first + 1}).error == Error::InvalidCapability);
    // 0 (or no second word) deletes whatever the slot holds.
    const uint64_t again = f.create(ObjectType::Notification);
    CHECK(f.invoke(root, kSelf, CapabilitySpaceLabel::Delete, {again, 0}).error == Error::None);
    CHECK(f.slot(again).empty());
    // Moves fill the destination too.
    const uint64_t endpoint = f.create(ObjectType::Endpoint);
    const uint64_t before = fills(200);
    REQUIRE(f.invoke(root, kSelf, CapabilitySpaceLabel::Move, {200, endpoint}).error == Error::None);
    CHECK(fills(200) == before + 1);
}

TEST_CASE("CapabilitySpace invocations need rights on the target", "[capability][invocation]") {
    KernelFixture f;
    Task& root = f.root_task;
    auto read_only = f.invoke(root, kSelf, CapabilitySpaceLabel::Copy, {kAnySlot, kSelf, rights::kRead, 0}).words[0];
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    CHECK(f.invoke(root, read_only, CapabilitySpaceLabel::Delete, {endpoint}).error == Error::MissingRights);
    CHECK(f.invoke(root, read_only, CapabilitySpaceLabel::Info, {endpoint}).error == Error::None);
    auto write_only = f.invoke(root, kSelf, CapabilitySpaceLabel::Copy, {kAnySlot, kSelf, rights::kWrite, 0}).words[0];
    CHECK(f.invoke(root, write_only, CapabilitySpaceLabel::Info, {endpoint}).error == Error::MissingRights);
}

TEST_CASE("copy and move between cspaces", "[capability][invocation]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t other = f.create(ObjectType::CapabilitySpace, 8);
    auto& space = f.object<CapabilitySpace>(other);
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    CHECK(f.invoke(root, other, CapabilitySpaceLabel::Copy, {3, endpoint, rights::kAll, 0}).error == Error::None);
    CHECK(space.slot(3).value()->object == f.slot(endpoint).object);
    CHECK(f.invoke(root, other, CapabilitySpaceLabel::Move, {4, endpoint}).error == Error::None);
    CHECK(f.slot(endpoint).empty());
    CHECK(space.free_count() == 6);
    CHECK(f.invoke(root, other, CapabilitySpaceLabel::Delete, {3}).error == Error::None);
    CHECK(f.invoke(root, other, CapabilitySpaceLabel::Delete, {8}).error == Error::InvalidCapability);
}
