// userland/drivers/tests/devtest.cpp — a driver for the suite's `devloader.`
// tests: it checks that the loader gave it exactly what its manifest asks
// for — those capabilities at those slots, nothing else, no standard slots —
// and that they work, then exits with status 0, or with the source line of
// the first check that failed (its supervisor reads the status).
#include <sys/devregistry.ipc.hpp>
#include <user/manifest.hpp>
#include <user/runtime.hpp>

#if defined(__x86_64__)
// COM2's ports and line: the test kernel's console is COM1.
VESTA_MANIFEST(R"(# devtest: the suite's devloader. tests grant these and check them.
[driver]
name = devtest
desc = "Test driver: checks that it got exactly its manifest"
restart = never

[capabilities]
0:ioport = min=0x2f8, max=0x300
1:note =
2:irq = irq=3, note=1
_:memory = pages=16
_:cspace = self
_:vspace = self

[services]
sys::devregistry =
)");
#else
// QEMU virt's PL031 real-time clock: its node's page and SPI 2.
VESTA_MANIFEST(R"(# devtest: the suite's devloader. tests grant these and check them.
[driver]
name = devtest
desc = "Test driver: checks that it got exactly its manifest"
restart = never

[devicetree]
compatible = "arm,pl031"

[capabilities]
0:devmem = reg=0
1:note =
2:irq = interrupt=0, note=1
_:memory = pages=16
_:cspace = self
_:vspace = self

[services]
sys::devregistry =
)");
#endif

using namespace vesta;
using namespace vesta::user;

namespace {

#define CHECK(condition)                                                                                               \
    do {                                                                                                               \
        if (!(condition)) exit(__LINE__);                                                                              \
    } while (0)

constexpr uint64_t kSlotsChecked = 64; // SpawnOptions::cspace_slots of the tests

ObjectType type_at(uint64_t slot) {
    const InvokeResult info = invoke(runtime.cspace, CapabilitySpaceLabel::Info, slot);
    return info.error == Error::None ? static_cast<ObjectType>(info.words[0]) : ObjectType::None;
}

} // namespace

void main(uint64_t) {
    // Exactly the block's capabilities, before this program makes any.
    CHECK(runtime.cspace != kNoSlot && runtime.vspace != kNoSlot && runtime.memory != kNoSlot);
    uint64_t held = 0;
    for (uint64_t slot = 0; slot < kSlotsChecked; ++slot)
        if (type_at(slot) != ObjectType::None) ++held;
    CHECK(held == runtime.startup.capability_count());
    CHECK(held == 7); // 3 fixed, memory, cspace, vspace, one service
    // No standard slots: no Task, no Console.
    CHECK(runtime.self_task == kNoSlot && runtime.console == kNoSlot);
    CHECK(type_at(1) == ObjectType::Notification);
    CHECK(type_at(2) == ObjectType::IrqHandler);
    CHECK(capability_with_note("irq") == 2);
    const uint64_t registry = service(vesta::proto::sys::devregistry::kId);
    CHECK(registry != kNoSlot && type_at(registry) == ObjectType::Endpoint);
    const InvokeResult pool = invoke(runtime.memory, MemoryLabel::Info);
    CHECK(pool.error == Error::None && pool.words[0] == 16);
#if defined(__x86_64__)
    CHECK(type_at(0) == ObjectType::IoPort);
    CHECK(invoke(0, IoPortLabel::In, 0x2ff, 1).error == Error::None); // COM2's scratch register
    CHECK(invoke(0, IoPortLabel::In, 0x300, 1).error == Error::OutOfRange);
    CHECK(invoke(0, IoPortLabel::In, 0x3f8, 1).error == Error::OutOfRange);
#else
    CHECK(type_at(0) == ObjectType::DeviceMemory);
    const InvokeResult frame = invoke(0, FrameLabel::Info);
    CHECK(frame.error == Error::None && frame.words[1] == 1);
    const auto address = map_frame(0, rights::kRead | rights::kWrite);
    CHECK(address.ok());
    // PL031 peripheral id register 0: 0x31.
    CHECK((*reinterpret_cast<volatile uint32_t*>(address.value() + 0xfe0) & 0xff) == 0x31);
#endif
    exit(0);
}
