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

void Devices::remove_owner(uint32_t pid, bool keep_names) {
    for (size_t i = 0; i < kMaxDevices; ++i) {
        Device& device = devices_[i];
        if (!device.used || device.restarting || device.owner != pid) continue;
        drop(device_slot(i)); // empty already when the driver's pool paid for the endpoint
        if (keep_names && device.identity != 0) {
            device.restarting = true;
            device.owner = 0;
        } else {
            device.used = false;
        }
    }
}

void Devices::forget(uint32_t identity) {
    if (identity == 0) return;
    for (Device& device : devices_)
        if (device.used && device.restarting && device.identity == identity) device.used = false;
}

uint32_t Devices::index_of(const Device& device) const {
    uint32_t index = 0;
    for (const Device& other : devices_)
        index += other.used && other.interface_id == device.interface_id && other.sequence < device.sequence;
    return index;
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
    const uint32_t identity = identity_of_ ? identity_of_(supervision_context_, owner_) : 0;
    // A restarted driver takes back the oldest place it left.
    size_t chosen = kMaxDevices;
    if (identity != 0) {
        for (size_t i = 0; i < kMaxDevices; ++i) {
            const Device& d = devices_[i];
            if (!d.used || !d.restarting || d.identity != identity || d.interface_id != interface_id) continue;
            if (chosen == kMaxDevices || d.sequence < devices_[chosen].sequence) chosen = i;
        }
    }
    const bool again = chosen != kMaxDevices;
    for (size_t i = 0; i < kMaxDevices && !again; ++i) {
        if (!devices_[i].used) {
            chosen = i;
            break;
        }
    }
    if (chosen == kMaxDevices) return sys::table_full;
    if (const Error moved = move_capability(device, device_slot(chosen)); moved != Error::None) return moved;
    loop_.keep(device); // moved: the loop must not delete whatever comes to that slot next
    const uint64_t sequence = again ? devices_[chosen].sequence : ++sequence_;
    devices_[chosen] = Device{true, false, interface_id, owner_, identity, sequence};
    if (again && registered_) registered_(supervision_context_, identity);
    return index_of(devices_[chosen]);
}

Result<sys::devmgr::open_reply> Devices::open(uint32_t interface_id, uint32_t index) {
    Device* device = nth(interface_id, index);
    if (!device) return sys::no_device;
    if (device->restarting) return sys::restarting;
    const uint64_t slot = device_slot(static_cast<size_t>(device - devices_));
    if (holds_filler(slot)) return sys::no_device; // the endpoint died; its driver's end removes the entry
    const InvokeResult copy =
        invoke(runtime.cspace, CapabilitySpaceLabel::Copy, kAnySlot, slot, rights::kWrite | rights::kGrant, 0);
    if (copy.error != Error::None) return copy.error; // InvalidCapability: the endpoint died with its pool
    loop_.release_after_reply(copy.words[0]);
    return sys::devmgr::open_reply{copy.words[0]};
}

Result<uint64_t> Devices::driver(uint32_t interface_id, uint32_t index) {
    const Device* device = nth(interface_id, index);
    if (!device) return sys::no_device;
    if (device->restarting) return sys::restarting;
    return uint64_t{device->owner};
}

Result<uint32_t> Devices::count(uint32_t interface_id) {
    uint32_t n = 0;
    for (const Device& device : devices_) n += device.used && device.interface_id == interface_id;
    return n;
}

} // namespace sysinit
