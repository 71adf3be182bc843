// Tests of lib/manifest_image: the .manifest section of a driver image is
// found and parsed; missing, duplicate, oversized and bit-less sections and
// bad images are refused with their messages; VESTA_MANIFEST emits the
// section the reader finds.
#include <catch2/catch_test_macros.hpp>
#include <elf_image_builder.hpp>
#include <fstream>
#include <iterator>
#include <lib/elf_section.hpp>
#include <lib/manifest_image.hpp>
#include <memory>
#include <string>
#include <user/manifest.hpp>

using namespace vesta::manifest;
using vesta::elf::ElfRequirements;
using vesta::test::BuiltImage;
using vesta::test::ElfImageBuilder;

VESTA_MANIFEST(R"(# declared by the test itself
[driver]
name = self-test
[capabilities]
0:note =
)");

namespace {

const ElfRequirements kX86{vesta::elf::kMachineX86_64, 0x1000, (uint64_t{1} << 47) - 4096};

struct Outcome {
    Error error;
    std::string text; // format_diagnostic()
};

Outcome parse_of(const std::vector<uint8_t>& image, Manifest* manifest) {
    Diagnostic diagnostic;
    const Result<void> result = parse_image(image.data(), image.size(), kX86, manifest, &diagnostic);
    CHECK(result.error() == diagnostic.error);
    char out[256];
    format_diagnostic(diagnostic, out, sizeof out);
    return {diagnostic.error, out};
}

Outcome parse_of(const std::vector<uint8_t>& image) {
    auto manifest = std::make_unique<Manifest>();
    return parse_of(image, manifest.get());
}

} // namespace

TEST_CASE("a driver image's manifest is found and parsed", "[manifest_image]") {
    auto manifest = std::make_unique<Manifest>();
    const Outcome outcome = parse_of(vesta::test::driver_image("[driver]\nname = ok\n"), manifest.get());
    CHECK(outcome.error == Error::None);
    CHECK(std::string(manifest->name) == "ok");
    Diagnostic diagnostic;
    const auto image = vesta::test::driver_image("[driver]\nname = ok\n");
    const auto text = find_manifest(image.data(), image.size(), kX86, &diagnostic);
    REQUIRE(text.ok());
    CHECK(text.value().size == 20); // with the NUL
}

TEST_CASE("text errors in an image keep their line:column", "[manifest_image]") {
    const Outcome outcome = parse_of(vesta::test::driver_image("[driver]\nname = ok\n0:ioport = min=1"));
    CHECK(outcome.error == Error::UnknownKey);
    CHECK(outcome.text.rfind("3:1: unknown key '0:ioport' in [driver]", 0) == 0);
}

TEST_CASE("the image must be a valid executable for the machine", "[manifest_image]") {
    CHECK(parse_of(vesta::test::driver_image("[driver]\nname=x\n", vesta::elf::kMachineAArch64)).text ==
          "not a valid driver image: built for another machine (wrong e_machine)");
    CHECK(parse_of(vesta::test::driver_image("[driver]\nname=x\n", vesta::elf::kMachineAArch64)).error ==
          Error::ImageInvalid);
    CHECK(parse_of({}).text == "not a valid driver image: file is smaller than an ELF header");
    auto cut = vesta::test::driver_image("[driver]\nname=x\n");
    cut.resize(cut.size() - 1);
    CHECK(parse_of(cut).text == "not a valid driver image: section header table extends past the end of the file");
}

TEST_CASE("missing, duplicate, oversized and bit-less .manifest sections", "[manifest_image]") {
    ElfImageBuilder none;
    CHECK(parse_of(none.build().bytes).error == Error::SectionMissing);
    CHECK(parse_of(none.build().bytes).text == "no .manifest section (a driver declares one with VESTA_MANIFEST)");
    ElfImageBuilder other_name;
    other_name.manifest("[driver]\nname=x\n", ".manifest2");
    CHECK(parse_of(other_name.build().bytes).error == Error::SectionMissing);

    ElfImageBuilder twice;
    twice.manifest("[driver]\nname=x\n").manifest("[driver]\nname=y\n");
    CHECK(parse_of(twice.build().bytes).error == Error::SectionDuplicate);
    CHECK(parse_of(twice.build().bytes).text == "more than one .manifest section");

    CHECK(parse_of(vesta::test::driver_image(std::string(8192, '#'))).text ==
          ".manifest section is 8193 bytes; the limit is 8192");
    CHECK(parse_of(vesta::test::driver_image(std::string(8192, '#'))).error == Error::SectionTooLarge);
    std::string largest = "[driver]\nname=x\n"; // 16 bytes, then comment lines up to 8191 and the NUL
    while (largest.size() < 8191) largest += largest.size() + 2 <= 8191 ? "#\n" : "#";
    CHECK(parse_of(vesta::test::driver_image(largest)).error == Error::None);

    ElfImageBuilder nobits;
    nobits.sections.push_back({".manifest", std::vector<uint8_t>(64, 0), vesta::test::kNoBits});
    CHECK(parse_of(nobits.build().bytes).error == Error::SectionNoBytes);
    CHECK(parse_of(nobits.build().bytes).text == ".manifest section has no bytes in the file (SHT_NOBITS)");

    ElfImageBuilder empty;
    empty.sections.push_back({".manifest", {}});
    CHECK(parse_of(empty.build().bytes).error == Error::MissingSection);
}

TEST_CASE("malformed section headers are refused with lib/elf_section's message", "[manifest_image]") {
    BuiltImage image = ElfImageBuilder().manifest("[driver]\nname=x\n").build();
    image.put_section(0, vesta::test::kShType, 1, 4);
    CHECK(parse_of(image.bytes).error == Error::SectionTableInvalid);
    CHECK(parse_of(image.bytes).text == "malformed section headers: section 0 is not SHT_NULL");
}

TEST_CASE("VESTA_MANIFEST places the text in an allocated .manifest section", "[manifest_image]") {
    std::ifstream file("/proc/self/exe", std::ios::binary);
    REQUIRE(file.good());
    const std::vector<uint8_t> self((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    // The test executable is a PIE (not a driver image), so only the section lookup applies.
    const auto section = vesta::elf::find_section(self.data(), self.size(), ".manifest");
    REQUIRE(section.ok());
    CHECK((section.value().flags & vesta::test::kAllocFlag) != 0);
    REQUIRE(section.value().size == sizeof vesta_manifest);
    CHECK(std::string(reinterpret_cast<const char*>(section.value().bytes)) == vesta_manifest);
    auto manifest = std::make_unique<Manifest>();
    Diagnostic diagnostic;
    REQUIRE(
        parse(reinterpret_cast<const char*>(section.value().bytes), section.value().size, manifest.get(), &diagnostic)
            .ok());
    CHECK(std::string(manifest->name) == "self-test");
}
