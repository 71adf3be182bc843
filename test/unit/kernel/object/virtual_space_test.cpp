#include "kernel_fixture.hpp"

#include <object/virtual_space.hpp>

using namespace vesta;
using namespace vesta::test;

namespace {
constexpr uint64_t kSpace = root_slot::kVirtualSpace;
constexpr uint8_t kRW = rights::kRead | rights::kWrite;
constexpr uint8_t kRX = rights::kRead | rights::kExecute;
} // namespace

TEST_CASE("map, query, protect and unmap a page", "[vspace]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t page = f.create(ObjectType::Page, 2);
    auto& frame = f.object<Page>(page);
    auto& space = f.object<VirtualSpace>(kSpace);
    uint64_t free_before = f.pool->free_pages();

    REQUIRE(f.invoke(root, kSpace, VirtualSpaceLabel::Map, {page, 0x40'0000, kRW}).error == Error::None);
    CHECK(f.pool->free_pages() == free_before - 3); // three new page-table levels
    CHECK(space.mappings.front() == &f.slot(page)); // recorded, without keeping the vspace alive
    CHECK(f.slot(page).mapped_in == &space);
    arch::Mapping mapping;
    REQUIRE(space.query(0x40'1000, &mapping));
    CHECK(mapping.physical == frame.physical + kPageSize);
    CHECK(mapping.permissions == kRW);
    CHECK(mapping.kind == arch::MemoryKind::Normal);

    auto query = f.invoke(root, kSpace, VirtualSpaceLabel::Query, {0x40'0123});
    REQUIRE(query.error == Error::None);
    CHECK(query.words[0] == frame.physical + 0x123);
    CHECK(query.words[1] == kRW);
    CHECK(f.invoke(root, kSpace, VirtualSpaceLabel::Query, {0x40'2000}).error == Error::NotFound);
    CHECK(f.invoke(root, kSpace, VirtualSpaceLabel::Query, {arch::kUserAddressEnd}).error == Error::OutOfRange);

    auto info = f.invoke(root, page, FrameLabel::Info);
    CHECK(info.words[0] == frame.physical);
    CHECK(info.words[1] == 2);
    CHECK(info.words[2] == 0x40'0000);

    REQUIRE(f.invoke(root, kSpace, VirtualSpaceLabel::Protect, {page, kRX}).error == Error::None);
    REQUIRE(space.query(0x40'0000, &mapping));
    CHECK(mapping.permissions == kRX);
    CHECK(f.invoke(root, kSpace, VirtualSpaceLabel::Protect, {page, kRW | rights::kExecute}).error ==
          Error::InvalidArgument); // W^X
    CHECK(frame.executable_mappings == 1);
    CHECK(frame.writable_uses == 0);
    CHECK(f.invoke(root, kSpace, VirtualSpaceLabel::Protect, {page, 0}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, kSpace, VirtualSpaceLabel::Protect, {page}).error == Error::InvalidArgument);

    REQUIRE(f.invoke(root, kSpace, VirtualSpaceLabel::Unmap, {page}).error == Error::None);
    CHECK_FALSE(space.query(0x40'0000, &mapping));
    CHECK(space.mappings.empty());
    CHECK(frame.executable_mappings == 0);
    CHECK(f.slot(page).mapped_in == nullptr);
    CHECK(f.invoke(root, kSpace, VirtualSpaceLabel::Unmap, {page}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, kSpace, VirtualSpaceLabel::Protect, {page, kRX}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, kSpace, VirtualSpaceLabel::Unmap, {}).error == Error::InvalidArgument);
}

TEST_CASE("Map checks every argument before mapping anything", "[vspace]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t page = f.create(ObjectType::Page, 1);
    uint64_t endpoint = f.create(ObjectType::Endpoint);
    auto map = [&](uint64_t frame, uint64_t address, uint64_t permissions) {
        return f.invoke(root, kSpace, VirtualSpaceLabel::Map, {frame, address, permissions}).error;
    };
    CHECK(map(page, 0x1001, kRW) == Error::Misaligned);
    CHECK(map(page, arch::kUserAddressEnd, kRW) == Error::OutOfRange);
    CHECK(map(page, ~uint64_t{0} & ~(kPageSize - 1), kRW) == Error::OutOfRange);
    CHECK(map(page, 0x1000, kRW | rights::kExecute) == Error::InvalidArgument); // W^X
    CHECK(map(page, 0x1000, rights::kWrite) == Error::InvalidArgument);         // not readable
    CHECK(map(page, 0x1000, rights::kGrant | rights::kRead) == Error::InvalidArgument);
    CHECK(map(page, 0x1000, 0x100) == Error::InvalidArgument);
    CHECK(map(endpoint, 0x1000, kRW) == Error::WrongType);
    CHECK(map(250, 0x1000, kRW) == Error::InvalidCapability);
    CHECK(f.invoke(root, kSpace, VirtualSpaceLabel::Map, {page, 0x1000}).error == Error::InvalidArgument);

    uint64_t read_only =
        f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy, {kAnySlot, page, rights::kRead, 0})
            .words[0];
    CHECK(map(read_only, 0x1000, kRW) == Error::MissingRights);
    CHECK(map(read_only, 0x1000, rights::kRead) == Error::None);
    CHECK(map(read_only, 0x2000, rights::kRead) == Error::Busy); // this capability already maps it
    CHECK(map(page, 0x1000, kRW) == Error::Busy);                // the address is taken
    CHECK(map(page, 0x2000, kRW) == Error::None);                // a second capability, a second mapping
    CHECK(f.invoke(root, kSpace, VirtualSpaceLabel::Protect, {read_only, kRW}).error == Error::MissingRights);

    uint64_t space_read_only =
        f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy, {kAnySlot, kSpace, rights::kRead, 0})
            .words[0];
    CHECK(f.invoke(root, space_read_only, VirtualSpaceLabel::Map, {page, 0x3000, kRW}).error == Error::MissingRights);
    CHECK(f.invoke(root, space_read_only, VirtualSpaceLabel::Query, {0x1000}).error == Error::None);
    CHECK(f.invoke(root, kSpace, 42, {}).error == Error::NotSupported);
    CHECK(f.invoke(root, page, 42, {}).error == Error::NotSupported);

    uint64_t other = f.create(ObjectType::VirtualSpace);
    CHECK(f.invoke(root, other, VirtualSpaceLabel::Unmap, {page}).error == Error::InvalidArgument);
}

TEST_CASE("Map refuses when the pool cannot pay for page tables", "[vspace][memory]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t small = f.invoke(root, root_slot::kMemory, MemoryLabel::Split, {4, kAnySlot}).words[0];
    uint64_t space = f.create(ObjectType::VirtualSpace, 0, small); // header slab + root table
    Memory& memory = f.object<Memory>(small);
    CHECK(memory.free_pages() == 1);
    uint64_t page = f.create(ObjectType::Page, 1);
    CHECK(f.invoke(root, space, VirtualSpaceLabel::Map, {page, 0x1000, kRW}).error == Error::OutOfMemory);
    CHECK(memory.free_pages() == 1);
    CHECK(f.create(ObjectType::VirtualSpace, 0, small) != 0); // header fits the slab, root takes the last page
    CHECK(memory.free_pages() == 0);
    CHECK(f.invoke(root, small, MemoryLabel::Create, {static_cast<uint64_t>(ObjectType::VirtualSpace), kAnySlot, 0})
              .error == Error::OutOfMemory);
}

TEST_CASE("device memory maps uncached, never executable, and splits", "[vspace][device]") {
    KernelFixture f;
    Task& root = f.root_task;
    DeviceMemory* device = create_initial_device_memory(f.kernel, *f.pool, 0xfe00'0000, 16).value();
    uint64_t slot = grant_to_root(f.root, *device).value();
    CHECK(f.invoke(root, kSpace, VirtualSpaceLabel::Map, {slot, 0x10'0000, kRX}).error == Error::InvalidArgument);
    REQUIRE(f.invoke(root, kSpace, VirtualSpaceLabel::Map, {slot, 0x10'0000, kRW}).error == Error::None);
    arch::Mapping mapping;
    REQUIRE(f.object<VirtualSpace>(kSpace).query(0x10'f000, &mapping));
    CHECK(mapping.kind == arch::MemoryKind::Device);
    CHECK(mapping.physical == 0xfe00'f000);
    CHECK(f.invoke(root, kSpace, VirtualSpaceLabel::Protect, {slot, kRX}).error == Error::InvalidArgument);

    auto part = f.invoke(root, slot, FrameLabel::Split, {4, 2, kAnySlot, root_slot::kMemory});
    REQUIRE(part.error == Error::None);
    auto& piece = f.object<DeviceMemory>(part.words[0]);
    CHECK(piece.physical == 0xfe00'4000);
    CHECK(piece.pages == 2);
    CHECK(f.invoke(root, slot, FrameLabel::Split, {15, 2, kAnySlot, root_slot::kMemory}).error == Error::OutOfRange);
    CHECK(f.invoke(root, slot, FrameLabel::Split, {0, 0, kAnySlot, root_slot::kMemory}).error == Error::OutOfRange);
    CHECK(f.invoke(root, slot, FrameLabel::Split, {0, 1, kAnySlot, kSpace}).error == Error::WrongType);
    CHECK(f.invoke(root, slot, FrameLabel::Split, {0, 1, slot, root_slot::kMemory}).error == Error::SlotOccupied);
    CHECK(f.invoke(root, slot, FrameLabel::Split, {0, 1}).error == Error::InvalidArgument);
    uint64_t page = f.create(ObjectType::Page, 1);
    CHECK(f.invoke(root, page, FrameLabel::Split, {0, 1, kAnySlot, root_slot::kMemory}).error == Error::NotSupported);
    uint64_t read_only =
        f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy, {kAnySlot, slot, rights::kRead, 0})
            .words[0];
    CHECK(f.invoke(root, read_only, FrameLabel::Split, {0, 1, kAnySlot, root_slot::kMemory}).error ==
          Error::MissingRights);
}

// Regression (found by the userspace test suite, error.frame_info_rights):
// Page.Info is a query and needs Read on the invoked capability.
TEST_CASE("Page.Info needs Read", "[vspace]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t page = f.create(ObjectType::Page, 1);
    uint64_t write_only =
        f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy, {kAnySlot, page, rights::kWrite, 0})
            .words[0];
    CHECK(f.invoke(root, write_only, FrameLabel::Info).error == Error::MissingRights);
    CHECK(f.invoke(root, page, FrameLabel::Info).error == Error::None);
}

// Regression (hardening review), decided: W^X holds across mappings of one frame, and the
// kernel's writes into an IPC buffer count as a writable use.
TEST_CASE("a frame is never writable through one mapping and executable through another", "[vspace][hardening]") {
    KernelFixture f;
    Task& root = f.root_task;
    const uint64_t page = f.create(ObjectType::Page, 1);
    const uint64_t copy =
        f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy, {kAnySlot, page, rights::kAll, 0})
            .words[0];
    const uint64_t other = f.create(ObjectType::VirtualSpace);
    constexpr uint64_t kRW = rights::kRead | rights::kWrite, kRX = rights::kRead | rights::kExecute;
    REQUIRE(f.invoke(root, root_slot::kVirtualSpace, VirtualSpaceLabel::Map, {page, 0x50'0000, kRW}).error ==
            Error::None);
    CHECK(f.invoke(root, other, VirtualSpaceLabel::Map, {copy, 0x50'0000, kRX}).error == Error::Busy);
    REQUIRE(f.invoke(root, other, VirtualSpaceLabel::Map, {copy, 0x50'0000, rights::kRead}).error == Error::None);
    CHECK(f.invoke(root, other, VirtualSpaceLabel::Protect, {copy, kRX}).error == Error::Busy);
    // Once the writable mapping is read-only, the other may execute; then it may not become writable again.
    REQUIRE(f.invoke(root, root_slot::kVirtualSpace, VirtualSpaceLabel::Protect, {page, rights::kRead}).error ==
            Error::None);
    REQUIRE(f.invoke(root, other, VirtualSpaceLabel::Protect, {copy, kRX}).error == Error::None);
    CHECK(f.invoke(root, root_slot::kVirtualSpace, VirtualSpaceLabel::Protect, {page, kRW}).error == Error::Busy);
    // An executable page cannot be an IPC buffer, and an IPC buffer cannot be mapped executable.
    Spawned task = f.spawn(100);
    CHECK(f.invoke(root, task.task_slot, TaskLabel::SetIpcBuffer, {page, 0x20000}).error == Error::Busy);
    const uint64_t buffer = task.buffer_slot;
    CHECK(f.invoke(root, other, VirtualSpaceLabel::Map, {buffer, 0x60'0000, kRX}).error == Error::Busy);
    // Unmapping gives the use back.
    REQUIRE(f.invoke(root, other, VirtualSpaceLabel::Unmap, {copy}).error == Error::None);
    CHECK(f.invoke(root, root_slot::kVirtualSpace, VirtualSpaceLabel::Protect, {page, kRW}).error == Error::None);
}
