#include "kernel_fixture.hpp"
#include <console.hpp>
#include <log.hpp>
#include <object/frame.hpp>

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
    CHECK(f.invoke(root, root_slot::kConsole, 4, {0}).error == Error::NotSupported);
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

TEST_CASE("Console.Read returns what the kernel logged, with what the ring lost", "[console][log]") {
    KernelFixture f;
    Task& root = f.root_task;
    const uint64_t start = kernel_log().end();
    REQUIRE(f.invoke(root, root_slot::kConsole, ConsoleLabel::Write, {5, 0x6f6c6c6568}).error ==
            Error::None); // "hello"
    // The root task has no IPC buffer of its own in the fixture: give it one.
    const uint64_t page = f.create(ObjectType::Page, 1);
    REQUIRE(f.invoke(root, root_slot::kTask, TaskLabel::SetIpcBuffer, {page, 0x7000'0000}).error == Error::None);
    auto read = f.invoke(root, root_slot::kConsole, ConsoleLabel::Read, {start});
    REQUIRE(read.error == Error::None);
    CHECK(read.words[0] == start + 5);
    CHECK(read.words[1] == 5);
    CHECK(read.words[2] == 0);
    CHECK((root.ipc_buffer()->words[0] & 0xff'ffff'ffff) == 0x6f6c6c6568);
    // From before the oldest byte kept: the gap is reported.
    if (kernel_log().end() > KernelLog::kBytes) {
        auto old = f.invoke(root, root_slot::kConsole, ConsoleLabel::Read, {0});
        CHECK(old.words[2] == kernel_log().end() - KernelLog::kBytes);
    }
    // Past the end: nothing, no error.
    auto ahead = f.invoke(root, root_slot::kConsole, ConsoleLabel::Read, {kernel_log().end() + 100});
    CHECK(ahead.words[1] == 0);
    uint64_t write_only = f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                                   {kAnySlot, root_slot::kConsole, rights::kWrite, 0})
                              .words[0];
    CHECK(f.invoke(root, write_only, ConsoleLabel::Read, {0}).error == Error::MissingRights);
    CHECK(f.invoke(root, root_slot::kConsole, ConsoleLabel::Read, {}).error == Error::InvalidArgument);
}

TEST_CASE("System.ReleaseConsole hands the UART to a driver once; the kernel then only logs", "[console][system]") {
    KernelFixture f;
    Task& root = f.root_task;
    uint64_t read_only = f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                                  {kAnySlot, root_slot::kSystem, rights::kRead, 0})
                             .words[0];
    CHECK(f.invoke(root, read_only, SystemLabel::ReleaseConsole, {kAnySlot, root_slot::kMemory}).error ==
          Error::MissingRights);
    SECTION("a port console: the ports become claimable") {
        arch::host_machine.console_device = {arch::ConsoleDevice::Kind::IoPorts, 0x3f8, 8};
        auto released = f.invoke(root, root_slot::kSystem, SystemLabel::ReleaseConsole, {kAnySlot, root_slot::kMemory});
        REQUIRE(released.error == Error::None);
        CHECK(released.words[0] == kNoSlot);
        CHECK(released.words[1] == 1);
        CHECK(released.words[2] == 0x3f8);
        CHECK(released.words[3] == 8);
    }
    SECTION("an MMIO console: its registers arrive as device memory") {
        arch::host_machine.console_device = {arch::ConsoleDevice::Kind::Mmio, 0x900'0000, kPageSize};
        auto released = f.invoke(root, root_slot::kSystem, SystemLabel::ReleaseConsole, {kAnySlot, root_slot::kMemory});
        REQUIRE(released.error == Error::None);
        CHECK(f.slot(released.words[0]).type() == ObjectType::DeviceMemory);
        CHECK(f.object<DeviceMemory>(released.words[0]).physical == 0x900'0000);
        CHECK(released.words[1] == 2);
    }
    CHECK_FALSE(kernel_log().echo);
    const size_t echoed = arch::host_machine.console_bytes;
    print("vesta: after the hand-over\n");
    CHECK(arch::host_machine.console_bytes == echoed); // logged, not written to the UART
    CHECK(f.invoke(root, root_slot::kSystem, SystemLabel::ReleaseConsole, {kAnySlot, root_slot::kMemory}).error ==
          Error::Busy);
    kernel_log().echo = true; // the log is one per process: give the other tests their console back
}
