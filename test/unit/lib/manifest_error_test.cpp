// Every error class of lib/manifest, with its exact message and position
// (golden strings: "line:column: text", as format_diagnostic prints them).
#include <catch2/catch_test_macros.hpp>
#include <lib/manifest.hpp>
#include <memory>
#include <set>
#include <string>

using namespace vesta::manifest;

namespace {

const std::string D = "[driver]\nname=x\n";   // lines 1-2
const std::string C = D + "[capabilities]\n"; // line 3; entries from line 4

// The diagnostic of parsing `text`, which must fail with `code`.
std::string error_of(const std::string& text, Error code) {
    auto manifest = std::make_unique<Manifest>();
    Diagnostic diagnostic;
    const Result<void> result = parse(text.data(), text.size(), manifest.get(), &diagnostic);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error() == code);
    CHECK(diagnostic.error == code);
    char out[256];
    format_diagnostic(diagnostic, out, sizeof out);
    return out;
}

std::string lines(const std::string& line, int count) {
    std::string text;
    for (int i = 0; i < count; ++i) text += line + "\n";
    return text;
}

} // namespace

TEST_CASE("text errors: size, NUL, control characters, long lines", "[manifest][errors]") {
    CHECK(error_of(std::string(8193, '#'), Error::TooLarge) == "manifest is 8193 bytes; the limit is 8192");
    CHECK(error_of(std::string("[driver]\0name=x", 15), Error::NulByte) ==
          "1:9: NUL byte inside the manifest text (text follows it)");
    CHECK(error_of(std::string("[driver]\nname=x\0\0\n", 18), Error::NulByte) ==
          "2:7: NUL byte inside the manifest text (text follows it)");
    CHECK(error_of("[driver]\nname=\x01x\n", Error::ControlCharacter) == "2:6: control character 0x01 in the text");
    CHECK(error_of("[driver]\rname=x", Error::ControlCharacter) == "1:9: control character 0x0d in the text");
    CHECK(error_of("[driver]\nname=x\x7f", Error::ControlCharacter) == "2:7: control character 0x7f in the text");
    CHECK(error_of("[driver]\n" + std::string(1025, '#'), Error::LineTooLong) == "2:1025: line longer than 1024 bytes");
}

TEST_CASE("syntax errors", "[manifest][errors]") {
    CHECK(error_of("[driver", Error::Syntax) == "1:8: expected ']' after the section name");
    CHECK(error_of("[]", Error::Syntax) == "1:2: expected a section name after '['");
    CHECK(error_of("[driver] x", Error::Syntax) == "1:10: unexpected 'x' after the section header");
    CHECK(error_of("[driver]\n= x", Error::Syntax) == "2:1: expected a key or a [section] header, found '= x'");
    CHECK(error_of("[driver]\nname x", Error::Syntax) == "2:6: expected '=' after 'name'");
    CHECK(error_of(D + "desc = \"a\\n\"", Error::Syntax) ==
          "3:10: unknown escape in string (only \\\" and \\\\ are allowed)");
    CHECK(error_of(D + "desc = \"a\" b", Error::Syntax) == "3:12: unexpected 'b' after the description");
    CHECK(error_of(C + "0:ioport = min=1 max=2", Error::Syntax) == "4:18: expected ',' between options, found 'max=2'");
    CHECK(error_of(C + "0:ioport = min=1,", Error::Syntax) == "4:18: expected another option after ','");
    CHECK(error_of(C + "0:ioport = min 1", Error::Syntax) == "4:16: expected '=' after option 'min'");
    CHECK(error_of(C + "0:ioport = =1", Error::Syntax) ==
          "4:12: expected an option name (one of min and max), found '=1'");
    CHECK(error_of(D + "[devicetree]\ncompatible = arm,pl011", Error::Syntax) ==
          "4:14: expected a quoted compatible string, e.g. \"arm,pl011\"");
    CHECK(error_of(D + "[devicetree]\ncompatible = \"a\" \"b\"", Error::Syntax) ==
          "4:18: unexpected '\"b\"' after the compatible strings");
    CHECK(error_of(D + "restart-limit = 3 4", Error::Syntax) == "3:19: unexpected '4' after the number");
}

TEST_CASE("unterminated strings", "[manifest][errors]") {
    CHECK(error_of(D + "desc = \"abc\n", Error::UnterminatedString) ==
          "3:8: string not terminated (no closing '\"' on this line)");
    CHECK(error_of(D + "[devicetree]\ncompatible = \"a\", \"b", Error::UnterminatedString) ==
          "4:19: string not terminated (no closing '\"' on this line)");
    CHECK(error_of(D + "desc = \"ends in an escaped quote\\\"", Error::UnterminatedString) ==
          "3:8: string not terminated (no closing '\"' on this line)");
}

TEST_CASE("malformed numbers and overflow", "[manifest][errors]") {
    CHECK(error_of(C + "0:ioport = min=3F8, max=400", Error::BadNumber) ==
          "4:16: '3F8' for min is not a decimal number (hexadecimal needs the 0x prefix: 0x3F8)");
    CHECK(error_of(C + "0:memory = pages=0x", Error::BadNumber) ==
          "4:18: expected hexadecimal digits after '0x' in pages");
    CHECK(error_of(C + "0:memory = pages=010", Error::BadNumber) ==
          "4:18: '010' for pages has a leading zero (octal is not supported; hexadecimal needs 0x)");
    CHECK(error_of(C + "0:memory = pages=many", Error::BadNumber) == "4:18: expected a number for pages, found 'many'");
    CHECK(error_of(C + "0:memory = pages=12z", Error::BadNumber) == "4:18: '12z' for pages is not a decimal number");
    CHECK(error_of(C + "0:memory = pages=0x1g", Error::BadNumber) ==
          "4:18: '0x1g' for pages is not a hexadecimal number");
    CHECK(error_of(C + "0:memory = pages=", Error::BadNumber) == "4:18: expected a number for pages");
    CHECK(error_of(C + "0x:note =", Error::BadNumber) == "4:1: expected hexadecimal digits after '0x' in the slot");
    CHECK(error_of(C + "0:memory = pages=18446744073709551616", Error::NumberOverflow) ==
          "4:18: pages '18446744073709551616' does not fit in 64 bits");
    CHECK(error_of(C + "0:memory = pages=0x10000000000000000", Error::NumberOverflow) ==
          "4:18: pages '0x10000000000000000' does not fit in 64 bits");
    CHECK(error_of(D + "restart-delay = 99999999999999999999", Error::NumberOverflow) ==
          "3:17: restart-delay '99999999999999999999' does not fit in 64 bits");
}

TEST_CASE("values over their length limits", "[manifest][errors]") {
    CHECK(error_of("[driver]\nname=" + std::string(32, 'a'), Error::ValueTooLong) ==
          "2:6: driver name is 32 bytes; the limit is 31");
    CHECK(error_of(D + "desc=" + std::string(128, 'd'), Error::ValueTooLong) ==
          "3:6: description is longer than 127 bytes");
    CHECK(error_of(D + "desc=\"" + std::string(128, 'd') + "\"", Error::ValueTooLong) ==
          "3:7: description is longer than 127 bytes");
    CHECK(error_of(D + "[services]\n" + std::string(64, 's') + "=", Error::ValueTooLong) ==
          "4:1: interface name is 64 bytes; the limit is 63");
    CHECK(error_of(D + "[devicetree]\ncompatible=\"" + std::string(64, 'c') + "\"", Error::ValueTooLong) ==
          "4:13: compatible string is longer than 63 bytes");
}

TEST_CASE("sections: unknown, twice, entries outside, [driver] missing", "[manifest][errors]") {
    CHECK(error_of("[drivers]", Error::UnknownSection) ==
          "1:2: unknown section [drivers] (expected driver, capabilities, services, provides or "
          "devicetree)");
    CHECK(error_of(D + "[driver]", Error::DuplicateSection) == "3:1: section [driver] appears twice (first at line 1)");
    CHECK(error_of(C + "  [capabilities]", Error::DuplicateSection) ==
          "4:3: section [capabilities] appears twice (first at line 3)");
    CHECK(error_of("name = x\n[driver]", Error::EntryOutsideSection) ==
          "1:1: entry 'name' before any [section] header");
    CHECK(error_of("", Error::MissingSection) == "no [driver] section (every manifest names its driver)");
    CHECK(error_of("[capabilities]\n0:note=\n", Error::MissingSection) ==
          "no [driver] section (every manifest names its driver)");
}

TEST_CASE("keys: unknown, twice, missing; bad values", "[manifest][errors]") {
    CHECK(error_of(D + "version=1", Error::UnknownKey) ==
          "3:1: unknown key 'version' in [driver] (expected name, desc, restart, restart-delay, "
          "restart-delay-max, "
          "restart-limit or restart-window)");
    CHECK(error_of(D + "[devicetree]\nmodel=\"x\"", Error::UnknownKey) ==
          "4:1: unknown key 'model' in [devicetree] (expected compatible or virtio-device)");
    CHECK(error_of(D + "name=y", Error::DuplicateKey) == "3:1: key 'name' appears twice in [driver] (first at line 2)");
    CHECK(error_of(D + "[services]\nfs::fs=\nfs::fs=\n", Error::DuplicateKey) ==
          "5:1: 'fs::fs' appears twice in [services] (first at line 4)");
    CHECK(error_of(D + "[provides]\ndev::pci=\ndev::pci=\n", Error::DuplicateKey) ==
          "5:1: 'dev::pci' appears twice in [provides] (first at line 4)");
    CHECK(error_of(D + "[devicetree]\ncompatible=\"a\"\ncompatible=\"b\"", Error::DuplicateKey) ==
          "5:1: key 'compatible' appears twice in [devicetree] (first at line 4; list the strings "
          "in one entry)");
    CHECK(error_of("[driver]\ndesc=x", Error::MissingKey) == "1:1: [driver] has no 'name' key");
    CHECK(error_of(D + "[devicetree]\n", Error::MissingKey) == "3:1: [devicetree] has no 'compatible' key");
    CHECK(error_of("[driver]\nname=PC serial", Error::BadValue) ==
          "2:6: driver name 'PC serial': expected a lower-case letter, then a-z, 0-9, '-' or '_'");
    CHECK(error_of("[driver]\nname=", Error::BadValue) ==
          "2:6: driver name '': expected a lower-case letter, then a-z, 0-9, '-' or '_'");
    CHECK(error_of("[driver]\nname=1st", Error::BadValue) ==
          "2:6: driver name '1st': expected a lower-case letter, then a-z, 0-9, '-' or '_'");
    CHECK(error_of(D + "restart = sometimes", Error::BadValue) ==
          "3:11: restart = 'sometimes': expected always, on-failure or never");
    CHECK(error_of(C + "_:cspace = other", Error::BadValue) ==
          "4:12: cspace takes the value 'self' (the driver's own cspace), found 'other'");
    CHECK(error_of(C + "_:vspace =", Error::BadValue) ==
          "4:11: vspace takes the value 'self' (the driver's own vspace), found ''");
    CHECK(error_of(D + "[services]\nfs::fs = 3", Error::BadValue) ==
          "4:10: 'fs::fs' in [services] takes no value, found '3'");
    CHECK(error_of(D + "[devicetree]\ncompatible = \"\"", Error::BadValue) == "4:15: empty compatible string");
    CHECK(error_of(D + "[devicetree]\ncompatible = \"a\", \"a\"", Error::BadValue) ==
          "4:20: compatible \"a\" listed twice");
}

TEST_CASE("too many entries", "[manifest][errors]") {
    std::string text = C;
    for (int i = 0; i < 33; ++i) text += std::to_string(i) + ":note=\n";
    CHECK(error_of(text, Error::TooManyEntries) == "36:1: more than 32 entries in [capabilities]");
    CHECK(error_of(
              D + "[services]\n" + lines("a::b =", 1) +
                  [] {
                      std::string more;
                      for (int i = 0; i < 16; ++i) more += "s" + std::to_string(i) + "=\n";
                      return more;
                  }(),
              Error::TooManyEntries) == "20:1: more than 16 entries in [services]");
    std::string provides = D + "[provides]\n";
    for (int i = 0; i < 9; ++i) provides += "p::q" + std::to_string(i) + "=\n";
    CHECK(error_of(provides, Error::TooManyEntries) == "12:1: more than 8 entries in [provides]");
    CHECK(error_of(D + "[devicetree]\ncompatible=\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\"",
                   Error::TooManyEntries) == "4:45: more than 8 compatible strings");
}

TEST_CASE("slots: malformed, out of range, used twice", "[manifest][errors]") {
    CHECK(error_of(C + "ioport = min=1, max=2", Error::BadSlot) ==
          "4:1: expected SLOT:TYPE (e.g. 0:ioport or _:memory), found 'ioport'");
    CHECK(error_of(C + ":note=", Error::BadSlot) ==
          "4:1: expected SLOT:TYPE (e.g. 0:ioport or _:memory), found ':note'");
    CHECK(error_of(C + "x:note=", Error::BadSlot) == "4:1: slot 'x' is neither a number nor '_'");
    CHECK(error_of(C + "256:note =", Error::SlotOutOfRange) == "4:1: slot 256 is out of range (0 to 255)");
    CHECK(error_of(C + "0:note=\n0:endpoint=", Error::SlotUsedTwice) ==
          "5:1: slot 0 is already used by the entry at line 4");
    CHECK(error_of(C + "3:note=\n_:note=\n0x3:endpoint=", Error::SlotUsedTwice) ==
          "6:1: slot 3 is already used by the entry at line 4");
}

TEST_CASE("types and options: unknown, twice, missing, conflicting", "[manifest][errors]") {
    CHECK(error_of(C + "0:ioprt = min=1", Error::UnknownType) ==
          "4:3: unknown capability type 'ioprt' (expected ioport, irq, note, endpoint, devmem, "
          "memory, cspace, vspace or framebuffer)");
    CHECK(error_of(C + "0:ioport = min=1, count=2", Error::UnknownOption) ==
          "4:19: unknown option 'count' for ioport (expected min and max)");
    CHECK(error_of(C + "0:note = irq=4", Error::UnknownOption) == "4:10: note takes no options, found 'irq=4'");
    CHECK(error_of(C + "0:endpoint = 1", Error::UnknownOption) == "4:14: endpoint takes no options, found '1'");
    CHECK(error_of(C + "0:ioport = min=1, min=2", Error::DuplicateOption) == "4:19: option 'min' given twice");
    CHECK(error_of(C + "0:ioport = min=1", Error::MissingOption) ==
          "4:1: ioport needs min= and max= (max is one past the last port)");
    CHECK(error_of(C + "0:memory =", Error::MissingOption) == "4:1: memory needs pages=N");
    CHECK(error_of(C + "0:note=\n1:irq = irq=4", Error::MissingOption) ==
          "5:1: irq needs note=SLOT (its note entry's slot)");
    CHECK(error_of(C + "0:note=\n1:irq = note=0", Error::MissingOption) ==
          "5:1: irq needs irq=LINE or interrupt=INDEX");
    CHECK(error_of(C + "0:devmem = base=0x1000", Error::MissingOption) ==
          "4:1: devmem needs base= and size=, or reg=INDEX");
    CHECK(error_of(C + "0:note=\n1:irq = irq=4, interrupt=0, note=0", Error::ConflictingOptions) ==
          "5:16: irq= (a fixed line) and interrupt= (the matched node's) exclude each other");
    CHECK(error_of(C + "0:devmem = reg=0, base=0x1000", Error::ConflictingOptions) ==
          "4:12: base=/size= (fixed addresses) and reg= (the matched node's) exclude each other");
}

TEST_CASE("values out of range", "[manifest][errors]") {
    CHECK(error_of(C + "0:memory = pages=1", Error::ValueOutOfRange) == "4:12: pages=1 is out of range (2 to 262144)");
    CHECK(error_of(C + "0:memory = pages=262145", Error::ValueOutOfRange) ==
          "4:12: pages=262145 is out of range (2 to 262144)");
    CHECK(error_of(C + "0:note=\n1:irq = irq=1024, note=0", Error::ValueOutOfRange) ==
          "5:9: irq=1024 is out of range (0 to 1023)");
    CHECK(error_of(C + "0:note=\n1:irq = interrupt=16, note=0", Error::ValueOutOfRange) ==
          "5:9: interrupt=16 is out of range (0 to 15)");
    CHECK(error_of(C + "0:note=\n1:irq = irq=1, note=256", Error::ValueOutOfRange) ==
          "5:16: note=256 is out of range (0 to 255)");
    CHECK(error_of(C + "0:devmem = reg=16", Error::ValueOutOfRange) == "4:12: reg=16 is out of range (0 to 15)");
    CHECK(error_of(C + "0:devmem = base=0xfffffffffffff000, size=0x2000", Error::ValueOutOfRange) ==
          "4:37: devmem base=0xfffffffffffff000 size=0x2000 runs past the end of the address space");
    CHECK(error_of(D + "restart-limit = 0", Error::ValueOutOfRange) ==
          "3:17: restart-limit = 0 is out of range (1 to 1000)");
    CHECK(error_of(D + "restart-window = 3600001", Error::ValueOutOfRange) ==
          "3:18: restart-window = 3600001 is out of range (1 to 3600000)");
    CHECK(error_of(D + "restart-delay=500\nrestart-delay-max=100", Error::ValueOutOfRange) ==
          "4:1: restart-delay-max (100 ms) is below restart-delay (500 ms)");
    CHECK(error_of(D + "restart-delay=20000", Error::ValueOutOfRange) ==
          "3:1: restart-delay-max (10000 ms) is below restart-delay (20000 ms)");
}

TEST_CASE("I/O-port ranges", "[manifest][errors]") {
    CHECK(error_of(C + "0:ioport = min=0x400, max=0x3f8", Error::BadPortRange) ==
          "4:23: ioport max=0x3f8 is not above min=0x400 (max is one past the last port)");
    CHECK(error_of(C + "0:ioport = min=0x3f8, max=0x3f8", Error::BadPortRange) ==
          "4:23: ioport max=0x3f8 is not above min=0x3f8 (max is one past the last port)");
    CHECK(error_of(C + "0:ioport = min=0x10000, max=0x10001", Error::BadPortRange) ==
          "4:12: ioport min=0x10000 is beyond the last port 0xffff");
    CHECK(error_of(C + "0:ioport = min=0, max=0x10001", Error::BadPortRange) ==
          "4:19: ioport max=0x10001 is beyond 0x10000 (max is one past the last port)");
    CHECK(error_of(C + "0:ioport = min=0x3f8, max=0x400\n1:ioport = min=0x3fc, max=0x404", Error::PortsOverlap) ==
          "5:1: ports 0x3fc-0x403 overlap ports 0x3f8-0x3ff of the entry at line 4");
    CHECK(error_of(C + "0:ioport = min=0x3f8, max=0x400\n_:ioport = min=0, max=0x10000", Error::PortsOverlap) ==
          "5:1: ports 0x0-0xffff overlap ports 0x3f8-0x3ff of the entry at line 4");
}

TEST_CASE("IRQs requested twice, notes that are not notes", "[manifest][errors]") {
    CHECK(error_of(C + "0:note=\n1:irq = irq=4, note=0\n2:irq = irq=4, note=0", Error::IrqUsedTwice) ==
          "6:1: irq=4 is already requested by the entry at line 5");
    CHECK(error_of(D + "[devicetree]\ncompatible=\"a\"\n[capabilities]\n0:note=\n1:irq = "
                       "interrupt=0, note=0\n"
                       "_:irq = interrupt=0, note=0",
                   Error::IrqUsedTwice) == "8:1: interrupt=0 is already requested by the entry at line 7");
    CHECK(error_of(C + "0:irq = irq=4, note=1", Error::BadNoteSlot) ==
          "4:16: note=1 names slot 1, which holds no entry");
    CHECK(error_of(C + "0:irq = irq=4, note=1\n1:endpoint=", Error::BadNoteSlot) ==
          "4:16: note=1 names slot 1, which holds an endpoint, not a note");
    CHECK(error_of(C + "0:irq = irq=4, note=0", Error::BadNoteSlot) ==
          "4:16: note=0 names slot 0, which holds an irq, not a note");
    CHECK(error_of(C + "0:irq = irq=4, note=1\n1:memory = pages=2", Error::BadNoteSlot) ==
          "4:16: note=1 names slot 1, which holds a memory, not a note");
}

TEST_CASE("device memory: alignment and overlaps", "[manifest][errors]") {
    CHECK(error_of(C + "0:devmem = base=0x9000010, size=0x1000", Error::DeviceMemoryMisaligned) ==
          "4:12: devmem base=0x9000010 is not a multiple of 4 KiB");
    CHECK(error_of(C + "0:devmem = base=0x9000000, size=0x40", Error::DeviceMemoryMisaligned) ==
          "4:28: devmem size=0x40 is not a non-zero multiple of 4 KiB");
    CHECK(error_of(C + "0:devmem = base=0x9000000, size=0", Error::DeviceMemoryMisaligned) ==
          "4:28: devmem size=0x0 is not a non-zero multiple of 4 KiB");
    CHECK(error_of(C + "0:devmem = base=0x9001000, size=0x1000\n1:devmem = base=0x9000000, size=0x2000",
                   Error::DeviceMemoryOverlap) == "5:1: device memory 0x9000000-0x9001fff overlaps "
                                                  "0x9001000-0x9001fff of the entry at line 4");
    CHECK(error_of(D + "[devicetree]\ncompatible=\"a\"\n[capabilities]\n0:devmem = reg=1\n1:devmem "
                       "= reg=1",
                   Error::DeviceMemoryOverlap) == "7:1: reg=1 is already requested by the entry at line 6");
}

TEST_CASE("self capabilities twice, node references without [devicetree]", "[manifest][errors]") {
    CHECK(error_of(C + "_:cspace = self\n_:cspace = self", Error::SecondUniqueCapability) ==
          "5:1: a second cspace = self entry (the first is at line 4)");
    CHECK(error_of(C + "0:vspace = self\n1:vspace = self", Error::SecondUniqueCapability) ==
          "5:1: a second vspace = self entry (the first is at line 4)");
    CHECK(error_of(C + "_:framebuffer =\n_:framebuffer =", Error::SecondUniqueCapability) ==
          "5:1: a second framebuffer entry (the first is at line 4)");
    CHECK(error_of(C + "_:framebuffer = self", Error::UnknownOption) ==
          "4:17: framebuffer takes no options, found 'self'");
    CHECK(error_of(C + "0:devmem = reg=0", Error::NoDeviceTree) ==
          "4:1: reg=0 refers to the matched device-tree node, but there is no [devicetree] section");
    CHECK(error_of(C + "0:note=\n1:irq = interrupt=2, note=0", Error::NoDeviceTree) ==
          "5:1: interrupt=2 refers to the matched device-tree node, but there is no [devicetree] "
          "section");
}

TEST_CASE("interface names", "[manifest][errors]") {
    for (const char* name : {"sys:devregistry", "::x", "x::", "1x", "a::2b", "a-b", "a:::b"}) {
        CHECK(error_of(D + "[services]\n" + name + " =", Error::BadInterfaceName) ==
              "4:1: '" + std::string(name) +
                  "' is not an IDL interface name (identifiers joined by '::', e.g. "
                  "sys::devregistry)");
    }
    CHECK(error_of(D + "[provides]\nserial =", Error::BadInterfaceName) ==
          "4:1: provided interface 'serial' needs its namespace (e.g. dev::serial)");
}

TEST_CASE("restart keys with restart = never", "[manifest][errors]") {
    CHECK(error_of(D + "restart-delay = 5\nrestart = never", Error::RestartKeyWithoutRestart) ==
          "3:1: 'restart-delay' has no effect with restart = never");
    CHECK(error_of(D + "restart = never\nrestart-window = 5", Error::RestartKeyWithoutRestart) ==
          "4:1: 'restart-window' has no effect with restart = never");
}

TEST_CASE("long offending text is cut in messages", "[manifest][errors]") {
    CHECK(error_of(C + "0:" + std::string(60, 'z') + " =", Error::UnknownType) ==
          "4:3: unknown capability type '" + std::string(40, 'z') +
              "...' (expected ioport, irq, note, endpoint, devmem, memory, cspace, vspace or framebuffer)");
}

// One example per error class: the table in docs/manifest.md ("Errors").
// The test fails when a class of the text has no example here.
TEST_CASE("one example of every error class (the table in docs/manifest.md)", "[manifest][errors]") {
    struct Example {
        Error code;
        std::string text;
        std::string message;
    };
    const Example examples[] = {
        {Error::TooLarge, std::string(8193, '#'), "manifest is 8193 bytes; the limit is 8192"},
        {Error::NulByte, std::string("[driver]\0name=x", 15),
         "1:9: NUL byte inside the manifest text (text follows it)"},
        {Error::ControlCharacter, "[driver]\nname=\x01x\n", "2:6: control character 0x01 in the text"},
        {Error::LineTooLong, "[driver]\n" + std::string(1025, '#'), "2:1025: line longer than 1024 bytes"},
        {Error::Syntax, "[driver]\nname x", "2:6: expected '=' after 'name'"},
        {Error::UnterminatedString, D + "desc = \"abc\n", "3:8: string not terminated (no closing '\"' on this line)"},
        {Error::BadNumber, C + "0:ioport = min=3F8, max=400",
         "4:16: '3F8' for min is not a decimal number (hexadecimal needs the 0x prefix: 0x3F8)"},
        {Error::NumberOverflow, C + "0:memory = pages=18446744073709551616",
         "4:18: pages '18446744073709551616' does not fit in 64 bits"},
        {Error::ValueTooLong, "[driver]\nname=" + std::string(32, 'a'),
         "2:6: driver name is 32 bytes; the limit is 31"},
        {Error::UnknownSection, "[drivers]",
         "1:2: unknown section [drivers] (expected driver, capabilities, services, provides or "
         "devicetree)"},
        {Error::DuplicateSection, D + "[driver]", "3:1: section [driver] appears twice (first at line 1)"},
        {Error::EntryOutsideSection, "name = x\n[driver]", "1:1: entry 'name' before any [section] header"},
        {Error::MissingSection, "", "no [driver] section (every manifest names its driver)"},
        {Error::UnknownKey, D + "[devicetree]\nmodel=\"x\"",
         "4:1: unknown key 'model' in [devicetree] (expected compatible or virtio-device)"},
        {Error::DuplicateKey, D + "name=y", "3:1: key 'name' appears twice in [driver] (first at line 2)"},
        {Error::MissingKey, "[driver]\ndesc=x", "1:1: [driver] has no 'name' key"},
        {Error::BadValue, D + "restart = sometimes",
         "3:11: restart = 'sometimes': expected always, on-failure or never"},
        {Error::TooManyEntries, C + lines("_:note =", 33), "36:1: more than 32 entries in [capabilities]"},
        {Error::BadSlot, C + "ioport = min=1, max=2",
         "4:1: expected SLOT:TYPE (e.g. 0:ioport or _:memory), found 'ioport'"},
        {Error::SlotOutOfRange, C + "256:note =", "4:1: slot 256 is out of range (0 to 255)"},
        {Error::SlotUsedTwice, C + "0:note=\n0:endpoint=", "5:1: slot 0 is already used by the entry at line 4"},
        {Error::UnknownType, C + "0:ioprt = min=1",
         "4:3: unknown capability type 'ioprt' (expected ioport, irq, note, endpoint, devmem, "
         "memory, cspace, vspace or framebuffer)"},
        {Error::UnknownOption, C + "0:ioport = min=1, count=2",
         "4:19: unknown option 'count' for ioport (expected min and max)"},
        {Error::DuplicateOption, C + "0:ioport = min=1, min=2", "4:19: option 'min' given twice"},
        {Error::MissingOption, C + "0:ioport = min=1",
         "4:1: ioport needs min= and max= (max is one past the last port)"},
        {Error::ConflictingOptions, C + "0:note=\n1:irq = irq=4, interrupt=0, note=0",
         "5:16: irq= (a fixed line) and interrupt= (the matched node's) exclude each other"},
        {Error::ValueOutOfRange, C + "0:memory = pages=1", "4:12: pages=1 is out of range (2 to 262144)"},
        {Error::BadPortRange, C + "0:ioport = min=0x400, max=0x3f8",
         "4:23: ioport max=0x3f8 is not above min=0x400 (max is one past the last port)"},
        {Error::PortsOverlap, C + "0:ioport = min=0x3f8, max=0x400\n1:ioport = min=0x3fc, max=0x404",
         "5:1: ports 0x3fc-0x403 overlap ports 0x3f8-0x3ff of the entry at line 4"},
        {Error::IrqUsedTwice, C + "0:note=\n1:irq = irq=4, note=0\n2:irq = irq=4, note=0",
         "6:1: irq=4 is already requested by the entry at line 5"},
        {Error::DeviceMemoryMisaligned, C + "0:devmem = base=0x9000010, size=0x1000",
         "4:12: devmem base=0x9000010 is not a multiple of 4 KiB"},
        {Error::DeviceMemoryOverlap,
         C + "0:devmem = base=0x9001000, size=0x1000\n1:devmem = base=0x9000000, size=0x2000",
         "5:1: device memory 0x9000000-0x9001fff overlaps 0x9001000-0x9001fff of the entry at line "
         "4"},
        {Error::SecondUniqueCapability, C + "_:cspace = self\n_:cspace = self",
         "5:1: a second cspace = self entry (the first is at line 4)"},
        {Error::BadNoteSlot,
         C + "0:irq = irq=4, note=1\n1:endpoint=", "4:16: note=1 names slot 1, which holds an endpoint, not a note"},
        {Error::NoDeviceTree, C + "0:devmem = reg=0",
         "4:1: reg=0 refers to the matched device-tree node, but there is no [devicetree] section"},
        {Error::BadInterfaceName,
         D + "[provides]\nserial =", "4:1: provided interface 'serial' needs its namespace (e.g. dev::serial)"},
        {Error::RestartKeyWithoutRestart, D + "restart-delay = 5\nrestart = never",
         "3:1: 'restart-delay' has no effect with restart = never"},
    };
    std::set<Error> covered;
    for (const Example& example : examples) {
        INFO(message(example.code));
        CHECK(error_of(example.text, example.code) == example.message);
        covered.insert(example.code);
    }
    for (int e = static_cast<int>(Error::TooLarge); e < static_cast<int>(Error::ImageInvalid); ++e) {
        INFO("error " << e << ": " << message(static_cast<Error>(e)) << " has no example");
        CHECK(covered.count(static_cast<Error>(e)) == 1);
    }
}

TEST_CASE("[devicetree] virtio-device: a device ID for virtio-mmio transports", "[manifest][errors]") {
    const std::string T = D + "[devicetree]\ncompatible = \"virtio,mmio\"\n"; // lines 3-4
    auto manifest = std::make_unique<Manifest>();
    Diagnostic diagnostic;
    const std::string good = T + "virtio-device = 18   # input\n";
    REQUIRE(parse(good.data(), good.size(), manifest.get(), &diagnostic).ok());
    CHECK(manifest->virtio_device == 18);
    CHECK(manifest->virtio_device_location.line == 5);
    CHECK(error_of(T + "virtio-device = 0\n", Error::ValueOutOfRange) ==
          "5:17: virtio-device = 0 is out of range (1 to 65535)");
    CHECK(error_of(T + "virtio-device = 65536\n", Error::ValueOutOfRange) ==
          "5:17: virtio-device = 65536 is out of range (1 to 65535)");
    CHECK(error_of(T + "virtio-device = 18\nvirtio-device = 2\n", Error::DuplicateKey) ==
          "6:1: key 'virtio-device' appears twice in [devicetree] (first at line 5)");
    CHECK(error_of(T + "virtio-device = 18 19\n", Error::Syntax).find("5:") == 0);
    CHECK(error_of(D + "[devicetree]\ncompatible = \"arm,pl011\"\nvirtio-device = 18\n", Error::BadValue) ==
          "5:1: virtio-device needs \"virtio,mmio\" among the compatible strings (only virtio-mmio transports are "
          "probed)");
}
