#include "kernel_fixture.hpp"

using namespace vesta;
using namespace vesta::test;

TEST_CASE("a cspace hands out free slots in O(1) and takes named ones", "[capability]") {
    KernelFixture f;
    uint64_t index = f.create(ObjectType::CapabilitySpace, 4);
    auto& space = f.object<CapabilitySpace>(index);
    CHECK(space.size() == 4);
    CHECK(space.free_count() == 4);
    CHECK(space.find_free(kAnySlot).value() == 0);
    CHECK(space.find_free(4).error() == Error::InvalidCapability);

    Object& endpoint = f.object<Endpoint>(f.create(ObjectType::Endpoint));
    space.install(2, endpoint, rights::kAll, 0); // named slot from the middle of the free list
    CHECK(space.free_count() == 3);
    CHECK(space.find_free(2).error() == Error::SlotOccupied);
    space.install(space.find_free(kAnySlot).value(), endpoint, rights::kRead, 0);
    space.install(space.find_free(kAnySlot).value(), endpoint, rights::kRead, 0);
    space.install(space.find_free(kAnySlot).value(), endpoint, rights::kRead, 0);
    CHECK(space.free_count() == 0);
    CHECK(space.find_free(kAnySlot).error() == Error::OutOfRange);
    space.remove(f.cpu, 1);
    CHECK(space.find_free(kAnySlot).value() == 1);
    CHECK(space.nth_free(0) == 1);
}

TEST_CASE("lookup checks bounds, emptiness, type and rights in one call", "[capability]") {
    KernelFixture f;
    CapabilitySpace& space = *f.root.cspace;
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    CHECK(space.lookup(9999, ObjectType::Endpoint, 0).error() == Error::InvalidCapability);
    CHECK(space.lookup(endpoint + 1, ObjectType::Endpoint, 0).error() == Error::InvalidCapability);
    CHECK(space.lookup(endpoint, ObjectType::Notification, 0).error() == Error::WrongType);
    auto typed = space.lookup_object<Endpoint>(endpoint, rights::kRead | rights::kWrite);
    REQUIRE(typed.ok());
    CHECK(typed.value()->type == ObjectType::Endpoint);
    space.slot(endpoint).value()->rights = rights::kRead;
    CHECK(space.lookup(endpoint, ObjectType::Endpoint, rights::kWrite).error() == Error::MissingRights);
    CHECK(space.lookup(endpoint, ObjectType::None, rights::kRead).ok());
}
