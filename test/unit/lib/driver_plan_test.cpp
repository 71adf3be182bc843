// Tests of lib/driver_plan: the driver loader's grant planner. Plans for
// the real drivers' manifests on QEMU virt and the Raspberry Pi 3 and 4
// device trees and on a PC (no tree, I/O ports); every refusal, with its
// exact message; the claims table (all or nothing, release, provides);
// device-tree matching (most specific compatible first, disabled and
// claimed nodes).
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <fstream>
#include <lib/driver_plan.hpp>
#include <map>
#include <memory>
#include <platform/devicetree_platform.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "fixture.hpp"

using namespace vesta;
using namespace vesta::driver;

namespace {

std::string manifest_fixture(const std::string& name) {
    std::ifstream file(std::string(VESTA_MANIFEST_FIXTURE_DIR) + "/" + name, std::ios::binary);
    REQUIRE(file.good());
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

std::unique_ptr<manifest::Manifest> parsed(const std::string& text) {
    auto m = std::make_unique<manifest::Manifest>();
    manifest::Diagnostic diagnostic;
    const auto result = manifest::parse(text.data(), text.size(), m.get(), &diagnostic);
    INFO(diagnostic.location.line << ":" << diagnostic.location.column << ": " << diagnostic.text);
    REQUIRE(result.ok());
    return m;
}

const char* const kRootServices[] = {"fs::fs", "sys::procmgr", "sys::devregistry", "sys::devmgr", "sys::devloader"};

// A machine: a device tree (kept alive here) or none, RAM, I/O ports.
struct TestMachine {
    std::vector<uint8_t> blob;
    fdt::DeviceTree tree;
    std::vector<PhysicalRange> ram;
    Machine machine;

    static std::unique_ptr<TestMachine> pc() {
        auto m = std::make_unique<TestMachine>();
        m->ram = {{0x100000, 0x7f00000}};
        m->machine.io_ports = true;
        m->finish(false);
        return m;
    }
    static std::unique_ptr<TestMachine> with_tree(std::vector<uint8_t> blob, std::vector<PhysicalRange> ram) {
        auto m = std::make_unique<TestMachine>();
        m->blob = std::move(blob);
        auto opened = fdt::DeviceTree::open(m->blob.data(), m->blob.size());
        REQUIRE(opened.ok());
        m->tree = opened.value();
        m->ram = std::move(ram);
        m->finish(true);
        return m;
    }
    void finish(bool has_tree) {
        machine.tree = has_tree ? &tree : nullptr;
        machine.ram = ram.data();
        machine.ram_count = ram.size();
        machine.services = kRootServices;
        machine.service_count = std::size(kRootServices);
    }
};

std::unique_ptr<TestMachine> virt() {
    return TestMachine::with_tree(test::load_fixture("qemu-virt"), {{0x40000000, 0x20000000}});
}
std::unique_ptr<TestMachine> pi3() {
    // RAM as U-Boot reports it under QEMU (below the peripherals).
    return TestMachine::with_tree(test::load_pi_dtb("bcm2837-rpi-3-b"), {{0, 0x3c000000}});
}
std::unique_ptr<TestMachine> pi4() {
    return TestMachine::with_tree(test::load_pi_dtb("bcm2711-rpi-4-b"), {{0, 0x3b400000}, {0x40000000, 0xbc000000}});
}
std::unique_ptr<TestMachine> board() {
    return TestMachine::with_tree(test::load_fixture("driver_plan"), {{0x40000000, 0x10000000}});
}

// A plan that must be accepted.
std::unique_ptr<Plan> accepted(const manifest::Manifest& m, const Machine& machine, const Claims& claims) {
    auto p = std::make_unique<Plan>();
    Diagnostic why;
    const auto result = plan(m, machine, claims, p.get(), &why);
    char text[320];
    format_refusal(m.name, why, text, sizeof(text));
    INFO(text);
    REQUIRE(result.ok());
    CHECK(why.refusal == Refusal::None);
    return p;
}

// A plan that must be refused with `expected`; returns the formatted message.
std::string refused(const manifest::Manifest& m, const Machine& machine, const Claims& claims, Refusal expected) {
    auto p = std::make_unique<Plan>();
    Diagnostic why;
    const auto result = plan(m, machine, claims, p.get(), &why);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error() == expected);
    CHECK(why.refusal == expected);
    char text[320];
    format_refusal(m.name, why, text, sizeof(text));
    return text;
}

const Grant& grant_at(const Plan& p, size_t index) {
    REQUIRE(index < p.grant_count);
    return p.grants[index];
}

} // namespace

TEST_CASE("pcserial on a PC: ports, fixed lines on one note with their own badges, a service", "[driver_plan]") {
    const auto machine = TestMachine::pc();
    const auto m = parsed(manifest_fixture("pcserial.manifest"));
    Claims claims;
    const auto p = accepted(*m, machine->machine, claims);
    CHECK(std::string(p->driver) == "pcserial");
    CHECK_FALSE(p->has_node);
    REQUIRE(p->grant_count == 9); // 8 capabilities, 1 service
    const Grant& com1 = grant_at(*p, 0);
    CHECK(com1.kind == GrantKind::IoPort);
    CHECK(com1.slot == 0);
    CHECK_FALSE(com1.any_slot);
    CHECK(com1.port_first == 0x3f8);
    CHECK(com1.port_count == 8);
    CHECK(std::string(com1.entry) == "0:ioport");
    CHECK(grant_at(*p, 1).port_first == 0x2f8);
    CHECK(grant_at(*p, 2).kind == GrantKind::Note);
    const Grant& irq4 = grant_at(*p, 3);
    CHECK(irq4.kind == GrantKind::Irq);
    CHECK(irq4.line == 4);
    CHECK(irq4.note_grant == 2);
    CHECK(irq4.badge == 1);
    const Grant& irq3 = grant_at(*p, 4);
    CHECK(irq3.line == 3);
    CHECK(irq3.note_grant == 2);
    CHECK(irq3.badge == 2); // the second irq on that note
    for (size_t i = 5; i < 8; ++i) CHECK(grant_at(*p, i).any_slot);
    const Grant& service = grant_at(*p, 8);
    CHECK(service.kind == GrantKind::Service);
    CHECK(service.any_slot);
    CHECK(std::string(service.interface_name) == "sys::devregistry");
    CHECK(service.interface_id == interface_id("sys::devregistry"));

    REQUIRE(claims.add(*p, 1).ok());
    CHECK(claims.count() == 4); // two port ranges, two lines
    CHECK(claims.find(ClaimKind::Ports, 0x3ff, 0x400) != nullptr);
    CHECK(claims.find(ClaimKind::Ports, 0x400, 0x401) == nullptr);
    CHECK(claims.find(ClaimKind::Irq, 3, 4) != nullptr);
}

TEST_CASE("interface ids are FNV-1a of the qualified name (docs/idl.md)", "[driver_plan]") {
    CHECK(interface_id("dev::serial") == 0x5430284c);
    CHECK(interface_id("") == 0x811c9dc5);
}

TEST_CASE("pl011 on QEMU virt: the node's page and SPI 1", "[driver_plan]") {
    const auto machine = virt();
    const auto m = parsed(manifest_fixture("pl011.manifest"));
    Claims claims;
    const auto p = accepted(*m, machine->machine, claims);
    CHECK(p->has_node);
    CHECK(std::string(p->node_path) == "/pl011@9000000");
    const Grant& registers = grant_at(*p, 0);
    CHECK(registers.kind == GrantKind::DeviceMemory);
    CHECK(registers.physical == 0x9000000);
    CHECK(registers.pages == 1);
    CHECK(registers.register_address == 0x9000000);
    CHECK(registers.register_size == 0x1000);
    const Grant& irq = grant_at(*p, 2);
    CHECK(irq.line == 1);
    CHECK(irq.note_grant == 1);
    CHECK(irq.badge == 1);
    REQUIRE(claims.add(*p, 7).ok());
    CHECK(claims.count() == 3); // page, line, node

    // A second pl011 driver finds no node left.
    CHECK(refused(*m, machine->machine, claims, Refusal::NoMatchingNode) ==
          "pl011: 8:1: no device-tree node compatible with \"arm,pl011\" is left: /pl011@9000000 is driven by pl011");
    // Until the first one's process ends.
    claims.release(7);
    CHECK(claims.count() == 0);
    accepted(*m, machine->machine, claims);
}

TEST_CASE("bcm2835-aux on the Raspberry Pi 3 and 4: a register block inside a page, line 93", "[driver_plan]") {
    const auto m = parsed(manifest_fixture("bcm2835-aux.manifest"));
    Claims claims;
    for (auto& [machine, base] : {std::pair{pi3(), uint64_t{0x3f215000}}, std::pair{pi4(), uint64_t{0xfe215000}}}) {
        const auto p = accepted(*m, machine->machine, claims);
        CHECK(std::string(p->node_path) == "/soc/serial@7e215040");
        const Grant& registers = grant_at(*p, 0);
        CHECK(registers.physical == base);
        CHECK(registers.pages == 1);
        CHECK(registers.register_address == base + 0x40);
        CHECK(registers.register_size == 0x40);
        CHECK(grant_at(*p, 2).line == 93);
    }
}

TEST_CASE("Pi 3: the aux block's page is the mini-UART driver's: a driver for the aux node is refused",
          "[driver_plan]") {
    const auto machine = pi3();
    Claims claims;
    const auto uart = parsed(manifest_fixture("bcm2835-aux.manifest"));
    REQUIRE(claims.add(*accepted(*uart, machine->machine, claims), 1).ok());
    const auto aux = parsed("[driver]\nname = auxclk\n[devicetree]\ncompatible = \"brcm,bcm2835-aux\"\n"
                            "[capabilities]\n0:devmem = reg=0\n");
    CHECK(refused(*aux, machine->machine, claims, Refusal::DeviceMemoryHeld) ==
          "auxclk: 6:1: entry 0:devmem: device memory 0x3f215000-0x3f215fff (reg=0 of /soc/aux@7e215000: 0x3f215000, "
          "0x8 bytes, rounded out to whole pages) overlaps 0x3f215000-0x3f215fff held by bcm2835-aux (entry 0:devmem, "
          "line 12)");
}

TEST_CASE("refused: ports another driver holds", "[driver_plan]") {
    const auto machine = TestMachine::pc();
    Claims claims;
    const auto pcserial = parsed(manifest_fixture("pcserial.manifest"));
    REQUIRE(claims.add(*accepted(*pcserial, machine->machine, claims), 1).ok());
    const auto com1 = parsed("[driver]\nname = com1\n[capabilities]\n0:ioport = min=0x3fc, max=0x3fd\n");
    CHECK(refused(*com1, machine->machine, claims, Refusal::PortsHeld) ==
          "com1: 4:1: entry 0:ioport: ports 0x3fc-0x3fc overlap ports 0x3f8-0x3ff held by pcserial (entry 0:ioport, "
          "line 11)");
    // Adjacent ports are free.
    const auto beside = parsed("[driver]\nname = beside\n[capabilities]\n0:ioport = min=0x400, max=0x408\n");
    accepted(*beside, machine->machine, claims);
}

TEST_CASE("refused: an IRQ line another driver holds, fixed or from the node", "[driver_plan]") {
    {
        const auto machine = TestMachine::pc();
        Claims claims;
        REQUIRE(
            claims.add(*accepted(*parsed(manifest_fixture("pcserial.manifest")), machine->machine, claims), 1).ok());
        const auto other = parsed("[driver]\nname = mouse\n[capabilities]\n0:note =\n1:irq = irq=3, note=0\n");
        CHECK(refused(*other, machine->machine, claims, Refusal::IrqHeld) ==
              "mouse: 5:1: entry 1:irq: IRQ line 3 is held by pcserial (entry 4:irq, line 15)");
    }
    {
        const auto machine = virt();
        Claims claims;
        const auto rtc = parsed("[driver]\nname = rtc\n[capabilities]\n0:note =\n1:irq = irq=1, note=0\n");
        REQUIRE(claims.add(*accepted(*rtc, machine->machine, claims), 3).ok());
        CHECK(refused(*parsed(manifest_fixture("pl011.manifest")), machine->machine, claims, Refusal::IrqHeld) ==
              "pl011: 14:1: entry 2:irq: IRQ line 1 (interrupt=0 of /pl011@9000000) is held by rtc (entry 1:irq, line "
              "5)");
    }
}

TEST_CASE("refused: device memory over RAM", "[driver_plan]") {
    const auto machine = virt();
    Claims claims;
    const auto fixed = parsed("[driver]\nname = ramgrab\n[capabilities]\n0:devmem = base=0x5ffff000, size=0x2000\n");
    CHECK(refused(*fixed, machine->machine, claims, Refusal::DeviceMemoryOverRam) ==
          "ramgrab: 4:1: entry 0:devmem: device memory 0x5ffff000-0x60000fff overlaps RAM 0x40000000-0x5fffffff");
    const auto b = board();
    const auto liar = parsed("[driver]\nname = liar\n[devicetree]\ncompatible = \"acme,liar\"\n"
                             "[capabilities]\n0:devmem = reg=0\n");
    Machine wrapping = machine->machine;
    const PhysicalRange top[] = {{0xfffffffffff00000, 0x200000}}; // wraps: taken as reaching the top
    wrapping.ram = top;
    wrapping.ram_count = 1;
    const auto high =
        parsed("[driver]\nname = high\n[capabilities]\n0:devmem = base=0xffffffffffff0000, size=0x1000\n");
    CHECK(refused(*high, wrapping, claims, Refusal::DeviceMemoryOverRam) ==
          "high: 4:1: entry 0:devmem: device memory 0xffffffffffff0000-0xffffffffffff0fff overlaps RAM "
          "0xfffffffffff00000-0xffffffffffffffff");
    CHECK(refused(*liar, b->machine, claims, Refusal::DeviceMemoryOverRam) ==
          "liar: 6:1: entry 0:devmem: device memory 0x40001000-0x40001fff (reg=0 of /liar@40001000) overlaps RAM "
          "0x40000000-0x4fffffff");
}

TEST_CASE("refused: device memory another driver holds", "[driver_plan]") {
    const auto machine = virt();
    Claims claims;
    REQUIRE(claims.add(*accepted(*parsed(manifest_fixture("pl011.manifest")), machine->machine, claims), 1).ok());
    const auto grab = parsed("[driver]\nname = grab\n[capabilities]\n0:devmem = base=0x8fff000, size=0x3000\n");
    CHECK(refused(*grab, machine->machine, claims, Refusal::DeviceMemoryHeld) ==
          "grab: 4:1: entry 0:devmem: device memory 0x8fff000-0x9001fff overlaps 0x9000000-0x9000fff held by pl011 "
          "(entry 0:devmem, line 12)");
}

TEST_CASE("refused: reg= and interrupt= indices the node does not have", "[driver_plan]") {
    const auto machine = virt();
    Claims claims;
    const auto reg = parsed("[driver]\nname = pl011b\n[devicetree]\ncompatible = \"arm,pl011\"\n"
                            "[capabilities]\n0:devmem = reg=1\n");
    CHECK(refused(*reg, machine->machine, claims, Refusal::NoSuchReg) ==
          "pl011b: 6:1: entry 0:devmem: reg=1, but /pl011@9000000 has 1 reg entry");
    const auto irq = parsed("[driver]\nname = pl011b\n[devicetree]\ncompatible = \"arm,pl011\"\n"
                            "[capabilities]\n0:note =\n1:irq = interrupt=1, note=0\n");
    CHECK(refused(*irq, machine->machine, claims, Refusal::NoSuchInterrupt) ==
          "pl011b: 7:1: entry 1:irq: interrupt=1, but /pl011@9000000 has 1 interrupt");
    const auto b = board();
    const auto quiet = parsed("[driver]\nname = quiet\n[devicetree]\ncompatible = \"acme,quiet\"\n"
                              "[capabilities]\n0:note =\n1:irq = interrupt=0, note=0\n");
    CHECK(refused(*quiet, b->machine, claims, Refusal::NoSuchInterrupt) ==
          "quiet: 7:1: entry 1:irq: interrupt=0, but /soc/quiet@7e400000 has no interrupts");
    const auto twin = parsed("[driver]\nname = twin\n[devicetree]\ncompatible = \"acme,twin\"\n"
                             "[capabilities]\n0:devmem = reg=3\n");
    CHECK(refused(*twin, b->machine, claims, Refusal::NoSuchReg) ==
          "twin: 6:1: entry 0:devmem: reg=3, but /soc/twin@7e200000 has 3 reg entries");
}

TEST_CASE("refused: a node that does not exist, is disabled, or is not memory-mapped", "[driver_plan]") {
    const auto b = board();
    Claims claims;
    const auto none = parsed("[driver]\nname = ghost\n[devicetree]\ncompatible = \"acme,ghost\", \"acme,spirit\"\n"
                             "[capabilities]\n0:devmem = reg=0\n");
    CHECK(refused(*none, b->machine, claims, Refusal::NoMatchingNode) ==
          "ghost: 3:1: no device-tree node matches: none is compatible with \"acme,ghost\", \"acme,spirit\"");
    const auto off = parsed("[driver]\nname = off\n[devicetree]\ncompatible = \"acme,off\"\n");
    CHECK(refused(*off, b->machine, claims, Refusal::NoMatchingNode) ==
          "off: 3:1: no device-tree node compatible with \"acme,off\" is enabled (1 disabled)");
    const auto sensor = parsed("[driver]\nname = sensor\n[devicetree]\ncompatible = \"acme,sensor\"\n"
                               "[capabilities]\n0:devmem = reg=0\n");
    CHECK(refused(*sensor, b->machine, claims, Refusal::RegUnusable) ==
          "sensor: 6:1: entry 0:devmem: reg=0 of /i2c/sensor@50 cannot be translated to a CPU address: "
          "bus has no ranges property (not memory-mapped)");
    const auto empty = parsed("[driver]\nname = empty\n[devicetree]\ncompatible = \"acme,empty\"\n"
                              "[capabilities]\n0:devmem = reg=0\n");
    CHECK(refused(*empty, b->machine, claims, Refusal::RegUnusable) ==
          "empty: 6:1: entry 0:devmem: reg=0 of /soc/empty@7e300000 is empty (size 0)");
}

TEST_CASE("refused: [devicetree] without a device tree, ioport without I/O ports", "[driver_plan]") {
    Claims claims;
    CHECK(refused(*parsed(manifest_fixture("pl011.manifest")), TestMachine::pc()->machine, claims,
                  Refusal::NoDeviceTree) ==
          "pl011: 8:1: [devicetree] asks for a node compatible with \"arm,pl011\", but this machine has no device "
          "tree");
    CHECK(refused(*parsed(manifest_fixture("pcserial.manifest")), virt()->machine, claims, Refusal::NoIoPorts) ==
          "pcserial: 11:1: entry 0:ioport: ports 0x3f8-0x3ff asked for, but this machine has no I/O ports");
}

TEST_CASE("refused: an interrupt without an IrqControl line", "[driver_plan]") {
    const auto b = board();
    Claims claims;
    const auto percpu = parsed("[driver]\nname = percpu\n[devicetree]\ncompatible = \"acme,percpu\"\n"
                               "[capabilities]\n0:note =\n1:irq = interrupt=0, note=0\n");
    CHECK(refused(*percpu, b->machine, claims, Refusal::InterruptUnusable) ==
          std::string("percpu: 7:1: entry 1:irq: interrupt=0 of /soc/percpu@7e500000 has no IRQ line: ") +
              platform::message(platform::IrqLineError::PerCpuInterrupt));
}

TEST_CASE("refused: two entries of one manifest on the same line or page", "[driver_plan]") {
    const auto b = board();
    Claims claims;
    const auto twin = parsed("[driver]\nname = twin\n[devicetree]\ncompatible = \"acme,twin\"\n"
                             "[capabilities]\n0:devmem = reg=0\n1:devmem = reg=1\n");
    CHECK(refused(*twin, b->machine, claims, Refusal::GrantsOverlap) ==
          "twin: 7:1: entry 1:devmem: device memory 0x3f200000-0x3f200fff (reg=1 of /soc/twin@7e200000: 0x3f200080, "
          "0x40 bytes, rounded out to whole pages) shares pages with 0x3f200000-0x3f200fff of the entry at line 6 "
          "(0:devmem)");
    // reg 0 and reg 2 are in different pages.
    const auto apart = parsed("[driver]\nname = twin\n[devicetree]\ncompatible = \"acme,twin\"\n"
                              "[capabilities]\n0:devmem = reg=0\n1:devmem = reg=2\n");
    const auto p = accepted(*apart, b->machine, claims);
    CHECK(grant_at(*p, 1).physical == 0x3f201000);
    // A fixed line that is also the node's interrupt.
    const auto lines = parsed("[driver]\nname = lines\n[devicetree]\ncompatible = \"arm,pl011\"\n"
                              "[capabilities]\n0:note =\n1:irq = irq=1, note=0\n2:irq = interrupt=0, note=0\n");
    CHECK(refused(*lines, virt()->machine, claims, Refusal::GrantsOverlap) ==
          "lines: 8:1: entry 2:irq: IRQ line 1 (interrupt=0 of /pl011@9000000) is already granted by the entry at "
          "line 7 (1:irq)");
    // A fixed range that overlaps the node's.
    const auto pages = parsed("[driver]\nname = pages\n[devicetree]\ncompatible = \"arm,pl011\"\n"
                              "[capabilities]\n0:devmem = base=0x9000000, size=0x1000\n1:devmem = reg=0\n");
    CHECK(refused(*pages, virt()->machine, claims, Refusal::GrantsOverlap) ==
          "pages: 7:1: entry 1:devmem: device memory 0x9000000-0x9000fff (reg=0 of /pl011@9000000) shares pages with "
          "0x9000000-0x9000fff of the entry at line 6 (0:devmem)");
}

TEST_CASE("services: qualified, unqualified, provided by a running driver, nobody, ambiguous", "[driver_plan]") {
    const auto machine = TestMachine::pc();
    Claims claims;
    const auto unqualified = parsed("[driver]\nname = a\n[services]\ndevmgr =\nfs::fs =\n");
    const auto p = accepted(*unqualified, machine->machine, claims);
    REQUIRE(p->grant_count == 2);
    CHECK(std::string(p->grants[0].interface_name) == "sys::devmgr");
    CHECK(p->grants[0].interface_id == interface_id("sys::devmgr"));
    CHECK(std::string(p->grants[1].interface_name) == "fs::fs");

    const auto dns = parsed("[driver]\nname = b\n[services]\nnet::dns =\n");
    CHECK(refused(*dns, machine->machine, claims, Refusal::ServiceNotProvided) ==
          "b: 4:1: service 'net::dns' is provided by no one (provided: fs::fs, sys::procmgr, sys::devregistry, "
          "sys::devmgr, sys::devloader)");

    // A running driver provides it; its end takes the service away again.
    const auto server = parsed("[driver]\nname = resolver\n[provides]\nnet::dns =\nalt::devmgr =\n");
    REQUIRE(claims.add(*accepted(*server, machine->machine, claims), 5).ok());
    CHECK(claims.provided_count() == 2);
    CHECK(std::string(accepted(*dns, machine->machine, claims)->grants[0].interface_name) == "net::dns");
    CHECK(refused(*unqualified, machine->machine, claims, Refusal::ServiceAmbiguous) ==
          "a: 4:1: service 'devmgr' could be sys::devmgr or alt::devmgr: qualify it");
    claims.release(5);
    CHECK(claims.provided_count() == 0);
    refused(*dns, machine->machine, claims, Refusal::ServiceNotProvided);

    Machine bare = machine->machine;
    bare.service_count = 0;
    CHECK(refused(*dns, bare, claims, Refusal::ServiceNotProvided) ==
          "b: 4:1: service 'net::dns' is provided by no one (provided: nothing)");
}

TEST_CASE("matching: the most specific compatible first, then document order; disabled and claimed nodes skipped",
          "[driver_plan]") {
    const auto b = board();
    Claims claims;
    const auto widget = parsed("[driver]\nname = widget\n[devicetree]\ncompatible = \"acme,widget\"\n"
                               "[capabilities]\n0:devmem = reg=0\n1:note =\n2:irq = interrupt=1, note=1\n");
    // widget@7e100000 lists acme,widget second; widget@7e101000 first.
    const auto first = accepted(*widget, b->machine, claims);
    CHECK(std::string(first->node_path) == "/soc/widget@7e101000");
    CHECK(first->grants[0].physical == 0x3f101000);
    CHECK(first->grants[2].line == 12); // its second interrupt: SPI 12
    REQUIRE(claims.add(*first, 1).ok());
    // The next driver with that manifest gets the generic one, which has one interrupt only.
    CHECK(refused(*widget, b->machine, claims, Refusal::NoSuchInterrupt) ==
          "widget: 8:1: entry 2:irq: interrupt=1, but /soc/widget@7e100000 has 1 interrupt");
    const auto simple = parsed("[driver]\nname = widget\n[devicetree]\ncompatible = \"acme,widget\"\n");
    const auto second = accepted(*simple, b->machine, claims);
    CHECK(std::string(second->node_path) == "/soc/widget@7e100000");
    REQUIRE(claims.add(*second, 2).ok());
    // The third is disabled: none left, and the message names who drives one.
    CHECK(refused(*simple, b->machine, claims, Refusal::NoMatchingNode) ==
          "widget: 3:1: no device-tree node compatible with \"acme,widget\" is left: /soc/widget@7e100000 is driven "
          "by widget");
    // A manifest listing the specific string first still ranks by the node's list.
    claims.release(1);
    claims.release(2);
    const auto both = parsed("[driver]\nname = v2\n[devicetree]\ncompatible = \"acme,widget-v2\", "
                             "\"acme,widget\"\n");
    CHECK(std::string(accepted(*both, b->machine, claims)->node_path) == "/soc/widget@7e100000");
}

TEST_CASE("the claims table: all or nothing when full, release by owner", "[driver_plan]") {
    const auto machine = TestMachine::pc();
    auto claims = std::make_unique<Claims>();
    // Each driver claims one line; fill the table.
    auto make = [](uint32_t line) {
        return "[driver]\nname = d" + std::to_string(line) +
               "\n[capabilities]\n0:note =\n1:irq = irq=" + std::to_string(line) + ", note=0\n";
    };
    for (uint32_t line = 0; line < Claims::kMaxClaims; ++line)
        REQUIRE(claims->add(*accepted(*parsed(make(line)), machine->machine, *claims), line + 1).ok());
    CHECK(claims->count() == Claims::kMaxClaims);
    const auto p = accepted(*parsed(make(500)), machine->machine, *claims);
    CHECK(claims->add(*p, 999).error() == Error::OutOfRange);
    CHECK(claims->count() == Claims::kMaxClaims);
    CHECK(claims->find(ClaimKind::Irq, 500, 501) == nullptr);
    claims->release(10); // line 9
    CHECK(claims->count() == Claims::kMaxClaims - 1);
    CHECK(claims->find(ClaimKind::Irq, 9, 10) == nullptr);
    CHECK(claims->find(ClaimKind::Irq, 8, 9) != nullptr);
    REQUIRE(claims->add(*p, 999).ok());
    claims->release(12345); // holds nothing
    CHECK(claims->count() == Claims::kMaxClaims);
}

TEST_CASE("refusal messages are cut to the buffer, and name the driver alone without a location", "[driver_plan]") {
    Diagnostic why;
    why.refusal = Refusal::NoMatchingNode;
    std::strcpy(why.text, "no device-tree node matches");
    char text[64];
    CHECK(format_refusal("pl011", why, text, sizeof(text)) == std::strlen("pl011: no device-tree node matches"));
    CHECK(std::string(text) == "pl011: no device-tree node matches");
    why.location = {3, 1};
    char small[10];
    format_refusal("pl011", why, small, sizeof(small));
    CHECK(std::string(small) == "pl011: 3:");
    for (auto refusal : {Refusal::None, Refusal::NoDeviceTree, Refusal::GrantsOverlap, Refusal::ServiceAmbiguous})
        CHECK(std::strlen(message(refusal)) > 0);
}

TEST_CASE("node paths: the root, nested nodes, cut with dots", "[driver_plan]") {
    const auto b = board();
    char path[64];
    node_path(b->tree, b->tree.root(), path, sizeof(path));
    CHECK(std::string(path) == "/");
    const auto sensor = b->tree.find_path("/i2c/sensor@50");
    REQUIRE(sensor.ok());
    node_path(b->tree, sensor.value(), path, sizeof(path));
    CHECK(std::string(path) == "/i2c/sensor@50");
    char small[8];
    node_path(b->tree, sensor.value(), small, sizeof(small));
    CHECK(std::string(small) == "/i2c...");
    char exact[15]; // "/i2c/sensor@50" and its NUL: not cut
    node_path(b->tree, sensor.value(), exact, sizeof(exact));
    CHECK(std::string(exact) == "/i2c/sensor@50");
}

TEST_CASE("framebuffer: the loader's framebuffer as device memory, once, never without one", "[driver_plan]") {
    auto pc = TestMachine::pc();
    Claims claims;
    const auto fbcon = parsed("[driver]\nname = fbcon\n[capabilities]\n0:framebuffer =\n_:memory = pages=16\n");
    CHECK(refused(*fbcon, pc->machine, claims, Refusal::NoFramebuffer) ==
          "fbcon: 4:1: entry 0:framebuffer: the machine has no framebuffer (the loader found no graphics output)");

    pc->machine.framebuffer = {0x80000000, 1280 * 800 * 4 + 100}; // not a whole number of pages
    const auto p = accepted(*fbcon, pc->machine, claims);
    const Grant& fb = grant_at(*p, 0);
    CHECK(fb.kind == GrantKind::DeviceMemory);
    CHECK(fb.framebuffer);
    CHECK(fb.physical == 0x80000000);
    CHECK(fb.pages == (1280 * 800 * 4 + 100 + 4095) / 4096);
    CHECK(fb.register_address == 0x80000000);
    CHECK(fb.register_size == 1280 * 800 * 4 + 100);
    CHECK_FALSE(grant_at(*p, 1).framebuffer);

    REQUIRE(claims.add(*p, 7).ok());
    const auto second = parsed("[driver]\nname = second\n[capabilities]\n3:framebuffer =\n");
    CHECK(refused(*second, pc->machine, claims, Refusal::DeviceMemoryHeld) ==
          "second: 4:1: entry 3:framebuffer: device memory 0x80000000-0x803e8fff (the framebuffer) overlaps "
          "0x80000000-0x803e8fff held by fbcon (entry 0:framebuffer, line 4)");
    const auto peek = parsed("[driver]\nname = peek\n[capabilities]\n0:devmem = base=0x80100000, size=0x1000\n");
    CHECK(refused(*peek, pc->machine, claims, Refusal::DeviceMemoryHeld).find("held by fbcon") != std::string::npos);
    claims.release(7);
    CHECK(accepted(*second, pc->machine, claims)->grants[0].framebuffer);

    // Inside what the machine calls RAM (QEMU's ramfb on virt): granted, the
    // kernel typed it Framebuffer and made a DeviceMemory capability for it.
    pc->machine.framebuffer = {0x200000, 0x1000};
    CHECK(accepted(*second, pc->machine, claims)->grants[0].physical == 0x200000);
    pc->machine.framebuffer = {0xfffffffffffff000, 0x2000};
    CHECK(refused(*second, pc->machine, claims, Refusal::RegUnusable) ==
          "second: 4:1: entry 3:framebuffer: the framebuffer (0xfffffffffffff000, 0x2000 bytes) wraps around the "
          "address space");
    const auto both = parsed("[driver]\nname = both\n[capabilities]\n0:framebuffer =\n"
                             "1:devmem = base=0x80000000, size=0x1000\n");
    pc->machine.framebuffer = {0x80000000, 0x10000};
    CHECK(refused(*both, pc->machine, claims, Refusal::GrantsOverlap).find("shares pages with") != std::string::npos);
}

namespace {

// Registers a virtio probe reads: physical address → value; anything else unreadable.
struct DeviceRegisters {
    std::map<uint64_t, uint32_t> words;
    int reads = 0;
    static bool read(void* context, uint64_t physical, uint32_t* value) {
        auto& self = *static_cast<DeviceRegisters*>(context);
        ++self.reads;
        const auto found = self.words.find(physical);
        if (found == self.words.end()) return false;
        *value = found->second;
        return true;
    }
    // QEMU virt's 32 transports, 0x200 apart from 0xa000000, all empty.
    void empty_virt_transports() {
        for (uint64_t i = 0; i < 32; ++i) {
            words[0xa000000 + i * 0x200] = 0x74726976;
            words[0xa000000 + i * 0x200 + 8] = 0;
        }
    }
};

const char* const kVirtioInput = "[driver]\nname = virtio-input\n[devicetree]\ncompatible = \"virtio,mmio\"\n"
                                 "virtio-device = 18\n[capabilities]\n0:devmem = reg=0\n1:note =\n"
                                 "2:irq = interrupt=0, note=1\n";

} // namespace

TEST_CASE("virtio-device: only the transport that holds that device matches", "[driver_plan]") {
    const auto v = virt();
    DeviceRegisters registers;
    registers.empty_virt_transports();
    registers.words[0xa003e00 + 8] = 18; // the last transport: a keyboard (where QEMU puts the first device)
    registers.words[0xa003c00 + 8] = 2;  // the one before: a block device
    v->machine.read_device = DeviceRegisters::read;
    v->machine.read_device_context = &registers;
    Claims claims;
    const auto m = parsed(kVirtioInput);
    CHECK(m->virtio_device == 18);
    const auto p = accepted(*m, v->machine, claims);
    CHECK(std::string(p->node_path) == "/virtio_mmio@a003e00");
    CHECK(p->grants[0].physical == 0xa003000);
    CHECK(p->grants[0].register_address == 0xa003e00);
    CHECK(p->grants[0].register_size == 0x200);
    CHECK(p->grants[2].line == 47); // SPI 16 + 31
    CHECK(registers.reads == 64);   // magic and DeviceID of each transport
    // Taken: the next load finds none left and says who has it (claimed
    // nodes are skipped before probing: 62 more reads for the other 31).
    REQUIRE(claims.add(*p, 1).ok());
    CHECK(refused(*m, v->machine, claims, Refusal::NoMatchingNode) ==
          "virtio-input: 3:1: no device-tree node compatible with \"virtio,mmio\" is left: /virtio_mmio@a003e00 is "
          "driven by virtio-input");
    CHECK(registers.reads == 64 + 62);
}

TEST_CASE("virtio-device: empty, foreign and unreadable transports; a machine that cannot probe", "[driver_plan]") {
    const auto v = virt();
    Claims claims;
    const auto m = parsed(kVirtioInput);
    CHECK(refused(*m, v->machine, claims, Refusal::NoMatchingNode) ==
          "virtio-input: 3:1: no virtio-mmio transport holds a device of type 18 (0 empty, 0 with other devices, 0 "
          "not virtio-mmio, 32 unreadable)");
    DeviceRegisters registers;
    registers.empty_virt_transports();
    registers.words[0xa000000] = 0xffffffff; // not virtio
    registers.words.erase(0xa000208);        // DeviceID unreadable
    v->machine.read_device = DeviceRegisters::read;
    v->machine.read_device_context = &registers;
    CHECK(refused(*m, v->machine, claims, Refusal::NoMatchingNode) ==
          "virtio-input: 3:1: no virtio-mmio transport holds a device of type 18 (30 empty, 0 with other devices, 1 "
          "not virtio-mmio, 1 unreadable)");
    // Without virtio-device the first transport matches and nothing is read.
    registers.reads = 0;
    const auto plain = parsed("[driver]\nname = any\n[devicetree]\ncompatible = \"virtio,mmio\"\n");
    CHECK(plain->virtio_device == 0);
    CHECK(std::string(accepted(*plain, v->machine, claims)->node_path).rfind("/virtio_mmio@a00", 0) == 0);
    CHECK(registers.reads == 0);
}
