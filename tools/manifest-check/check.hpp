// tools/manifest-check/check.hpp — the build-time checks of driver
// manifests over every image of an initramfs (docs/manifest.md,
// "Build-time checks"). A host library: the command (main.cpp) and the
// host tests (test/unit/tools) call check().
//
// Each error is one line:
//   IMAGE: error: TEXT                      (the image or its section)
//   IMAGE:.manifest:LINE:COLUMN: error: TEXT (an entry of its manifest)
// Conflicts between two drivers are reported at the later image (in the
// order given) and name the earlier one and its entry.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace manifest_check {

struct Image {
    std::string name; // as stored in the initramfs (the file's base name)
    std::vector<uint8_t> bytes;
};

struct Options {
    std::string arch;                  // "x86_64" or "aarch64"
    std::vector<std::string> drivers;  // images that must carry a manifest
    std::vector<std::string> provided; // services provided besides the root's and the drivers'
};

struct Report {
    std::vector<std::string> errors;
    size_t drivers = 0;  // images with a valid manifest
    size_t programs = 0; // images without a .manifest section (not drivers)
};

// Checks every image: its ELF validity for the arch, its manifest, the
// arch's rules (ioport only on x86_64, [devicetree] only on device-tree
// machines), and the drivers against each other (names, ports, fixed IRQ
// lines, fixed device memory, compatible strings, services provided and
// asked for). Never throws for bad input.
Report check(const std::vector<Image>& images, const Options& options);

} // namespace manifest_check
