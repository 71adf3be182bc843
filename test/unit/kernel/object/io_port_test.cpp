#include "kernel_fixture.hpp"

using namespace vesta;
using namespace vesta::test;

TEST_CASE("I/O-port ranges are claimed without overlap and accessed within bounds", "[ioport]") {
    KernelFixture f;
    Task& root = f.root_task;
    auto get = [&](uint64_t first, uint64_t count) {
        return f.invoke(root, root_slot::kIoPortControl, IoPortControlLabel::Get,
                        {first, count, kAnySlot, root_slot::kMemory});
    };
    auto serial = get(0x3f8, 8);
    REQUIRE(serial.error == Error::None);
    uint64_t port = serial.words[0];
    CHECK(get(0x3f0, 9).error == Error::Busy);
    CHECK(get(0x3ff, 1).error == Error::Busy);
    CHECK(get(0x3f0, 8).error == Error::None); // adjacent is fine
    CHECK(get(0, 0).error == Error::OutOfRange);
    CHECK(get(0xffff, 2).error == Error::OutOfRange);
    CHECK(get(0x10000, 1).error == Error::OutOfRange);
    CHECK(f.invoke(root, root_slot::kIoPortControl, IoPortControlLabel::Get, {1, 1}).error == Error::InvalidArgument);
    CHECK(
        f.invoke(root, root_slot::kIoPortControl, IoPortControlLabel::Get, {1, 1, kAnySlot, root_slot::kTask}).error ==
        Error::WrongType);
    CHECK(f.invoke(root, root_slot::kIoPortControl, 5, {}).error == Error::NotSupported);

    REQUIRE(f.invoke(root, port, IoPortLabel::Out, {0x3f8, 1, 0x41}).error == Error::None);
    CHECK(arch::host_machine.io_ports[0x3f8] == 0x41);
    REQUIRE(f.invoke(root, port, IoPortLabel::Out, {0x3fc, 4, 0x11223344}).error == Error::None);
    auto in = f.invoke(root, port, IoPortLabel::In, {0x3fc, 2});
    REQUIRE(in.error == Error::None);
    CHECK(in.words[0] == 0x3344);
    CHECK(f.invoke(root, port, IoPortLabel::In, {0x3fe, 4}).error == Error::OutOfRange);
    CHECK(f.invoke(root, port, IoPortLabel::In, {0x3f7, 1}).error == Error::OutOfRange);
    CHECK(f.invoke(root, port, IoPortLabel::In, {0x3f8, 3}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, port, IoPortLabel::Out, {0x3f8, 1, 0x100}).error == Error::OutOfRange);
    CHECK(f.invoke(root, port, IoPortLabel::Out, {0x3f8, 1}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, port, IoPortLabel::In, {0x3f8}).error == Error::InvalidArgument);
    CHECK(f.invoke(root, port, 7, {}).error == Error::NotSupported);
    uint64_t read_only =
        f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy, {kAnySlot, port, rights::kRead, 0})
            .words[0];
    CHECK(f.invoke(root, read_only, IoPortLabel::Out, {0x3f8, 1, 1}).error == Error::MissingRights);
    uint64_t write_only =
        f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy, {kAnySlot, port, rights::kWrite, 0})
            .words[0];
    CHECK(f.invoke(root, write_only, IoPortLabel::In, {0x3f8, 1}).error == Error::MissingRights);
    uint64_t control_read_only = f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Copy,
                                          {kAnySlot, root_slot::kIoPortControl, rights::kRead, 0})
                                     .words[0];
    CHECK(f.invoke(root, control_read_only, IoPortControlLabel::Get, {0x60, 1, kAnySlot, root_slot::kMemory}).error ==
          Error::MissingRights);

    // Destroying the last capability releases the range.
    for (uint64_t slot : {port, read_only, write_only})
        REQUIRE(f.invoke(root, root_slot::kCapabilitySpace, CapabilitySpaceLabel::Delete, {slot}).error == Error::None);
    CHECK(get(0x3f8, 8).error == Error::None);
}

TEST_CASE("backends without I/O ports refuse them", "[ioport]") {
    KernelFixture f;
    arch::host_machine.io_ports_supported = false;
    CHECK(f.invoke(f.root_task, root_slot::kIoPortControl, IoPortControlLabel::Get,
                   {0x3f8, 8, kAnySlot, root_slot::kMemory})
              .error == Error::NotSupported);
}

// Regression (hardening review): `port + width` wrapped for ports near 2^64 and the port was then
// cut to 16 bits, reaching 0xfffc-0xffff from a capability for any range.
TEST_CASE("I/O-port accesses whose range arithmetic would wrap are refused", "[ioport][hardening]") {
    KernelFixture f;
    Task& root = f.root_task;
    auto claimed =
        f.invoke(root, root_slot::kIoPortControl, IoPortControlLabel::Get, {0x3f8, 8, kAnySlot, root_slot::kMemory});
    REQUIRE(claimed.error == Error::None);
    const uint64_t port = claimed.words[0];
    arch::host_machine.io_ports[0xfffc] = 0;
    for (uint64_t address :
         {~uint64_t{0} - 3, ~uint64_t{0} - 1, ~uint64_t{0}, uint64_t{0xfffc}, uint64_t{0x1'0000'03f8}}) {
        for (uint64_t width : {1, 2, 4}) {
            CHECK(f.invoke(root, port, IoPortLabel::In, {address, width}).error == Error::OutOfRange);
            CHECK(f.invoke(root, port, IoPortLabel::Out, {address, width, 0x12}).error == Error::OutOfRange);
        }
    }
    CHECK(arch::host_machine.io_ports[0xfffc] == 0);
    auto get = [&](uint64_t first, uint64_t count) {
        return f
            .invoke(root, root_slot::kIoPortControl, IoPortControlLabel::Get,
                    {first, count, kAnySlot, root_slot::kMemory})
            .error;
    };
    CHECK(get(0x10, ~uint64_t{0}) == Error::OutOfRange);
    CHECK(get(~uint64_t{0}, 2) == Error::OutOfRange);
    CHECK(get(0xfffe, ~uint64_t{0} - 0xfffd) == Error::OutOfRange);
}
