// Tests of tools/manifest-check: good initramfs contents pass; each
// build-time error is reported with the image, the entry and line:column.
#include <catch2/catch_test_macros.hpp>
#include <check.hpp>
#include <elf_image_builder.hpp>
#include <fstream>
#include <sstream>
#include <string>

using manifest_check::Image;
using manifest_check::Options;
using manifest_check::Report;

namespace {

std::string fixture(const std::string& name) {
    std::ifstream file(std::string(VESTA_MANIFEST_FIXTURE_DIR) + "/" + name, std::ios::binary);
    REQUIRE(file.good());
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

Image driver(const std::string& name, const std::string& text, uint16_t machine = 62) {
    return Image{name, vesta::test::driver_image(text, machine)};
}

Image program(const std::string& name, uint16_t machine = 62) {
    vesta::test::ElfImageBuilder builder;
    builder.machine = machine;
    return Image{name, builder.build().bytes};
}

Report run(const std::vector<Image>& images, const std::string& arch = "x86_64", std::vector<std::string> drivers = {},
           std::vector<std::string> provided = {}) {
    return manifest_check::check(images, Options{arch, std::move(drivers), std::move(provided)});
}

std::string errors(const Report& report) {
    std::string text;
    for (const std::string& error : report.errors) text += error + "\n";
    return text;
}

const std::string kMinimal = "[driver]\nname = ";

} // namespace

TEST_CASE("programs without a manifest and valid drivers pass", "[manifest-check]") {
    const Report report = run({program("root"), driver("pcserial", fixture("pcserial.manifest")), program("hello")},
                              "x86_64", {"pcserial"});
    CHECK(errors(report).empty());
    CHECK(report.drivers == 1);
    CHECK(report.programs == 2);
    const Report arm = run({program("root", 183), driver("pl011", fixture("pl011.manifest"), 183),
                            driver("bcm2835-aux", fixture("bcm2835-aux.manifest"), 183)},
                           "aarch64");
    CHECK(errors(arm).empty());
    CHECK(arm.drivers == 2);
}

TEST_CASE("image and manifest errors name the image and line:column", "[manifest-check]") {
    CHECK(errors(run({driver("bad", "[driver]\nname = bad\n[capabilities]\n0:ioprt = min=1\n")})) ==
          "bad:.manifest:4:3: error: unknown capability type 'ioprt' (expected ioport, irq, note, "
          "endpoint, devmem, "
          "memory, cspace, vspace or framebuffer)\n");
    CHECK(errors(run({program("serial")}, "x86_64", {"serial"})) ==
          "serial: error: no .manifest section (a driver declares one with VESTA_MANIFEST) (listed "
          "as a driver)\n");
    CHECK(errors(run({program("arm", 183)})) ==
          "arm: error: not a valid driver image: built for another machine (wrong e_machine)\n");
    CHECK(errors(run({Image{"README", {'h', 'i'}}})) ==
          "README: error: not a valid driver image: file is smaller than an ELF header\n");
    CHECK(errors(run({program("a")}, "x86_64", {"missing"})) == "error: driver 'missing' is not among the images\n");
    CHECK(errors(run({program("a")}, "riscv64")) == "error: unknown arch 'riscv64' (expected x86_64 or aarch64)\n");
}

TEST_CASE("arch rules: ioport only on x86_64, [devicetree] only on device-tree machines", "[manifest-check]") {
    CHECK(errors(run({driver("pcserial", fixture("pcserial.manifest"), 183)}, "aarch64")) ==
          "pcserial:.manifest:11:1: error: entry 0:ioport: I/O ports exist only on x86_64 (this "
          "initramfs is for "
          "aarch64)\n"
          "pcserial:.manifest:12:1: error: entry 1:ioport: I/O ports exist only on x86_64 (this "
          "initramfs is for "
          "aarch64)\n");
    CHECK(errors(run({driver("pl011", fixture("pl011.manifest"))})) ==
          "pl011:.manifest:8:1: error: [devicetree] on x86_64, which has no device tree: the "
          "driver would never be "
          "matched\n");
}

TEST_CASE("two drivers with the same ports, IRQ line, device memory, name or compatible", "[manifest-check]") {
    const std::string com1 = "[capabilities]\n0:note =\n1:ioport = min=0x3f8, max=0x400\n2:irq = irq=4, note=0\n";
    CHECK(errors(run({driver("pcserial", fixture("pcserial.manifest")), driver("com1", kMinimal + "com1\n" + com1)})) ==
          "com1:.manifest:5:1: error: entry 1:ioport: ports 0x3f8-0x3ff overlap ports 0x3f8-0x3ff "
          "granted to "
          "pcserial (entry 0:ioport, pcserial:.manifest:11:1)\n"
          "com1:.manifest:6:1: error: entry 2:irq: IRQ 4 is also granted to pcserial (entry 3:irq, "
          "pcserial:.manifest:14:1)\n");
    CHECK(errors(run({driver("a", kMinimal + "a\n[capabilities]\n_:devmem = base=0xfed00000, size=0x2000\n"),
                      driver("b", kMinimal + "b\n[capabilities]\n3:devmem = base=0xfed01000, size=0x1000\n")})) ==
          "b:.manifest:4:1: error: entry 3:devmem: device memory 0xfed01000-0xfed01fff overlaps "
          "0xfed00000-0xfed01fff granted to a (entry _:devmem, a:.manifest:4:1)\n");
    CHECK(errors(run({driver("one", kMinimal + "same\n"), driver("two", "# x\n" + kMinimal + "same\n")})) ==
          "two:.manifest:3:8: error: driver name 'same' is also used by one (one:.manifest:2:8)\n");
    CHECK(errors(run({driver("pl011", fixture("pl011.manifest"), 183),
                      driver("uart", kMinimal + "uart\n[devicetree]\ncompatible = \"x,y\", \"arm,pl011\"\n", 183)},
                     "aarch64")) == "uart:.manifest:4:22: error: compatible \"arm,pl011\" is also matched "
                                    "by pl011 (pl011:.manifest:8:1): both "
                                    "drivers would claim the same nodes\n");
    // Ranges that only touch, different lines, node references: no conflict.
    CHECK(errors(run({driver("a", kMinimal + "a\n[capabilities]\n0:ioport = min=0x3f8, max=0x400\n"),
                      driver("b", kMinimal + "b\n[capabilities]\n0:ioport = min=0x400, max=0x408\n")}))
              .empty());
    auto node_driver = [](const std::string& name) {
        return driver(name,
                      kMinimal + name + "\n[devicetree]\ncompatible = \"vendor," + name +
                          "\"\n[capabilities]\n0:devmem = reg=0\n1:note =\n2:irq = interrupt=0, note=1\n",
                      183);
    };
    CHECK(errors(run({node_driver("a"), node_driver("b")}, "aarch64")).empty());
    // "virtio,mmio" twice: a conflict unless both name different virtio devices.
    auto virtio_driver = [](const std::string& name, const std::string& device) {
        return driver(name,
                      kMinimal + name + "\n[devicetree]\ncompatible = \"virtio,mmio\"\n" +
                          (device.empty() ? "" : "virtio-device = " + device + "\n"),
                      183);
    };
    CHECK(errors(run({virtio_driver("keys", "18"), virtio_driver("disk", "2")}, "aarch64")).empty());
    CHECK(errors(run({virtio_driver("keys", "18"), virtio_driver("keys2", "18")}, "aarch64")) ==
          "keys2:.manifest:4:15: error: compatible \"virtio,mmio\" is also matched by keys (keys:.manifest:3:1): "
          "both drivers would claim the same nodes\n");
    CHECK(!errors(run({virtio_driver("keys", "18"), virtio_driver("any", "")}, "aarch64")).empty());
}

TEST_CASE("services: provided by the root, by drivers, or by no one", "[manifest-check]") {
    const std::string root_services = "[services]\nfs::fs =\nprocmgr =\nsys::devregistry =\ndevmgr =\ndevloader =\n";
    CHECK(errors(run({driver("a", kMinimal + "a\n" + root_services)})).empty());
    CHECK(errors(run({driver("a", kMinimal + "a\n[services]\ndev::pci =\n"),
                      driver("bus", kMinimal + "bus\n[provides]\ndev::pci =\n")}))
              .empty());
    CHECK(errors(run({driver("a", kMinimal + "a\n[services]\npci =\n")}, "x86_64", {}, {"dev::pci"})).empty());
    CHECK(errors(run({driver("a", kMinimal + "a\n[services]\nnet::dns =\n")})) ==
          "a:.manifest:4:1: error: service 'net::dns' is provided by no one (provided: fs::fs, "
          "sys::procmgr, "
          "sys::devregistry, sys::devmgr, sys::devloader)\n");
    CHECK(errors(run({driver("a", kMinimal + "a\n[services]\nserial =\n"),
                      driver("b", kMinimal + "b\n[provides]\ndev::serial =\nio::serial =\n")})) ==
          "a:.manifest:4:1: error: service 'serial' is ambiguous (dev::serial, io::serial): "
          "qualify it\n");
    CHECK(errors(run({driver("a", kMinimal + "a\n[services]\ndevregistry =\nsys::devregistry =\n")})) ==
          "a:.manifest:5:1: error: service 'sys::devregistry' is sys::devregistry, already asked "
          "for at line 4\n");
    CHECK(errors(run({driver("a", kMinimal + "a\n[provides]\nsys::devmgr =\n")})) ==
          "a:.manifest:4:1: error: 'sys::devmgr' is already provided by the root service\n");
    CHECK(errors(run({driver("a", kMinimal + "a\n[provides]\ndev::pci =\n"),
                      driver("b", kMinimal + "b\n[provides]\ndev::pci =\n")})) ==
          "b:.manifest:4:1: error: 'dev::pci' is already provided by a (a:.manifest:4:1)\n");
}
