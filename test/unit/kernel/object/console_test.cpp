#include "kernel_fixture.hpp"

using namespace vesta;
using namespace vesta::test;

TEST_CASE("Console.Write prints packed bytes; rights and lengths are checked", "[console]") {
    KernelFixture f;
    Task& root = f.root_task;
    const size_t before = arch::host_machine.console_bytes;
    // "hi!\n" packed little-endian in one word.
    REQUIRE(f.invoke(root, root_slot::kConsole, ConsoleLabel::Write, {4, 0x0a216968}).error == Error::None);
    CHECK(arch::host_machine.console_bytes == before + 4);
    CHECK(f.invoke(root, root_slot::kConsole, ConsoleLabel::Write, {0}).error == Error::None);
    CHECK(f.invoke(root, root_slot::kConsole, ConsoleLabel::Write, {9, 1}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, root_slot::kConsole, ConsoleLabel::Write, {}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, root_slot::kConsole, 3, {0}).error == Error::NotSupported);
    // Stop (label 2) is checked like Write; a valid Stop would end this
    // process (the host backend's stop_machine exits), so only its errors.
    CHECK(f.invoke(root, root_slot::kConsole, ConsoleLabel::Stop, {}).error == Error::InvalidArgument);
    uint64_t read_only = f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                                  {kAnySlot, root_slot::kConsole, rights::kRead, 0}).words[0];
    CHECK(f.invoke(root, read_only, ConsoleLabel::Write, {1, 0x41}).error == Error::MissingRights);
    CHECK(f.invoke(root, read_only, ConsoleLabel::Stop, {0}).error == Error::MissingRights);
    CHECK(arch::host_machine.console_bytes == before + 4);
    // Permanent: deleting the capability does not destroy it.
    REQUIRE(f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Delete, {read_only}).error ==
            Error::None);
}
