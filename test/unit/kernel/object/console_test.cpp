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
    // Label 2 was Stop: the console no longer stops the machine (System does).
    CHECK(f.invoke(root, root_slot::kConsole, 2, {0}).error == Error::NotSupported);
    uint64_t read_only = f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                                  {kAnySlot, root_slot::kConsole, rights::kRead, 0})
                             .words[0];
    CHECK(f.invoke(root, read_only, ConsoleLabel::Write, {1, 0x41}).error == Error::MissingRights);
    CHECK(arch::host_machine.console_bytes == before + 4);
    // Permanent: deleting the capability does not destroy it.
    REQUIRE(f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Delete, {read_only}).error ==
            Error::None);
}

TEST_CASE("stopping the machine needs the System capability, which only the root task has", "[console][system]") {
    KernelFixture f;
    Task& root = f.root_task;
    CHECK(f.slot(root_slot::kSystem).type() == ObjectType::System);
    // A task given the console cannot stop the machine with it (a hardening-review regression).
    Spawned child = f.spawn(100, 8);
    uint64_t console = f.give(child, root_slot::kConsole);
    CHECK(f.invoke(*child.task, console, 2, {0}).error == Error::NotSupported);
    // A valid PowerOff or Reboot would end this process (the host backend
    // exits), so only their errors; Info answers.
    CHECK(f.invoke(root, root_slot::kSystem, SystemLabel::PowerOff, {}).error == Error::InvalidArgument);
    uint64_t read_only = f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                                  {kAnySlot, root_slot::kSystem, rights::kRead, 0})
                             .words[0];
    CHECK(f.invoke(root, read_only, SystemLabel::PowerOff, {0}).error == Error::MissingRights);
    CHECK(f.invoke(root, read_only, SystemLabel::Reboot).error == Error::MissingRights);
    auto info = f.invoke(root, read_only, SystemLabel::Info);
    REQUIRE(info.error == Error::None);
    CHECK(info.words[1] == 0); // nothing queued for teardown
    uint64_t write_only = f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                                   {kAnySlot, root_slot::kSystem, rights::kWrite, 0})
                              .words[0];
    CHECK(f.invoke(root, write_only, SystemLabel::Info).error == Error::MissingRights);
    CHECK(f.invoke(root, root_slot::kSystem, 9).error == Error::NotSupported);
}
