// userland/sysinit/devices.cpp — sys::devregistry and sys::devmgr (devices.hpp).
#include "devices.hpp"

#include "sysinit.hpp"

namespace sysinit {

using namespace vesta;
using namespace vesta::user;
namespace sys = vesta::proto::sys;
using ipc::Result;

void Devices::serve_registry(uint32_t owner, const ipc::Message& request, ipc::Message& reply) {
    owner_ = owner;
    if (!sys::devregistry::dispatch(*this, request, reply)) ipc::set_error_reply(reply, Error::NotSupported);
}

void Devices::serve_manager(const ipc::Message& request, ipc::Message& reply) {
    if (!sys::devmgr::dispatch(*this, request, reply)) ipc::set_error_reply(reply, Error::NotSupported);
}

void Devices::remove_owner(uint32_t pid) {
    for (size_t i = 0; i < kMaxDevices; ++i) {
        if (!devices_[i].used || devices_[i].owner != pid) continue;
        drop(device_slot(i)); // empty already when the driver's pool paid for the endpoint
        devices_[i].used = false;
    }
}

Devices::Device* Devices::nth(uint32_t interface_id, uint32_t index) {
    // The smallest sequence above the previous one, index + 1 times.
    uint64_t after = 0;
    Device* found = nullptr;
    for (uint32_t step = 0; step <= index; ++step) {
        found = nullptr;
        for (Device& device : devices_) {
            if (!device.used || device.interface_id != interface_id || device.sequence <= after) continue;
            if (!found || device.sequence < found->sequence) found = &device;
        }
        if (!found) return nullptr;
        after = found->sequence;
    }
    return found;
}

Result<uint32_t> Devices::new_device(ipc::Slot device, uint32_t interface_id) {
    const InvokeResult info = invoke(runtime.cspace, CapabilitySpaceLabel::Info, device);
    if (info.error != Error::None) return info.error;
    if (info.words[0] != static_cast<uint64_t>(ObjectType::Endpoint)) return Error::WrongType;
    if (!(info.words[1] & rights::kWrite)) return Error::MissingRights;
    size_t free = kMaxDevices;
    uint32_t index = 0;
    for (size_t i = 0; i < kMaxDevices; ++i) {
        if (!devices_[i].used) {
            if (free == kMaxDevices) free = i;
            continue;
        }
        index += devices_[i].interface_id == interface_id;
    }
    if (free == kMaxDevices) return sys::table_full;
    if (const Error moved = move_capability(device, device_slot(free)); moved != Error::None) return moved;
    loop_.keep(device); // moved: the loop must not delete whatever comes to that slot next
    devices_[free] = Device{true, interface_id, owner_, ++sequence_};
    return index;
}

Result<sys::devmgr::open_reply> Devices::open(uint32_t interface_id, uint32_t index) {
    Device* device = nth(interface_id, index);
    if (!device) return sys::no_device;
    const uint64_t slot = device_slot(static_cast<size_t>(device - devices_));
    const InvokeResult copy =
        invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, slot, rights::kWrite | rights::kGrant, 0);
    if (copy.error != Error::None) return copy.error; // InvalidCapability: the endpoint died with its pool
    loop_.release_after_reply(copy.words[0]);
    return sys::devmgr::open_reply{copy.words[0]};
}

Result<uint32_t> Devices::count(uint32_t interface_id) {
    uint32_t n = 0;
    for (const Device& device : devices_) n += device.used && device.interface_id == interface_id;
    return n;
}

} // namespace sysinit
