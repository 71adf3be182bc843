// sysinit/devloader.cpp — the driver loader's bookkeeping (devloader.hpp):
// what the machine offers (initialise), reading and planning a driver
// (prepare), and the end of a driver (spawned, release). Creating the
// capabilities is devloader_perform.cpp.
#include "devloader.hpp"

#include <lib/format.hpp>
#include <lib/manifest_image.hpp>
#include <lib/string.hpp>
#include <user/root_services.hpp>

using namespace vesta;
using namespace vesta::user;

namespace sysinit {
namespace {

// What spawn() accepts of a program (userland/lib/spawn.cpp): the loader
// refuses earlier what spawn would refuse later.
constexpr uint64_t kUserProgramEnd = 0x0000'7000'0000'0000;

#if defined(__x86_64__)
constexpr bool kIoPortsExist = true;
#else
constexpr bool kIoPortsExist = false;
#endif

template <class... Args>
void say(char* message, size_t size, const char* pattern, const Args&... args) {
    if (!message || !size) return;
    BufferSink sink(message, size);
    format(sink, pattern, args...);
}

// The error a refusal returns (devloader.hpp, prepare()).
Error error_of(driver::Refusal refusal) {
    switch (refusal) {
    case driver::Refusal::NoDeviceTree:
    case driver::Refusal::NoMatchingNode:
    case driver::Refusal::ServiceNotProvided: return Error::NotFound;
    case driver::Refusal::PortsHeld:
    case driver::Refusal::IrqHeld:
    case driver::Refusal::DeviceMemoryHeld: return Error::Busy;
    default: return Error::InvalidArgument;
    }
}

} // namespace

Error DriverLoader::initialise(const RootInfo& info, const ConsoleRelease& console, const LoaderSlots& slots) {
    if (info.magic != kRootInfoMagic || info.version < 2) return Error::InvalidArgument;
    authority_ = slots;
    console_ = console;
    ram_count_ = device_count_ = 0;
    has_tree_ = false;
    for (uint64_t i = 0; i < info.capability_count && i < RootInfo::kMaxCapabilities; ++i) {
        const RootCapability& c = info.capabilities[i];
        const auto type = static_cast<ObjectType>(c.type);
        if ((type == ObjectType::Memory || type == ObjectType::Page) && c.pages) {
            if (ram_count_ == kMaxRamRanges) return Error::OutOfRange;
            ram_[ram_count_++] = {c.physical, c.pages * kPageSize};
        } else if (type == ObjectType::DeviceMemory && c.pages) {
            if (device_count_ == kMaxDeviceSources) return Error::OutOfRange;
            devices_[device_count_++] = {c.slot, c.physical, c.pages};
        }
    }
    if (console.kind == kConsoleMmio && console.device_memory_slot != kNoSlot && console.count) {
        if (device_count_ == kMaxDeviceSources) return Error::OutOfRange;
        devices_[device_count_++] = {console.device_memory_slot, console.first,
                                     (console.count + kPageSize - 1) / kPageSize};
    }
    framebuffer_ = {};
    if (info.version >= 3 && info.framebuffer_physical && info.framebuffer_size) {
        framebuffer_ = {info.framebuffer_physical, info.framebuffer_size};
        say(framebuffer_geometry_, sizeof(framebuffer_geometry_), "FRAMEBUFFER={},{},{},{},{},{},{},{}",
            info.framebuffer_width, info.framebuffer_height, info.framebuffer_pitch, info.framebuffer_format,
            info.framebuffer_red_mask, info.framebuffer_green_mask, info.framebuffer_blue_mask,
            info.framebuffer_physical % kPageSize);
    }
    if (info.device_tree && info.device_tree_size) {
        auto tree = fdt::DeviceTree::open(reinterpret_cast<const void*>(info.device_tree), info.device_tree_size);
        if (!tree.ok()) return Error::InvalidArgument;
        tree_ = tree.value();
        has_tree_ = true;
        // RAM as the tree lists it: /memory nodes (device_type "memory").
        for (fdt::Node node = tree_.next_node(fdt::Node()); node.valid(); node = tree_.next_node(node)) {
            const auto type = tree_.read_string(node, "device_type");
            if (!type.ok() || !strings_equal(type.value(), "memory")) continue;
            const auto count = tree_.reg_count(node);
            for (uint32_t r = 0; count.ok() && r < count.value(); ++r) {
                const auto region = tree_.cpu_region(node, r);
                if (!region.ok() || !region.value().size) continue;
                if (ram_count_ == kMaxRamRanges) return Error::OutOfRange;
                ram_[ram_count_++] = {region.value().address, region.value().size};
            }
        }
    }
    for (Driver& d : drivers_) d = Driver{};
    claims_.clear();
    initialised_ = true;
    return Error::None;
}

DriverLoader::Driver* DriverLoader::find(uint32_t handle) {
    for (Driver& d : drivers_)
        if (d.used && d.handle == handle) return &d;
    return nullptr;
}

bool DriverLoader::read_device(void* context, uint64_t physical, uint32_t* value) {
    auto& probe = *static_cast<DeviceProbe*>(context);
    if (physical % 4) return false;
    const uint64_t page = physical & ~(kPageSize - 1);
    if (page != probe.page_physical) {
        end_probe(probe);
        const DriverLoader& loader = *probe.loader;
        for (size_t i = 0; i < loader.device_count_ && probe.page_slot == kNoSlot; ++i) {
            const DeviceSource& source = loader.devices_[i];
            if (page < source.physical || page - source.physical >= source.pages * kPageSize) continue;
            const InvokeResult part =
                invoke(source.slot, FrameLabel::Split, (page - source.physical) / kPageSize, 1, kAnySlot, probe.memory);
            if (part.error != Error::None) return false;
            auto mapped = map_frame(part.words[0], rights::kRead);
            if (!mapped.ok()) {
                (void)invoke(runtime.cspace, CapabilitySpaceLabel::Delete, part.words[0]);
                return false;
            }
            probe.page_slot = part.words[0];
            probe.page_address = mapped.value();
            probe.page_physical = page;
        }
        if (probe.page_slot == kNoSlot) return false; // no device memory covers it
    }
    *value = *reinterpret_cast<const volatile uint32_t*>(probe.page_address + (physical - page));
    return true;
}

void DriverLoader::end_probe(DeviceProbe& probe) {
    if (probe.page_slot == kNoSlot) return;
    (void)unmap_frame(probe.page_slot);
    (void)invoke(runtime.cspace, CapabilitySpaceLabel::Delete, probe.page_slot);
    probe.page_slot = kNoSlot;
    probe.page_physical = ~uint64_t{0};
}

Result<uint32_t> DriverLoader::prepare(const void* image, size_t size, uint64_t memory, ServiceLookup services,
                                       void* context, ProcessStartup& startup, char* message, size_t message_size) {
    say(message, message_size, "");
    if (!initialised_) {
        say(message, message_size, "driver loader: not initialised");
        return Error::InvalidArgument;
    }
    // 1. The image and its manifest.
    manifest::Diagnostic diagnostic;
    const elf::ElfRequirements requirements{kElfMachine, kPageSize, kUserProgramEnd};
    if (!image || !manifest::parse_image(image, size, requirements, &manifest_, &diagnostic).ok()) {
        char text[manifest::kMaxDiagnosticText + 16];
        if (image)
            manifest::format_diagnostic(diagnostic, text, sizeof(text));
        else
            say(text, sizeof(text), "no image");
        say(message, message_size, "driver image: {}", text);
        return Error::Malformed;
    }
    Driver* record = nullptr;
    for (Driver& d : drivers_)
        if (!d.used) {
            record = &d;
            break;
        }
    if (!record) {
        say(message, message_size, "{}: the loader already holds {} drivers", manifest_.name, kMaxDrivers);
        return Error::OutOfRange;
    }
    // 2. The plan, against the machine and the running drivers.
    DeviceProbe probe{.loader = this, .memory = memory};
    const driver::Machine machine{
        .tree = has_tree_ ? &tree_ : nullptr,
        .ram = ram_,
        .ram_count = ram_count_,
        .io_ports = kIoPortsExist,
        .services = kRootServices,
        .service_count = kRootServiceCount,
        .framebuffer = framebuffer_,
        .read_device = read_device,
        .read_device_context = &probe,
    };
    driver::Diagnostic why;
    const auto planned = driver::plan(manifest_, machine, claims_, &plan_, &why);
    end_probe(probe);
    if (!planned.ok()) {
        driver::format_refusal(manifest_.name, why, message, message_size);
        return error_of(planned.error());
    }
    if (plan_.grant_count > ProcessStartup::kMaxGrants - startup.grant_count()) {
        say(message, message_size, "{}: {} capabilities and services, but the start-up block has room for {} more",
            manifest_.name, plan_.grant_count, ProcessStartup::kMaxGrants - startup.grant_count());
        return Error::OutOfRange;
    }
    // The framebuffer's geometry goes into the environment with its pages:
    // a driver granted them without it could not draw, so no room is a refusal.
    for (size_t i = 0; i < plan_.grant_count; ++i) {
        if (plan_.grants[i].framebuffer && !startup.strings().has_room_for(framebuffer_geometry_)) {
            say(message, message_size,
                "{}: no room in the start-up block for the framebuffer's geometry {} (at most {} strings, {} bytes)",
                manifest_.name, framebuffer_geometry_, startup::Builder::kMaxStrings,
                startup::Builder::kMaxStringBytes);
            return Error::OutOfRange;
        }
    }
    // 3. The capabilities, paid from the driver's pool; then the claims.
    *record = Driver{};
    record->handle = next_generation_++ * kMaxDrivers + static_cast<uint32_t>(record - drivers_);
    if (const Error error = perform(memory, services, context, *record, message, message_size); error != Error::None)
        return error;
    if (!claims_.add(plan_, record->handle).ok()) {
        undo();
        say(message, message_size, "{}: the claims table is full ({} claims)", manifest_.name,
            driver::Claims::kMaxClaims);
        return Error::OutOfRange;
    }
    record->used = true;
    // 4. The start-up block: exactly the manifest's capabilities.
    startup.standard_slots = false;
    for (size_t i = 0; i < plan_.grant_count; ++i) {
        const driver::Grant& grant = plan_.grants[i];
        Grant g;
        g.source = made_[i];
        g.slot = grant.any_slot ? kAnySlot : grant.slot;
        g.note = driver::kind_name(grant.kind);
        switch (grant.kind) {
        case driver::GrantKind::DeviceMemory:
            g.rights = rights::kRead | rights::kWrite;
            if (grant.framebuffer) g.note = "framebuffer";
            break;
        case driver::GrantKind::Memory: g.role = startup::Role::Memory; break;
        case driver::GrantKind::CapabilitySpace:
            g.source = kOwnCapabilitySpace;
            g.role = startup::Role::CapabilitySpace;
            break;
        case driver::GrantKind::VirtualSpace:
            g.source = kOwnVirtualSpace;
            g.role = startup::Role::VirtualSpace;
            break;
        case driver::GrantKind::Service:
            g.role = startup::Role::Service;
            g.interface_id = grant.interface_id;
            g.rights = rights::kWrite | rights::kGrant;
            break;
        default: break;
        }
        // Cannot fail: room was checked, notes are short type names.
        (void)startup.grant(g);
        // The geometry goes with the pages; cannot fail: room was checked above.
        if (grant.framebuffer) (void)startup.add_environment(framebuffer_geometry_);
        // Registers that do not start the pages (a virtio-mmio transport is
        // 0x200 bytes of a page): DEVMEM<slot>=OFFSET,SIZE, in bytes.
        if (grant.kind == driver::GrantKind::DeviceMemory && !grant.framebuffer && !grant.any_slot &&
            grant.register_address != grant.physical) {
            char where[48];
            say(where, sizeof(where), "DEVMEM{}={},{}", grant.slot, grant.register_address - grant.physical,
                grant.register_size);
            (void)startup.add_environment(where);
        }
    }
    return record->handle;
}

void DriverLoader::spawned(uint32_t handle) {
    Driver* d = find(handle);
    if (!d) return;
    for (size_t i = 0; i < d->slot_count; ++i) (void)invoke(runtime.cspace, CapabilitySpaceLabel::Delete, d->slots[i]);
    d->slot_count = 0;
}

void DriverLoader::release(uint32_t handle) {
    Driver* d = find(handle);
    if (!d) return;
    // The slots were emptied with the pool (or by spawned()): never delete
    // them here, sysinit may have reused them.
    claims_.release(handle);
    *d = Driver{};
}

} // namespace sysinit
