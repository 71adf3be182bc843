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
// - Devices keep their names across a restart: a supervised driver (its
//   process has a supervisor id, identity_of) that ends and will be
//   restarted leaves its devices as placeholders (remove_owner with
//   `keep_names`): they keep their place in the order, count() counts them,
//   open() and driver() answer sys::restarting. The new process's
//   registrations of the same interface take those places back, oldest
//   first, so serial0 stays serial0. When the supervisor gives the driver
//   up, forget() removes the placeholders (later devices then move down).
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

    // The supervisor id of process `pid` (0: not supervised), and what to
    // tell the supervisor when a restarted driver registered a device again.
    using IdentityOf = uint32_t (*)(void* context, uint32_t pid);
    using Registered = void (*)(void* context, uint32_t identity);
    void set_supervision(IdentityOf identity_of, Registered registered, void* context) {
        identity_of_ = identity_of;
        registered_ = registered;
        supervision_context_ = context;
    }

    // One sys::devregistry call on a capability minted for driver `owner`.
    void serve_registry(uint32_t owner, const vesta::ipc::Message& request, vesta::ipc::Message& reply);
    // One sys::devmgr call.
    void serve_manager(const vesta::ipc::Message& request, vesta::ipc::Message& reply);
    // Process `pid` ended: its devices go, or become placeholders when
    // `keep_names` (its supervisor restarts it).
    void remove_owner(uint32_t pid, bool keep_names = false);
    // The supervisor gave up on driver `identity`: its placeholders go.
    void forget(uint32_t identity);

    // --- sys::devregistry and sys::devmgr (generated dispatch calls these).
    vesta::ipc::Result<uint32_t> new_device(vesta::ipc::Slot device, uint32_t interface_id);
    vesta::ipc::Result<vesta::proto::sys::devmgr::open_reply> open(uint32_t interface_id, uint32_t index);
    vesta::ipc::Result<uint32_t> count(uint32_t interface_id);
    vesta::ipc::Result<uint64_t> driver(uint32_t interface_id, uint32_t index);

    // procmgr.devices (devices_listing.cpp): the registered devices in
    // registration order, at most `capacity`; returns how many.
    size_t describe(vesta::records::DeviceRecord* out, size_t capacity) const;

private:
    struct Device {
        bool used;
        bool restarting; // a placeholder: its driver is being restarted (owner 0, no endpoint)
        uint32_t interface_id;
        uint32_t owner;    // pid
        uint32_t identity; // the owner's supervisor id (0: not supervised)
        uint64_t sequence; // registration order (a placeholder keeps its own)
    };
    // The entry of the index-th device of `interface_id`, or nullptr.
    Device* nth(uint32_t interface_id, uint32_t index);
    // Its index among the devices of its interface.
    uint32_t index_of(const Device& device) const;

    vesta::ipc::ServerLoop& loop_;
    Device devices_[kMaxDevices] = {};
    uint64_t sequence_ = 0;
    uint32_t owner_ = 0; // the driver whose devregistry call is in hand
    IdentityOf identity_of_ = nullptr;
    Registered registered_ = nullptr;
    void* supervision_context_ = nullptr;
};

} // namespace sysinit
