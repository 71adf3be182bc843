// userland/sysinit/devices_listing.cpp — Devices::describe (devices.hpp):
// the device table as procmgr.devices reports it to a shell.
#include "devices.hpp"

namespace sysinit {

size_t Devices::describe(vesta::records::DeviceRecord* out, size_t capacity) const {
    // The smallest sequence above the previous one, at most kMaxDevices times.
    size_t n = 0;
    uint64_t after = 0;
    for (size_t step = 0; step < kMaxDevices && n < capacity; ++step) {
        const Device* next = nullptr;
        for (const Device& device : devices_)
            if (device.used && device.sequence > after && (!next || device.sequence < next->sequence)) next = &device;
        if (!next) break;
        after = next->sequence;
        uint32_t index = 0; // devmgr.open's index: earlier registrations of its interface still present
        for (const Device& device : devices_)
            index += device.used && device.interface_id == next->interface_id && device.sequence < next->sequence;
        out[n++] = vesta::records::DeviceRecord{next->interface_id, index, next->owner, 0};
    }
    return n;
}

} // namespace sysinit
