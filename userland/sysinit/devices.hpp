// userland/sysinit/devices.hpp — the device registry (sys::devregistry,
// where drivers register an endpoint per device) and the device manager
// (sys::devmgr, where programs open them) over one table
// (docs/userland.md, "Devices").
//
// Contracts:
// - A registration belongs to the process the devregistry capability was
//   minted for (its badge's pid); when that process ends its devices are
//   removed (remove_owner) and sysinit deletes its copies of their
//   endpoints. Clients that opened a device hold copies of the driver's
//   endpoint: when the driver's pool dies the endpoint dies with it, a
//   client blocked on it gets PeerGone and later calls InvalidCapability.
// - Device `index` of an interface is the index-th registration still
//   present, in registration order: removing a device renumbers the later
//   ones of its interface. new_device returns the index at registration.
// - new_device takes an endpoint with Write (WrongType, MissingRights
//   otherwise); open hands out a copy with Write and Grant only (a client
//   cannot receive on a driver's endpoint). Entry i keeps its endpoint in
//   the reserved slot device_slot(i) (sysinit.hpp).
#pragma once

#include <sys/devmgr.ipc.hpp>
#include <sys/devregistry.ipc.hpp>
#include <vesta/ipc/server_loop.hpp>
#include <vesta/process_records.hpp>

namespace sysinit {

class Devices {
public:
    static constexpr size_t kMaxDevices = 32;

    explicit Devices(vesta::ipc::ServerLoop& loop) : loop_(loop) {}

    // One sys::devregistry call on a capability minted for driver `owner`.
    void serve_registry(uint32_t owner, const vesta::ipc::Message& request, vesta::ipc::Message& reply);
    // One sys::devmgr call.
    void serve_manager(const vesta::ipc::Message& request, vesta::ipc::Message& reply);
    // Process `pid` ended: its devices go.
    void remove_owner(uint32_t pid);

    // --- sys::devregistry and sys::devmgr (generated dispatch calls these).
    vesta::ipc::Result<uint32_t> new_device(vesta::ipc::Slot device, uint32_t interface_id);
    vesta::ipc::Result<vesta::proto::sys::devmgr::open_reply> open(uint32_t interface_id, uint32_t index);
    vesta::ipc::Result<uint32_t> count(uint32_t interface_id);

    // procmgr.devices (devices_listing.cpp): the registered devices in
    // registration order, at most `capacity`; returns how many.
    size_t describe(vesta::records::DeviceRecord* out, size_t capacity) const;

private:
    struct Device {
        bool used;
        uint32_t interface_id;
        uint32_t owner;    // pid
        uint64_t sequence; // registration order
    };
    // The entry of the index-th device of `interface_id`, or nullptr.
    Device* nth(uint32_t interface_id, uint32_t index);

    vesta::ipc::ServerLoop& loop_;
    Device devices_[kMaxDevices] = {};
    uint64_t sequence_ = 0;
    uint32_t owner_ = 0; // the driver whose devregistry call is in hand
};

} // namespace sysinit
