#include "kernel_fixture.hpp"

using namespace vesta;
using namespace vesta::test;

TEST_CASE("the root task starts with its well-known slots", "[boot]") {
    KernelFixture f;
    CHECK(f.slot(root_slot::kCapabilitySpace).type() == ObjectType::CapabilitySpace);
    CHECK(f.slot(root_slot::kVirtualSpace).type() == ObjectType::VirtualSpace);
    CHECK(f.slot(root_slot::kTask).type() == ObjectType::Task);
    CHECK(f.slot(root_slot::kMemory).type() == ObjectType::Memory);
    CHECK(f.slot(root_slot::kIrqControl).type() == ObjectType::IrqControl);
    CHECK(f.slot(root_slot::kIoPortControl).type() == ObjectType::IoPortControl);
    CHECK(f.slot(root_slot::kFirstFree).empty());
    CHECK(f.root_task.state == TaskState::Running);
    CHECK(f.root_task.priority == KernelFixture::kRootPriority);
}
