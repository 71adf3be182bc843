// Tests of lib/manifest: valid manifests parse into the documented struct
// (every type, defaults, the fixtures under test/unit/fixtures/manifests).
#include <catch2/catch_test_macros.hpp>
#include <fstream>
#include <lib/manifest.hpp>
#include <memory>
#include <sstream>
#include <string>

using namespace vesta::manifest;

namespace {

std::string fixture(const std::string& name) {
    std::ifstream file(std::string(VESTA_MANIFEST_FIXTURE_DIR) + "/" + name, std::ios::binary);
    REQUIRE(file.good());
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// Parses `text`, requiring success.
std::unique_ptr<Manifest> parsed(const std::string& text) {
    auto manifest = std::make_unique<Manifest>();
    Diagnostic diagnostic;
    const Result<void> result = parse(text.data(), text.size(), manifest.get(), &diagnostic);
    INFO(diagnostic.location.line << ":" << diagnostic.location.column << ": " << diagnostic.text);
    REQUIRE(result.ok());
    CHECK(diagnostic.error == Error::None);
    return manifest;
}

} // namespace

TEST_CASE("the pcserial fixture: ports, a note, fixed IRQs, self capabilities, a service", "[manifest]") {
    const auto m = parsed(fixture("pcserial.manifest"));
    CHECK(std::string(m->name) == "pcserial");
    CHECK(std::string(m->description) == "Serial driver for x86_64 PCs");
    CHECK(m->driver_location.line == 3);
    CHECK(m->name_location.line == 4);
    CHECK(m->name_location.column == 8);
    CHECK(m->restart.mode == RestartMode::OnFailure);
    CHECK(m->restart.delay_ms == 100);
    CHECK(m->restart.delay_max_ms == 5000);
    CHECK(m->restart.limit == 5); // default
    CHECK(m->restart.window_ms == 60000);
    REQUIRE(m->capability_count == 8);
    const Capability& com1 = m->capabilities[0];
    CHECK(com1.type == CapabilityType::IoPort);
    CHECK_FALSE(com1.any_slot);
    CHECK(com1.slot == 0);
    CHECK(com1.port_first == 0x3f8);
    CHECK(com1.port_end == 0x400);
    CHECK(com1.location.line == 11);
    CHECK(com1.location.column == 1);
    CHECK(m->capabilities[1].port_first == 0x2f8);
    CHECK(m->capabilities[2].type == CapabilityType::Note);
    const Capability& irq = m->capabilities[3];
    CHECK(irq.type == CapabilityType::Irq);
    CHECK(irq.slot == 3);
    CHECK_FALSE(irq.from_node);
    CHECK(irq.irq == 4);
    CHECK(irq.note_slot == 2);
    CHECK(irq.note_location.line == 14);
    CHECK(irq.note_location.column == 16);
    CHECK(m->capabilities[4].irq == 3);
    CHECK(m->capabilities[5].type == CapabilityType::CapabilitySpace);
    CHECK(m->capabilities[5].any_slot);
    CHECK(m->capabilities[6].type == CapabilityType::VirtualSpace);
    CHECK(m->capabilities[7].type == CapabilityType::Memory);
    CHECK(m->capabilities[7].pages == 32);
    REQUIRE(m->service_count == 1);
    CHECK(std::string(m->services[0].name) == "devregistry");
    CHECK_FALSE(m->services[0].qualified);
    CHECK(m->provide_count == 0);
    CHECK_FALSE(m->has_devicetree);
    CHECK(find_slot(*m, 3) == &m->capabilities[3]);
    CHECK(find_slot(*m, 5) == nullptr);
}

TEST_CASE("the pl011 fixture: device-tree matching and node references", "[manifest]") {
    const auto m = parsed(fixture("pl011.manifest"));
    CHECK(std::string(m->description) == "ARM PL011 UART");
    CHECK(m->restart.mode == RestartMode::Always);
    REQUIRE(m->has_devicetree);
    CHECK(m->devicetree_location.line == 8);
    REQUIRE(m->compatible_count == 1);
    CHECK(std::string(m->compatibles[0].value) == "arm,pl011");
    CHECK(matches(*m, "arm,pl011"));
    CHECK_FALSE(matches(*m, "arm,pl01"));
    const Capability& registers = m->capabilities[0];
    CHECK(registers.type == CapabilityType::DeviceMemory);
    CHECK(registers.from_node);
    CHECK(registers.node_index == 0);
    CHECK(m->capabilities[2].from_node);
    CHECK(m->capabilities[2].node_index == 0);
    CHECK(m->capabilities[2].note_slot == 1);
    CHECK(std::string(m->services[0].name) == "sys::devregistry");
    CHECK(m->services[0].qualified);
}

TEST_CASE("the bcm2835-aux fixture parses", "[manifest]") {
    const auto m = parsed(fixture("bcm2835-aux.manifest"));
    CHECK(std::string(m->name) == "bcm2835-aux");
    CHECK(matches(*m, "brcm,bcm2835-aux-uart"));
}

TEST_CASE("a minimal manifest has the defaults", "[manifest]") {
    const auto m = parsed("[driver]\nname=x\n");
    CHECK(std::string(m->name) == "x");
    CHECK(std::string(m->description).empty());
    CHECK(m->capability_count == 0);
    CHECK(m->restart.mode == RestartMode::OnFailure);
    CHECK(m->restart.delay_ms == 100);
    CHECK(m->restart.delay_max_ms == 10000);
    CHECK(m->restart.limit == 5);
    CHECK(m->restart.window_ms == 60000);
}

TEST_CASE("whitespace, comments, CRLF, trailing NULs and empty lines", "[manifest]") {
    const std::string text = "  # leading comment\r\n\r\n\t[driver]  # header comment\r\n"
                             "name\t=\tx   \r\n  desc =  two  words  # not part of it\r\n";
    const auto m = parsed(text + std::string(5, '\0'));
    CHECK(std::string(m->name) == "x");
    CHECK(std::string(m->description) == "two  words");
    // No final line end.
    CHECK(std::string(parsed("[driver]\nname = y")->name) == "y");
}

TEST_CASE("quoted descriptions keep '#', escapes are resolved", "[manifest]") {
    const auto m = parsed("[driver]\nname = x\ndesc = \"UART #1 \\\"fast\\\" \\\\ ok\" # comment\n");
    CHECK(std::string(m->description) == "UART #1 \"fast\" \\ ok");
}

TEST_CASE("numbers: decimal, 0x and 0X hexadecimal, zero, the 64-bit limit", "[manifest]") {
    const auto m = parsed("[driver]\nname=x\n[capabilities]\n"
                          "0:ioport = min=0, max=0X10\n"
                          "1:devmem = base=0xffffffffffffe000, size=4096\n"
                          "2:memory = pages=262144\n"
                          "3:irq = irq=1023, note=4\n"
                          "4:note=\n"
                          "5:endpoint =\n"
                          "255:memory = pages=2\n");
    CHECK(m->capabilities[0].port_first == 0);
    CHECK(m->capabilities[0].port_end == 16);
    CHECK(m->capabilities[1].base == 0xffffffffffffe000);
    CHECK(m->capabilities[1].size == 4096);
    CHECK(m->capabilities[2].pages == 262144);
    CHECK(m->capabilities[3].irq == 1023);
    CHECK(m->capabilities[5].type == CapabilityType::Endpoint);
    CHECK(m->capabilities[6].slot == 255);
}

TEST_CASE("options in any order, blanks around '=' and ','", "[manifest]") {
    const auto m = parsed("[driver]\nname=x\n[capabilities]\n"
                          "0:ioport=max = 0x3ff ,min=0x3f0\n"
                          "1:note =\n"
                          "2:irq =note=1,irq=7\n");
    CHECK(m->capabilities[0].port_first == 0x3f0);
    CHECK(m->capabilities[0].port_end == 0x3ff);
    CHECK(m->capabilities[2].irq == 7);
    CHECK(m->capabilities[2].note_slot == 1);
}

TEST_CASE("an irq may name a note declared after it; ranges may touch", "[manifest]") {
    const auto m = parsed("[driver]\nname=x\n[capabilities]\n"
                          "0:irq = irq=4, note=9\n"
                          "9:note =\n"
                          "1:ioport = min=0x3f8, max=0x400\n"
                          "2:ioport = min=0x400, max=0x408\n"
                          "3:devmem = base=0x1000, size=0x1000\n"
                          "4:devmem = base=0x2000, size=0x1000\n");
    CHECK(m->capability_count == 6);
}

TEST_CASE("services, provides, several compatibles, restart keys", "[manifest]") {
    const auto m = parsed("[driver]\nname=bus\nrestart = never\n"
                          "[services]\nsys::devregistry=\nfs::fs =\n_private_x1 =\n"
                          "[provides]\ndev::pci =\n"
                          "[devicetree]\ncompatible = \"pci-host-ecam-generic\" , \"x,y\"\n");
    CHECK(m->restart.mode == RestartMode::Never);
    CHECK(m->service_count == 3);
    CHECK(std::string(m->services[2].name) == "_private_x1");
    REQUIRE(m->provide_count == 1);
    CHECK(std::string(m->provides[0].name) == "dev::pci");
    CHECK(m->compatible_count == 2);
    CHECK(matches(*m, "x,y"));
    const auto r = parsed("[driver]\nname=x\nrestart-limit=1000\nrestart-window=1\nrestart-delay=0\n"
                          "restart-delay-max=3600000\n");
    CHECK(r->restart.limit == 1000);
    CHECK(r->restart.window_ms == 1);
    CHECK(r->restart.delay_ms == 0);
    CHECK(r->restart.delay_max_ms == 3600000);
}

TEST_CASE("every limit can be reached exactly", "[manifest]") {
    std::string text = "[driver]\nname=" + std::string(31, 'a') + "\ndesc=" + std::string(127, 'd') + "\n";
    text += "[capabilities]\n";
    for (int i = 0; i < 32; ++i) text += std::to_string(i) + ":note =\n";
    text += "[services]\n";
    for (int i = 0; i < 16; ++i)
        text += "s" + std::string(1, static_cast<char>('a' + i)) + "::" + std::string(59, 'x') + " =\n";
    text += "[provides]\n";
    for (int i = 0; i < 8; ++i) text += "p::q" + std::to_string(i) + " =\n";
    text += "[devicetree]\ncompatible = ";
    for (int i = 0; i < 8; ++i)
        text += std::string(i ? ", " : "") + "\"" + std::to_string(i) + std::string(62, 'c') + "\"";
    text += "\n";
    const auto m = parsed(text);
    CHECK(m->capability_count == kMaxCapabilities);
    CHECK(m->service_count == kMaxServices);
    CHECK(std::string(m->services[15].name).size() == 63);
    CHECK(m->provide_count == kMaxProvides);
    CHECK(m->compatible_count == kMaxCompatibles);
    // A line of exactly kMaxLineLength bytes.
    const auto long_line = parsed("[driver]\nname=x\n#" + std::string(1023, '-') + "\n");
    CHECK(std::string(long_line->name) == "x");
}

TEST_CASE("type names and error messages are defined for every value", "[manifest]") {
    CHECK(std::string(type_name(CapabilityType::DeviceMemory)) == "devmem");
    CHECK(std::string(type_name(CapabilityType::CapabilitySpace)) == "cspace");
    for (int e = 0; e <= static_cast<int>(Error::SectionNoBytes); ++e)
        CHECK(std::string(message(static_cast<Error>(e))) != "unknown manifest error");
}
