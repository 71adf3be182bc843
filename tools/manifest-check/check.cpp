// tools/manifest-check/check.cpp — see check.hpp.
#include "check.hpp"

#include <lib/manifest_image.hpp>
#include <memory>
#include <user/root_services.hpp>

namespace manifest_check {

namespace {

using vesta::manifest::Capability;
using vesta::manifest::CapabilityType;
using vesta::manifest::Diagnostic;
using vesta::manifest::Location;
using vesta::manifest::Manifest;

// User programs live between the first page and the top of the lower half
// (kUserAddressEnd of both arches).
constexpr uint64_t kLowestUserAddress = 0x1000;
constexpr uint64_t kUserAddressEnd = (uint64_t{1} << 47) - 4096;

struct Driver {
    const Image* image;
    std::unique_ptr<Manifest> manifest;
};

std::string hex(uint64_t value) {
    static const char digits[] = "0123456789abcdef";
    std::string text;
    do {
        text.insert(text.begin(), digits[value & 15]);
        value >>= 4;
    } while (value != 0);
    return "0x" + text;
}

std::string position(const std::string& image, Location location) {
    return image + ":.manifest:" + std::to_string(location.line) + ":" + std::to_string(location.column);
}

// "0:ioport", "_:memory".
std::string entry_name(const Capability& capability) {
    return (capability.any_slot ? std::string("_") : std::to_string(capability.slot)) + ":" +
           vesta::manifest::type_name(capability.type);
}

// "pcserial (entry 0:ioport, pcserial:.manifest:11:1)".
std::string granted_to(const Driver& driver, const Capability& capability) {
    return driver.image->name + " (entry " + entry_name(capability) + ", " +
           position(driver.image->name, capability.location) + ")";
}

class Checker {
public:
    Checker(const Options& options, Report* report) : options_(options), report_(report) {}

    void image_error(const Image& image, const std::string& text) {
        report_->errors.push_back(image.name + ": error: " + text);
    }
    void error(const Driver& driver, Location at, const std::string& text) {
        report_->errors.push_back(position(driver.image->name, at) + ": error: " + text);
    }

    bool listed_as_driver(const std::string& name) const {
        for (const std::string& driver : options_.drivers)
            if (driver == name) return true;
        return false;
    }

    void read(const Image& image, uint16_t machine) {
        auto manifest = std::make_unique<Manifest>();
        Diagnostic diagnostic;
        const vesta::elf::ElfRequirements requirements{machine, kLowestUserAddress, kUserAddressEnd};
        const auto result = vesta::manifest::parse_image(image.bytes.data(), image.bytes.size(), requirements,
                                                         manifest.get(), &diagnostic);
        if (result.ok()) {
            drivers_.push_back(Driver{&image, std::move(manifest)});
            return;
        }
        if (diagnostic.error == vesta::manifest::Error::SectionMissing && !listed_as_driver(image.name)) {
            ++report_->programs;
            return;
        }
        if (diagnostic.location.line != 0) {
            report_->errors.push_back(position(image.name, diagnostic.location) + ": error: " + diagnostic.text);
        } else {
            image_error(
                image, std::string(diagnostic.text) +
                           (diagnostic.error == vesta::manifest::Error::SectionMissing ? " (listed as a driver)" : ""));
        }
    }

    void check_arch(const Driver& driver) {
        const Manifest& manifest = *driver.manifest;
        for (size_t i = 0; i < manifest.capability_count; ++i) {
            const Capability& capability = manifest.capabilities[i];
            if (options_.arch != "x86_64" && capability.type == CapabilityType::IoPort)
                error(driver, capability.location,
                      "entry " + entry_name(capability) + ": I/O ports exist only on x86_64 (this initramfs is for " +
                          options_.arch + ")");
        }
        if (options_.arch == "x86_64" && manifest.has_devicetree)
            error(driver, manifest.devicetree_location,
                  "[devicetree] on x86_64, which has no device tree: the driver would never be "
                  "matched");
    }

    // Everything `later` asks for that an earlier driver holds.
    void check_against(const Driver& earlier, const Driver& later) {
        const Manifest& a = *earlier.manifest;
        const Manifest& b = *later.manifest;
        if (std::string(a.name) == b.name)
            error(later, b.name_location,
                  std::string("driver name '") + b.name + "' is also used by " + earlier.image->name + " (" +
                      position(earlier.image->name, a.name_location) + ")");
        for (size_t j = 0; j < b.capability_count; ++j) {
            const Capability& mine = b.capabilities[j];
            for (size_t i = 0; i < a.capability_count; ++i) {
                const Capability& theirs = a.capabilities[i];
                if (theirs.type != mine.type || theirs.from_node || mine.from_node) continue;
                check_pair(earlier, theirs, later, mine);
            }
        }
        // Two drivers of different virtio devices (virtio-device) share
        // "virtio,mmio": the loader gives each only transports holding its device.
        const bool other_virtio_devices =
            a.virtio_device != 0 && b.virtio_device != 0 && a.virtio_device != b.virtio_device;
        for (size_t j = 0; j < b.compatible_count && !other_virtio_devices; ++j) {
            if (vesta::manifest::matches(a, b.compatibles[j].value))
                error(later, b.compatibles[j].location,
                      std::string("compatible \"") + b.compatibles[j].value + "\" is also matched by " +
                          earlier.image->name + " (" + position(earlier.image->name, a.devicetree_location) +
                          "): both drivers would claim the same nodes");
        }
    }

    void check_pair(const Driver& earlier, const Capability& theirs, const Driver& later, const Capability& mine) {
        const std::string entry = "entry " + entry_name(mine) + ": ";
        switch (mine.type) {
        case CapabilityType::IoPort:
            if (mine.port_first < theirs.port_end && theirs.port_first < mine.port_end)
                error(later, mine.location,
                      entry + "ports " + hex(mine.port_first) + "-" + hex(mine.port_end - 1) + " overlap ports " +
                          hex(theirs.port_first) + "-" + hex(theirs.port_end - 1) + " granted to " +
                          granted_to(earlier, theirs));
            break;
        case CapabilityType::Irq:
            if (mine.irq == theirs.irq)
                error(later, mine.location,
                      entry + "IRQ " + std::to_string(mine.irq) + " is also granted to " + granted_to(earlier, theirs));
            break;
        case CapabilityType::DeviceMemory:
            if (mine.base < theirs.base + theirs.size && theirs.base < mine.base + mine.size)
                error(later, mine.location,
                      entry + "device memory " + hex(mine.base) + "-" + hex(mine.base + mine.size - 1) + " overlaps " +
                          hex(theirs.base) + "-" + hex(theirs.base + theirs.size - 1) + " granted to " +
                          granted_to(earlier, theirs));
            break;
        default: break;
        }
    }

    void check_services() {
        struct Provider {
            std::string name;
            std::string by;
        };
        std::vector<Provider> provided;
        for (size_t i = 0; i < vesta::user::kRootServiceCount; ++i)
            provided.push_back({vesta::user::kRootServices[i], "the root service"});
        for (const std::string& name : options_.provided) provided.push_back({name, "--provides"});
        for (const Driver& driver : drivers_) {
            const Manifest& manifest = *driver.manifest;
            for (size_t i = 0; i < manifest.provide_count; ++i) {
                const std::string name = manifest.provides[i].name;
                bool twice = false;
                for (const Provider& provider : provided) {
                    if (provider.name != name) continue;
                    error(driver, manifest.provides[i].location,
                          "'" + name + "' is already provided by " + provider.by);
                    twice = true;
                    break;
                }
                if (!twice)
                    provided.push_back({name, driver.image->name + " (" +
                                                  position(driver.image->name, manifest.provides[i].location) + ")"});
            }
        }
        std::string listed;
        for (const Provider& provider : provided) listed += (listed.empty() ? "" : ", ") + provider.name;

        for (const Driver& driver : drivers_) {
            const Manifest& manifest = *driver.manifest;
            std::vector<std::pair<std::string, uint32_t>> resolved; // name, line
            for (size_t i = 0; i < manifest.service_count; ++i) {
                const vesta::manifest::Service& service = manifest.services[i];
                const std::string name = service.name;
                std::vector<std::string> candidates;
                for (const Provider& provider : provided) {
                    const size_t colons = provider.name.rfind("::");
                    const std::string last =
                        colons == std::string::npos ? provider.name : provider.name.substr(colons + 2);
                    if (provider.name == name || (!service.qualified && last == name))
                        candidates.push_back(provider.name);
                }
                if (candidates.empty()) {
                    error(driver, service.location,
                          "service '" + name + "' is provided by no one (provided: " + listed + ")");
                    continue;
                }
                if (candidates.size() > 1) {
                    std::string names;
                    for (const std::string& candidate : candidates) names += (names.empty() ? "" : ", ") + candidate;
                    error(driver, service.location, "service '" + name + "' is ambiguous (" + names + "): qualify it");
                    continue;
                }
                for (const auto& [other, line] : resolved) {
                    if (other == candidates[0])
                        error(driver, service.location,
                              "service '" + name + "' is " + candidates[0] + ", already asked for at line " +
                                  std::to_string(line));
                }
                resolved.push_back({candidates[0], service.location.line});
            }
        }
    }

    void run(const std::vector<Image>& images) {
        uint16_t machine = 0;
        if (options_.arch == "x86_64") machine = vesta::elf::kMachineX86_64;
        if (options_.arch == "aarch64") machine = vesta::elf::kMachineAArch64;
        if (machine == 0) {
            report_->errors.push_back("error: unknown arch '" + options_.arch + "' (expected x86_64 or aarch64)");
            return;
        }
        for (const std::string& name : options_.drivers) {
            bool present = false;
            for (const Image& image : images) present = present || image.name == name;
            if (!present) report_->errors.push_back("error: driver '" + name + "' is not among the images");
        }
        for (const Image& image : images) read(image, machine);
        report_->drivers = drivers_.size();
        for (size_t i = 0; i < drivers_.size(); ++i) {
            check_arch(drivers_[i]);
            for (size_t j = 0; j < i; ++j) check_against(drivers_[j], drivers_[i]);
        }
        check_services();
    }

private:
    const Options& options_;
    Report* report_;
    std::vector<Driver> drivers_;
};

} // namespace

Report check(const std::vector<Image>& images, const Options& options) {
    Report report;
    Checker(options, &report).run(images);
    return report;
}

} // namespace manifest_check
